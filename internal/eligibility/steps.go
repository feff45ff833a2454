package eligibility

import "net/url"

// The employer's diagnosis step of a hire (approvals.md §2.2, applications.md §3.4-6 and
// §3.5-4): the acceptance and the direct hire send an SIAE there when it must make its own.

// AcceptStepPath is the step of the acceptance of candidature publicID.
func AcceptStepPath(publicID string) string { return "/apply/" + publicID + "/siae/eligibility" }

// HireStepPath is the step of the direct hire of the job seeker of this public id.
func HireStepPath(jobSeekerPublicID string) string {
	return "/apply/hire/eligibility?job_seeker_public_id=" + url.QueryEscape(jobSeekerPublicID)
}
