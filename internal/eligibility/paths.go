package eligibility

import (
	"net/url"
	"strconv"
)

// The addresses of the eligibility pages (internal/web/eligibility), here so that the other
// rooms (the candidature, the acceptance, the direct hire, the job seeker's page, the apply
// tunnel) link to them without importing a room.

// IAEPath is the prescriber's « Valider / Mettre à jour l'éligibilité IAE » page of a job seeker;
// next, when not empty, is where the page goes back to afterwards.
func IAEPath(jobSeekerPublicID, next string) string {
	return withNext("/eligibility/job-seekers/"+url.PathEscape(jobSeekerPublicID)+"/iae", next)
}

// GEIQPath is the page that creates a GEIQ diagnosis of a job seeker (a prescriber or a GEIQ).
func GEIQPath(jobSeekerPublicID, next string) string {
	return withNext("/eligibility/job-seekers/"+url.PathEscape(jobSeekerPublicID)+"/geiq", next)
}

// DiagnosisPath shows an IAE diagnosis.
func DiagnosisPath(id int64) string { return "/eligibility/diagnoses/" + strconv.FormatInt(id, 10) }

// GEIQDiagnosisPath shows a GEIQ diagnosis.
func GEIQDiagnosisPath(id int64) string {
	return "/eligibility/geiq-diagnoses/" + strconv.FormatInt(id, 10)
}

// GEIQUpdatePath is the update of a GEIQ diagnosis by its GEIQ author.
func GEIQUpdatePath(id int64, next string) string {
	return withNext(GEIQDiagnosisPath(id)+"/update", next)
}

// AcceptStepPath is the employer's eligibility step of the acceptance of candidature publicID
// (§2.2 employer side): it goes on to /apply/{id}/accept.
func AcceptStepPath(publicID string) string {
	return "/apply/" + url.PathEscape(publicID) + "/siae/eligibility"
}

// GEIQStepPath is the GEIQ's optional eligibility step of the acceptance of candidature publicID.
func GEIQStepPath(publicID string) string {
	return "/apply/" + url.PathEscape(publicID) + "/siae/geiq-eligibility"
}

// HireStepPath is the employer's eligibility step of a direct hire of the job seeker: it goes
// on to /apply/hire?job_seeker_public_id=....
func HireStepPath(jobSeekerPublicID string) string {
	return "/apply/hire/eligibility?job_seeker_public_id=" + url.QueryEscape(jobSeekerPublicID)
}

// GEIQHireStepPath is the GEIQ's optional eligibility step of a direct hire of the job seeker.
func GEIQHireStepPath(jobSeekerPublicID string) string {
	return "/apply/hire/geiq-eligibility?job_seeker_public_id=" + url.QueryEscape(jobSeekerPublicID)
}

// HireWithoutGEIQPath is a GEIQ's direct hire that skipped the GEIQ diagnosis (« Continuer sans
// diagnostic »): the contract step, which no longer sends to GEIQHireStepPath.
func HireWithoutGEIQPath(jobSeekerPublicID string) string {
	return HirePath(jobSeekerPublicID) + "&" + SkipGEIQParam + "=1"
}

// SkipGEIQParam marks HireWithoutGEIQPath.
const SkipGEIQParam = "without_geiq_diagnosis"

// AcceptPath and HirePath are where the employer's steps go on to (the lead's pages).
func AcceptPath(publicID string) string { return "/apply/" + url.PathEscape(publicID) + "/accept" }

func HirePath(jobSeekerPublicID string) string {
	return "/apply/hire?job_seeker_public_id=" + url.QueryEscape(jobSeekerPublicID)
}

func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// SafeNext keeps a « next » address only when it is a path of this site (never another host).
func SafeNext(next string) string {
	if len(next) < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\' {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}
