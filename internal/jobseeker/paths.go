package jobseeker

import "net/url"

// SearchPath is the identity search (applications.md §3.2-2) that a tunnel starts with: it
// returns to next with job_seeker_public_id=<id> added (web/jobseeker).
func SearchPath(next string) string { return "/job-seekers/search?next=" + url.QueryEscape(next) }
