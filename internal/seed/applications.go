package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
)

// Shares of the candidatures (applications.md §1.2), close to the real service's: most are
// answered, a refusal twice as often as a hire; about a fifth still wait for an answer.
var applicationStates = newWeighted[string](
	"refused", 40.0, "accepted", 17.0, "obsolete", 12.0, "new", 8.0, "processing", 6.0,
	"postponed", 4.0, "pool", 4.0, "cancelled", 2.0, "prior_to_hire", 1.0,
)

// Sender kinds: prescribers send most candidatures, job seekers and employers a fifth each
// (employers: auto-prescriptions mostly, then candidatures to another employer).
var senderKinds = newWeighted[string]("prescriber", 60.0, "job_seeker", 20.0, "employer", 20.0)

var seedRefusalReasons = []string{"did_not_come", "did_not_come_to_interview", "hired_elsewhere", "training",
	"non_eligible", "not_mobile", "not_interested", "lacking_skills", "incompatible", "no_position", "duplicate", "other"}

var applicationMessages = []string{
	"Bonjour, je vous propose la candidature de cette personne, motivée et disponible rapidement.",
	"Bonjour, je suis très intéressé(e) par ce poste et disponible dès maintenant.",
	"Personne accompagnée depuis plusieurs mois, projet professionnel validé sur ce métier.",
	"Disponible à temps plein, mobile sur le secteur en transports en commun.",
}

// Shares of the candidatures.
const (
	shareSpontaneousApplication = 0.30 // no fiche selected (or the company has no fiche)
	shareTwoFiches              = 0.15 // of the others: two fiches selected
	shareAutoRefusal            = 0.10 // of the refusals: the 60-day job
	shareReasonShared           = 0.60 // of the refusals by an employer
	shareAutoPrescribed         = 0.70 // of the employer senders: to their own company
	shareArchivedOld            = 0.80 // of the archivable ones older than 180 days: archived
	applicationMaxAgeDay        = 1100 // the oldest candidatures: three years, some beyond R31's two
)

// BigInboxShare is the part of the candidatures that go to one employer (20,000 of the national
// 2,000,000): the inbox the benchmarks measure (applications.md §4 at its worst).
const BigInboxShare = 0.01

// applicationRow is a generated candidature, written as the job_application table's columns.
type applicationRow struct {
	bun.BaseModel `bun:"table:job_application"`

	ID                             int64      `bun:"id,pk,autoincrement"`
	PublicID                       string     `bun:"public_id"`
	JobSeekerID                    int64      `bun:"job_seeker_id"`
	ToCompanyID                    int64      `bun:"to_company_id"`
	SenderID                       *int64     `bun:"sender_id"`
	SenderKind                     string     `bun:"sender_kind"`
	SenderCompanyID                *int64     `bun:"sender_company_id"`
	SenderPrescriberOrganizationID *int64     `bun:"sender_prescriber_organization_id"`
	State                          string     `bun:"state"`
	Message                        string     `bun:"message"`
	Answer                         string     `bun:"answer"`
	RefusalReason                  string     `bun:"refusal_reason"`
	RefusalReasonShared            bool       `bun:"refusal_reason_shared_with_job_seeker"`
	HiringStartAt                  *time.Time `bun:"hiring_start_at,type:date"`
	HiringEndAt                    *time.Time `bun:"hiring_end_at,type:date"`
	ArchivedAt                     *time.Time `bun:"archived_at"`
	ProcessedAt                    *time.Time `bun:"processed_at"`
	CreatedAt                      time.Time  `bun:"created_at"`
	UpdatedAt                      time.Time  `bun:"updated_at"`

	selected []int64 // fiches de poste
}

type selectedJobRow struct {
	bun.BaseModel    `bun:"table:job_application_selected_job"`
	JobApplicationID int64 `bun:"job_application_id"`
	JobDescriptionID int64 `bun:"job_description_id"`
}

// recipients are what the candidature stage needs of the earlier ones: who can send, who can
// receive, and their fiches.
type recipients struct {
	companies  []int // indexes into generator.companies with an active member
	weights    []float64
	fiches     map[int][]int64 // company index → its open fiches
	members    map[int][]int64 // company index → active members
	prescriber []prescriberSender
	jobSeekers []int64
}

type prescriberSender struct {
	org     int64
	members []int64
}

// big returns the company that receives the big inbox: the first SIAE with members and fiches.
func (rc *recipients) big(companies []*companyRow) int {
	for _, i := range rc.companies {
		if companies[i].Kind.IsSIAE() && len(rc.fiches[i]) > 0 {
			return i
		}
	}
	return rc.companies[0]
}

// planApplication draws one candidature to company ci (an index into companies).
func (g *generator) planApplication(r *rand.Rand, rc *recipients, ci int) *applicationRow {
	c := g.companies[ci]
	a := &applicationRow{PublicID: newUUID(r), ToCompanyID: c.ID, JobSeekerID: pick(r, rc.jobSeekers)}
	a.CreatedAt = daysBefore(r, g.now, 0, applicationMaxAgeDay)
	a.Message = pick(r, applicationMessages)
	a.SenderKind = senderKinds.draw(r)
	if a.SenderKind == "prescriber" && len(rc.prescriber) == 0 {
		a.SenderKind = "job_seeker"
	}
	switch a.SenderKind {
	case "job_seeker":
		a.SenderID = &a.JobSeekerID
	case "prescriber":
		p := pick(r, rc.prescriber)
		a.SenderPrescriberOrganizationID = &p.org
		a.SenderID = &p.members[r.IntN(len(p.members))]
	case "employer":
		from := ci
		if !chance(r, shareAutoPrescribed) {
			from = pick(r, rc.companies)
		}
		sender := pick(r, rc.members[from])
		a.SenderID = &sender
		id := g.companies[from].ID
		a.SenderCompanyID = &id
		if from == ci {
			a.Message = ""
		}
	}
	if fiches := rc.fiches[ci]; len(fiches) > 0 && !chance(r, shareSpontaneousApplication) {
		a.selected = append(a.selected, pick(r, fiches))
		if len(fiches) > 1 && chance(r, shareTwoFiches) {
			if other := pick(r, fiches); other != a.selected[0] {
				a.selected = append(a.selected, other)
			}
		}
	}
	a.State = applicationStates.draw(r)
	if a.State == "prior_to_hire" && c.Kind != org.GEIQ {
		a.State = "processing"
	}
	// A candidature of the last two weeks is rarely answered yet.
	if a.CreatedAt.After(g.now.AddDate(0, 0, -14)) && chance(r, 0.6) {
		a.State = "new"
	}
	a.UpdatedAt = between(r, a.CreatedAt, minTime(g.now, a.CreatedAt.AddDate(0, 0, 45)))
	switch a.State {
	case "accepted", "refused", "cancelled", "obsolete":
		processed := a.UpdatedAt
		a.ProcessedAt = &processed
	}
	switch a.State {
	case "refused":
		if chance(r, shareAutoRefusal) {
			a.RefusalReason, a.RefusalReasonShared = "auto", true
			a.Answer = "Nous n'avons pas reçu de réponse de l'employeur depuis plus de 2 mois : votre candidature est automatiquement déclinée."
		} else {
			a.RefusalReason, a.RefusalReasonShared = pick(r, seedRefusalReasons), chance(r, shareReasonShared)
			a.Answer = "Nous vous remercions pour votre candidature, que nous ne pouvons pas retenir."
		}
	case "accepted", "cancelled":
		start := a.UpdatedAt.Truncate(24*time.Hour).AddDate(0, 0, r.IntN(21))
		a.HiringStartAt = &start
		if chance(r, 0.7) {
			end := start.AddDate(0, 4+r.IntN(20), 0)
			a.HiringEndAt = &end
		}
	case "postponed":
		a.Answer = "Votre candidature est en attente : nous reviendrons vers vous dans les prochaines semaines."
	}
	switch a.State {
	case "new", "processing", "postponed", "refused", "cancelled", "obsolete":
		if a.UpdatedAt.Before(g.now.AddDate(0, 0, -180)) && chance(r, shareArchivedOld) {
			archived := minTime(g.now, a.UpdatedAt.AddDate(0, 0, 181))
			a.ArchivedAt = &archived
		}
	}
	return a
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// recipientsOf gathers the ids the candidatures point at.
func (g *generator) recipientsOf(ctx context.Context) (*recipients, error) {
	rc := &recipients{fiches: map[int][]int64{}, members: map[int][]int64{}}
	byCompany := map[int64]int{}
	for i, c := range g.companies {
		byCompany[c.ID] = i
	}
	var fiches []struct {
		ID, CompanyID int64
	}
	if err := g.tx.NewRaw("SELECT id, company_id FROM job_description WHERE is_active ORDER BY id").Scan(ctx, &fiches); err != nil {
		return nil, fmt.Errorf("fiches: %w", err)
	}
	for _, f := range fiches {
		if i, ok := byCompany[f.CompanyID]; ok {
			rc.fiches[i] = append(rc.fiches[i], f.ID)
		}
	}
	var members []struct {
		UserID, OrganizationID int64
		Prescriber             bool
	}
	err := g.tx.NewRaw(`SELECT user_id, organization_id, FALSE AS prescriber FROM company_membership WHERE is_active
		UNION ALL SELECT user_id, organization_id, TRUE FROM prescriber_membership WHERE is_active
		ORDER BY 3, 2, 1`).Scan(ctx, &members)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	prescribers := map[int64]int{}
	for _, m := range members {
		if !m.Prescriber {
			if i, ok := byCompany[m.OrganizationID]; ok {
				rc.members[i] = append(rc.members[i], m.UserID)
			}
			continue
		}
		k, ok := prescribers[m.OrganizationID]
		if !ok {
			k = len(rc.prescriber)
			prescribers[m.OrganizationID] = k
			rc.prescriber = append(rc.prescriber, prescriberSender{org: m.OrganizationID})
		}
		rc.prescriber[k].members = append(rc.prescriber[k].members, m.UserID)
	}
	for i, c := range g.companies {
		if len(rc.members[i]) > 0 && c.Kind.Offered() {
			rc.companies = append(rc.companies, i)
			rc.weights = append(rc.weights, 1+float64(min(len(rc.fiches[i]), 10)))
		}
	}
	if err := g.tx.NewRaw("SELECT id FROM users WHERE kind = 'job_seeker' AND email LIKE ? ORDER BY id", domainPattern).Scan(ctx, &rc.jobSeekers); err != nil {
		return nil, fmt.Errorf("job seekers: %w", err)
	}
	return rc, nil
}

// applicationChunk is how many candidatures are drawn and written at once.
const applicationChunk = 5000

// writeApplications spreads the candidatures over the employers with members, in proportion to
// their open fiches (up to 10), one of them receiving BigInboxShare of all. Transition logs are not
// generated: the lists, counts and exports read the candidature rows.
func (g *generator) writeApplications(ctx context.Context, st *Stage) error {
	if g.scale.JobApplications == 0 {
		st.Skipped = "none wanted at this scale"
		return nil
	}
	rc, err := g.recipientsOf(ctx)
	if err != nil {
		return err
	}
	if len(rc.companies) == 0 || len(rc.jobSeekers) == 0 {
		st.Skipped = "no employer with members or no job seeker"
		return nil
	}
	r := newRand(g.seed, streamApplications)
	cum := make([]float64, len(rc.weights))
	total := 0.0
	for i, w := range rc.weights {
		total += w
		cum[i] = total
	}
	big := rc.big(g.companies)
	bigCount := int(float64(g.scale.JobApplications) * BigInboxShare)
	selected := 0
	for start := 0; start < g.scale.JobApplications; start += applicationChunk {
		chunk := make([]*applicationRow, 0, applicationChunk)
		for n := start; n < min(start+applicationChunk, g.scale.JobApplications); n++ {
			ci := big
			if n >= bigCount {
				ci = rc.companies[searchCum(cum, r.Float64()*total)]
			}
			chunk = append(chunk, g.planApplication(r, rc, ci))
		}
		if err := insertAll(ctx, g.tx, chunk, ""); err != nil {
			return err
		}
		var jobs []*selectedJobRow
		for _, a := range chunk {
			for _, f := range a.selected {
				jobs = append(jobs, &selectedJobRow{JobApplicationID: a.ID, JobDescriptionID: f})
			}
		}
		if err := insertAll(ctx, g.tx, jobs, ""); err != nil {
			return fmt.Errorf("selected fiches: %w", err)
		}
		selected += len(jobs)
	}
	st.Rows = g.scale.JobApplications + selected
	st.Detail = fmt.Sprintf("%s candidatures (%s to %s), %s selected fiches", thousands(g.scale.JobApplications),
		thousands(bigCount), g.companies[big].UID, thousands(selected))
	return nil
}

// searchCum returns the first index whose cumulated weight exceeds x.
func searchCum(cum []float64, x float64) int {
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
