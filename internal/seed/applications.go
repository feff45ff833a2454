package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/application"
	"emplois/internal/org"
)

// Shares of the candidatures (applications.md §1.2), close to the real service's: most are
// answered, a refusal twice as often as a hire; about a fifth still wait for an answer.
var applicationStates = newWeighted[application.State](
	application.Refused, 40.0, application.Accepted, 17.0, application.Obsolete, 12.0, application.New, 8.0,
	application.Processing, 6.0, application.Postponed, 4.0, application.Pool, 4.0, application.Cancelled, 2.0,
	application.PriorToHire, 1.0,
)

// Sender kinds: prescribers send most candidatures, job seekers and employers a fifth each
// (employers: auto-prescriptions mostly, then candidatures to another employer).
var senderKinds = newWeighted[application.SenderKind](application.SenderPrescriber, 60.0,
	application.SenderJobSeeker, 20.0, application.SenderEmployer, 20.0)

var seedRefusalReasons = []application.RefusalReason{application.ReasonDidNotCome, application.ReasonDidNotComeToInterview,
	application.ReasonHiredElsewhere, application.ReasonTraining, application.ReasonNonEligible, application.ReasonNotMobile,
	application.ReasonNotInterested, application.ReasonLackingSkills, application.ReasonIncompatible,
	application.ReasonNoPosition, application.ReasonDuplicate, application.ReasonOther}

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

// planApplication draws one candidature to company ci (an index into companies) and the fiches
// de poste it selects.
func (g *generator) planApplication(r *rand.Rand, rc *recipients, ci int) (*application.Application, []int64) {
	c := g.companies[ci]
	a := &application.Application{PublicID: newUUID(r), ToCompanyID: c.ID, JobSeekerID: pick(r, rc.jobSeekers),
		Origin: application.OriginDefault, CreateEmployeeRecord: true}
	var selected []int64
	a.CreatedAt = daysBefore(r, g.now, 0, applicationMaxAgeDay)
	a.Message = pick(r, applicationMessages)
	a.SenderKind = senderKinds.draw(r)
	if a.SenderKind == application.SenderPrescriber && len(rc.prescriber) == 0 {
		a.SenderKind = application.SenderJobSeeker
	}
	switch a.SenderKind {
	case application.SenderJobSeeker:
		a.SenderID = &a.JobSeekerID
	case application.SenderPrescriber:
		p := pick(r, rc.prescriber)
		a.SenderPrescriberOrganizationID = &p.org
		a.SenderID = &p.members[r.IntN(len(p.members))]
	case application.SenderEmployer:
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
		selected = append(selected, pick(r, fiches))
		if len(fiches) > 1 && chance(r, shareTwoFiches) {
			if other := pick(r, fiches); other != selected[0] {
				selected = append(selected, other)
			}
		}
	}
	a.State = applicationStates.draw(r)
	if a.State == application.PriorToHire && c.Kind != org.GEIQ {
		a.State = application.Processing
	}
	// A candidature of the last two weeks is rarely answered yet.
	if a.CreatedAt.After(g.now.AddDate(0, 0, -14)) && chance(r, 0.6) {
		a.State = application.New
	}
	a.UpdatedAt = between(r, a.CreatedAt, minTime(g.now, a.CreatedAt.AddDate(0, 0, 45)))
	switch a.State {
	case application.Accepted, application.Refused, application.Cancelled, application.Obsolete:
		processed := a.UpdatedAt
		a.ProcessedAt = &processed
	}
	switch a.State {
	case application.Refused:
		if chance(r, shareAutoRefusal) {
			a.RefusalReason, a.RefusalReasonShared = application.ReasonAuto, true
			a.Answer = "Nous n'avons pas reçu de réponse de l'employeur depuis plus de 2 mois : votre candidature est automatiquement déclinée."
		} else {
			a.RefusalReason, a.RefusalReasonShared = pick(r, seedRefusalReasons), chance(r, shareReasonShared)
			a.Answer = "Nous vous remercions pour votre candidature, que nous ne pouvons pas retenir."
		}
	case application.Accepted, application.Cancelled:
		start := a.UpdatedAt.Truncate(24*time.Hour).AddDate(0, 0, r.IntN(21))
		a.HiringStartAt = &start
		if chance(r, 0.7) {
			end := start.AddDate(0, 4+r.IntN(20), 0)
			a.HiringEndAt = &end
		}
	case application.Postponed:
		a.Answer = "Votre candidature est en attente : nous reviendrons vers vous dans les prochaines semaines."
	}
	switch a.State {
	case application.New, application.Processing, application.Postponed, application.Refused, application.Cancelled, application.Obsolete:
		if a.UpdatedAt.Before(g.now.AddDate(0, 0, -180)) && chance(r, shareArchivedOld) {
			archived := minTime(g.now, a.UpdatedAt.AddDate(0, 0, 181))
			a.ArchivedAt = &archived
		}
	}
	return a, selected
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
	members, err := activeMembers(ctx, g.tx)
	if err != nil {
		return nil, err
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

// membership is an active membership of a company or (Prescriber) a prescriber organization.
type membership struct {
	UserID, OrganizationID int64
	Prescriber             bool
}

// activeMembers reads the active memberships, companies first, by organization and user.
func activeMembers(ctx context.Context, idb bun.IDB) ([]membership, error) {
	var members []membership
	err := idb.NewRaw(`SELECT user_id, organization_id, FALSE AS prescriber FROM company_membership WHERE is_active
		UNION ALL SELECT user_id, organization_id, TRUE FROM prescriber_membership WHERE is_active
		ORDER BY 3, 2, 1`).Scan(ctx, &members)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return members, nil
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
	receivers := weightedOf(rc.companies, rc.weights)
	big := rc.big(g.companies)
	bigCount := int(float64(g.scale.JobApplications) * BigInboxShare)
	selected := 0
	for start := 0; start < g.scale.JobApplications; start += applicationChunk {
		chunk := make([]*application.Application, 0, applicationChunk)
		chosen := make([][]int64, 0, applicationChunk)
		for n := start; n < min(start+applicationChunk, g.scale.JobApplications); n++ {
			ci := big
			if n >= bigCount {
				ci = receivers.draw(r)
			}
			a, selected := g.planApplication(r, rc, ci)
			chunk, chosen = append(chunk, a), append(chosen, selected)
		}
		if err := insertAll(ctx, g.tx, chunk, ""); err != nil {
			return err
		}
		var jobs []*application.SelectedJob
		for i, a := range chunk {
			for _, f := range chosen[i] {
				jobs = append(jobs, &application.SelectedJob{JobApplicationID: a.ID, JobDescriptionID: f})
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
