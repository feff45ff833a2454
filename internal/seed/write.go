package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

// generator draws the data set and writes it in the transaction tx, one stage after the other.
type generator struct {
	seed       uint64
	scale      Scale
	now        time.Time
	tx         bun.Tx
	passPrefix string

	ref         *reference
	companies   []*companyRow
	prescribers []*prescriberRow
}

type step struct {
	name string
	skip string // why the step does not run
	run  func(ctx context.Context, st *Stage) error
}

func (g *generator) steps() []step {
	return []step{
		{name: "reference data", run: g.loadReference},
		{name: "companies", run: g.writeCompanies},
		{name: "fiches de poste", run: g.writeJobDescriptions},
		{name: "prescribers", run: g.writePrescribers},
		{name: "professionals", run: g.writeProfessionals},
		{name: "job seekers", run: g.writeJobSeekers},
		{name: "job applications", run: g.writeApplications},
		{name: "PASS IAE", run: g.writeApprovals},
	}
}

// batchSize is the number of rows of one INSERT: large enough that round trips do not dominate,
// small enough to keep each statement well under the engines' limits.
const batchSize = 500

// insertAll writes rows with multi-row INSERTs into their model's table, or into table when
// given (the membership tables share one model). The generated ids are set on the rows.
func insertAll[T any](ctx context.Context, idb bun.IDB, rows []*T, table string) error {
	for start := 0; start < len(rows); start += batchSize {
		batch := rows[start:min(start+batchSize, len(rows))]
		q := idb.NewInsert().Model(&batch)
		if table != "" {
			q = q.ModelTableExpr("?", bun.Ident(table))
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) loadReference(ctx context.Context, st *Stage) error {
	ref, err := loadReference(ctx, g.tx)
	if err != nil {
		return err
	}
	g.ref = ref
	st.Detail = fmt.Sprintf("%s communes and arrondissements, %s ROME appellations read", thousands(len(ref.places)), thousands(len(ref.appellations)))
	return nil
}

func (g *generator) writeCompanies(ctx context.Context, st *Stage) error {
	g.companies = planCompanies(newRand(g.seed, streamCompanies), g.ref, g.scale.Companies, g.now)
	var conventions []*org.Convention
	for _, c := range g.companies {
		if c.convention != nil {
			conventions = append(conventions, c.convention)
		}
	}
	if err := insertAll(ctx, g.tx, conventions, ""); err != nil {
		return fmt.Errorf("conventions: %w", err)
	}
	var annexes []*org.FinancialAnnex
	companies := make([]*org.Company, len(g.companies))
	for i, c := range g.companies {
		if c.convention != nil {
			c.ConventionID = &c.convention.ID
			for j := range c.annexes {
				c.annexes[j].ConventionID = c.convention.ID
				annexes = append(annexes, &c.annexes[j])
			}
		}
		if c.parent >= 0 {
			c.ConventionID = g.companies[c.parent].ConventionID
		}
		companies[i] = &c.Company
	}
	if err := insertAll(ctx, g.tx, annexes, ""); err != nil {
		return fmt.Errorf("financial annexes: %w", err)
	}
	if err := insertAll(ctx, g.tx, companies, ""); err != nil {
		return err
	}
	st.Rows = len(companies) + len(conventions) + len(annexes)
	st.Detail = fmt.Sprintf("%s companies, %s conventions, %s financial annexes", thousands(len(companies)),
		thousands(len(conventions)), thousands(len(annexes)))
	return nil
}

func (g *generator) writeJobDescriptions(ctx context.Context, st *Stage) error {
	rows := planJobDescriptions(newRand(g.seed, streamJobDescriptions), g.ref, g.companies, g.scale.JobDescriptions, g.now)
	fiches := make([]*jobdesc.JobDescription, len(rows))
	for i, f := range rows {
		f.CompanyID = g.companies[f.company].ID
		fiches[i] = &f.JobDescription
	}
	if err := insertAll(ctx, g.tx, fiches, ""); err != nil {
		return err
	}
	var history []*jobdesc.StatusChange
	open := 0
	for _, f := range rows {
		if f.IsActive {
			open++
		}
		for j := range f.history {
			f.history[j].JobDescriptionID = f.ID
			history = append(history, &f.history[j])
		}
	}
	if err := insertAll(ctx, g.tx, history, ""); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	st.Rows = len(fiches) + len(history)
	st.Detail = fmt.Sprintf("%s fiches (%s open), %s history lines", thousands(len(fiches)), thousands(open), thousands(len(history)))
	return nil
}

func (g *generator) writePrescribers(ctx context.Context, st *Stage) error {
	g.prescribers = planPrescribers(newRand(g.seed, streamPrescribers), g.ref, g.scale.Prescribers, g.now)
	rows := make([]*org.PrescriberOrganization, len(g.prescribers))
	validated := 0
	for i, p := range g.prescribers {
		rows[i] = &p.PrescriberOrganization
		if p.IsAuthorized() {
			validated++
		}
	}
	if err := insertAll(ctx, g.tx, rows, ""); err != nil {
		return err
	}
	st.Rows = len(rows)
	st.Detail = fmt.Sprintf("%s with a validated habilitation", thousands(validated))
	return nil
}

// writeProfessionals creates the members of the companies and prescriber organizations: the first
// active member of each is its admin; some organizations also have a former member.
func (g *generator) writeProfessionals(ctx context.Context, st *Stage) error {
	r := newRand(g.seed, streamProfessionals)
	var users []*account.User
	type planned struct {
		user           int
		org            int64
		created        time.Time
		active, admin  bool
		prescriberSide bool
	}
	var plans []planned
	add := func(orgCreated time.Time, active, admin, prescriber bool) {
		users = append(users, professional(r, len(users), g.now))
		plans = append(plans, planned{user: len(users) - 1, created: orgCreated, active: active, admin: admin, prescriberSide: prescriber})
	}
	for _, c := range g.companies {
		for m := range c.members {
			add(c.CreatedAt, true, m == 0 || chance(r, 0.1), false)
		}
		for range c.former {
			add(c.CreatedAt, false, false, false)
		}
	}
	for _, p := range g.prescribers {
		for m := range p.members {
			add(p.CreatedAt, true, m == 0 || chance(r, 0.1), true)
		}
	}
	if err := insertAll(ctx, g.tx, users, ""); err != nil {
		return err
	}
	var companyMembers, prescriberMembers []*org.Membership
	// The users now have ids and the organizations had theirs: walk the plans in the order they
	// were made (companies, then prescriber organizations) to tie each membership to its organization.
	k := 0
	for _, c := range g.companies {
		for range c.members + c.former {
			plans[k].org = c.ID
			k++
		}
	}
	for _, p := range g.prescribers {
		for range p.members {
			plans[k].org = p.ID
			k++
		}
	}
	for _, p := range plans {
		u := users[p.user]
		joined := latest(u.DateJoined, p.created)
		m := &org.Membership{UserID: u.ID, OrganizationID: p.org, JoinedAt: joined, IsAdmin: p.admin && p.active,
			IsActive: p.active, CreatedAt: joined, UpdatedAt: joined}
		if !p.active {
			m.UpdatedAt = between(r, joined, g.now)
		}
		if p.prescriberSide {
			prescriberMembers = append(prescriberMembers, m)
		} else {
			companyMembers = append(companyMembers, m)
		}
	}
	if err := insertAll(ctx, g.tx, companyMembers, "company_membership"); err != nil {
		return fmt.Errorf("company memberships: %w", err)
	}
	if err := insertAll(ctx, g.tx, prescriberMembers, "prescriber_membership"); err != nil {
		return fmt.Errorf("prescriber memberships: %w", err)
	}
	st.Rows = len(users) + len(companyMembers) + len(prescriberMembers)
	st.Detail = fmt.Sprintf("%s users, %s company and %s prescriber memberships", thousands(len(users)),
		thousands(len(companyMembers)), thousands(len(prescriberMembers)))
	return nil
}

// jobSeekerChunk is how many job seekers are drawn at once (memory stays flat at any scale).
const jobSeekerChunk = 5000

func (g *generator) writeJobSeekers(ctx context.Context, st *Stage) error {
	r := newRand(g.seed, streamJobSeekers)
	rp := newRand(g.seed, streamProfiles)
	used := map[string]bool{}
	withNIR := 0
	for start := 0; start < g.scale.JobSeekers; start += jobSeekerChunk {
		chunk := make([]*account.User, 0, jobSeekerChunk)
		for n := start; n < min(start+jobSeekerChunk, g.scale.JobSeekers); n++ {
			u := jobSeeker(r, n, g.now)
			settle(rp, u, g.ref.places[g.ref.drawPlace(rp)])
			chunk = append(chunk, u)
		}
		if err := insertAll(ctx, g.tx, chunk, ""); err != nil {
			return err
		}
		profiles := make([]*jobseeker.Profile, len(chunk))
		for i, u := range chunk {
			profiles[i] = jobSeekerProfile(rp, u, g.ref.places[g.ref.drawPlace(rp)], used, g.now)
			if profiles[i].NIR != nil {
				withNIR++
			}
		}
		if err := insertAll(ctx, g.tx, profiles, ""); err != nil {
			return fmt.Errorf("profiles: %w", err)
		}
	}
	st.Rows = 2 * g.scale.JobSeekers
	st.Detail = fmt.Sprintf("users without usable password, with their address and profile (%s with a NIR)", thousands(withNIR))
	return nil
}
