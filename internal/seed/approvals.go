package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/org"
)

// Shares of the PASS IAE (approvals.md §1.6, §2.7), relative to the reference day: about 55 %
// valid, 5 % suspended, 5 % prolonged, 30 % expired (a part of them still in their waiting
// period) and 5 % not started yet. The PASS of the accepted SIAE candidatures of the previous
// stage start on their hiring day, whatever state that gives; the other PASS are drawn so that
// the whole data set meets the shares.
const (
	shareFuturePASS      = 0.05
	shareExpiredPASS     = 0.30
	shareSuspendedPASS   = 0.05
	shareProlongedPASS   = 0.05
	shareImportedPASS    = 0.06  // ai_stock and pe_approval, half each: no diagnosis, no candidature
	shareEmployerDiag    = 0.15  // of the diagnoses of a PASS: written by the hiring SIAE
	sharePendingRequests = 0.002 // of the PASS: a prolongation request waits for a prescriber
	// shareEligibleWaiting is the part of the job seekers without PASS whose SIAE candidature
	// waits for an answer (new, processing) who hold a valid prescriber diagnosis and a NIR:
	// accepting their candidature issues a PASS (`make bench-pass`).
	shareEligibleWaiting = 0.5
)

// DefaultPASSPrefix is the prefix of the numbers when Options.PASSPrefix is empty (approvals.md
// §2.7, EMPLOIS_PASS_PREFIX).
const DefaultPASSPrefix = "99999"

// passState is the state a PASS is planned in on the reference day.
type passState int

const (
	passValid passState = iota
	passFuture
	passExpired
)

// hire is an accepted (or waiting) SIAE candidature as the PASS stage reads it back.
type hire struct {
	ID             int64      `bun:"id"`
	JobSeekerID    int64      `bun:"job_seeker_id"`
	CompanyID      int64      `bun:"to_company_id"`
	SenderKind     string     `bun:"sender_kind"`
	SenderID       *int64     `bun:"sender_id"`
	SenderOrgID    *int64     `bun:"sender_prescriber_organization_id"`
	State          string     `bun:"state"`
	HiringStartAt  *time.Time `bun:"hiring_start_at"`
	CreatedAt      time.Time  `bun:"created_at"`
	ProcessedAt    *time.Time `bun:"processed_at"`
	extra          bool       // written by this stage for a PASS
	approval, diag int        // indexes into the stage's plans, -1 when none
}

// passPlan is one PASS, its diagnosis (-1: none) and the candidatures it came from.
type passPlan struct {
	approval.Approval
	state   passState
	company int64 // the hiring SIAE, 0 for the imported PASS
	diag    int
	idx     int // position in passStage.passes
}

// passStage is what the PASS stage draws before writing.
type passStage struct {
	g           *generator
	r           *rand.Rand
	companies   map[int64]*companyRow
	siae        []int64           // SIAE with active members
	members     map[int64][]int64 // company or prescriber organization id → active members
	authorized  []int64           // habilitated prescriber organizations with active members
	habilitated map[int64]bool
	orgKind     map[int64]string
	hires       []*hire
	passes      []*passPlan
	diagnoses   []*eligibility.Diagnosis
	criteria    [][]int16
	suspensions []*approval.Suspension
	prolongs    []*approval.Prolongation
	requests    []*approval.ProlongationRequest
	numbers     map[string]bool
	next        int
	prefix      string
}

func (g *generator) writeApprovals(ctx context.Context, st *Stage) error {
	if g.scale.Approvals == 0 {
		st.Skipped = "none wanted at this scale"
		return nil
	}
	ps, err := g.newPASSStage(ctx)
	if err != nil {
		return err
	}
	if len(ps.siae) == 0 || len(ps.authorized) == 0 {
		st.Skipped = "no SIAE with members or no habilitated prescriber"
		return nil
	}
	eligible, err := ps.plan(ctx)
	if err != nil {
		return err
	}
	if err := ps.write(ctx); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, p := range ps.passes {
		counts[string(p.Origin)]++
	}
	extra := 0
	for _, h := range ps.hires {
		if h.extra {
			extra++
		}
	}
	crit := 0
	for _, c := range ps.criteria {
		crit += len(c)
	}
	st.Rows = len(ps.passes) + len(ps.diagnoses) + crit + len(ps.suspensions) + len(ps.prolongs) + len(ps.requests) + extra
	st.Detail = fmt.Sprintf("%s PASS (%s imported), %s diagnoses (%s of them for waiting candidatures), %s criteria, "+
		"%s suspensions, %s prolongations, %s pending requests, %s accepted candidatures added",
		thousands(len(ps.passes)), thousands(counts[string(approval.OriginAIStock)]+counts[string(approval.OriginPEApproval)]),
		thousands(len(ps.diagnoses)), thousands(eligible), thousands(crit), thousands(len(ps.suspensions)),
		thousands(len(ps.prolongs)), thousands(len(ps.requests)), thousands(extra))
	return nil
}

// newPASSStage reads back what the PASS need of the earlier stages.
func (g *generator) newPASSStage(ctx context.Context) (*passStage, error) {
	ps := &passStage{g: g, r: newRand(g.seed, streamApprovals), companies: map[int64]*companyRow{},
		members: map[int64][]int64{}, orgKind: map[int64]string{}, habilitated: map[int64]bool{}, numbers: map[string]bool{}, prefix: g.passPrefix}
	for _, c := range g.companies {
		ps.companies[c.ID] = c
	}
	members, err := activeMembers(ctx, g.tx)
	if err != nil {
		return nil, err
	}
	prescribers := map[int64]*prescriberRow{}
	for _, p := range g.prescribers {
		prescribers[p.ID] = p
		ps.orgKind[p.ID] = string(p.Kind)
	}
	for _, m := range members {
		if m.Prescriber {
			if _, ok := prescribers[m.OrganizationID]; !ok {
				continue
			}
		} else if _, ok := ps.companies[m.OrganizationID]; !ok {
			continue
		}
		// Company and organization ids may collide: prescriber ones are stored negated.
		key := m.OrganizationID
		if m.Prescriber {
			key = -key
		}
		ps.members[key] = append(ps.members[key], m.UserID)
	}
	for _, c := range g.companies {
		if c.Kind.IsSIAE() && len(ps.members[c.ID]) > 0 {
			ps.siae = append(ps.siae, c.ID)
		}
	}
	for _, p := range g.prescribers {
		ps.habilitated[p.ID] = p.IsAuthorized()
		if p.IsAuthorized() && len(ps.members[-p.ID]) > 0 {
			ps.authorized = append(ps.authorized, p.ID)
		}
	}
	// Numbers continue after the highest of the prefix already in the database (§2.7).
	var highest []string
	err = g.tx.NewRaw(`SELECT number FROM approval WHERE number >= ? AND number <= ?
		UNION ALL SELECT number FROM cancelled_approval WHERE number >= ? AND number <= ?`,
		ps.prefix+"0000000", ps.prefix+"9999999", ps.prefix+"0000000", ps.prefix+"9999999").Scan(ctx, &highest)
	if err != nil {
		return nil, fmt.Errorf("highest number: %w", err)
	}
	for _, n := range highest {
		var seq int
		if _, err := fmt.Sscanf(n[len(ps.prefix):], "%d", &seq); err == nil && seq > ps.next {
			ps.next = seq
		}
	}
	return ps, nil
}

// member returns an active member of a company (id > 0) or prescriber organization (-id).
func (ps *passStage) member(key int64) *int64 {
	list := ps.members[key]
	if len(list) == 0 {
		return nil
	}
	id := list[ps.r.IntN(len(list))]
	return &id
}

func (ps *passStage) today() time.Time { return ps.g.now }

func (ps *passStage) addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// plan draws every row of the stage; it returns how many diagnoses were written for waiting
// candidatures.
func (ps *passStage) plan(ctx context.Context) (int, error) {
	g := ps.g
	var rows []*hire
	err := g.tx.NewRaw(`SELECT id, job_seeker_id, to_company_id, sender_kind, sender_id, sender_prescriber_organization_id,
		state, hiring_start_at, created_at, processed_at FROM job_application
		WHERE state IN ('accepted', 'new', 'processing') AND job_seeker_id IN (SELECT id FROM users WHERE email LIKE ?)
		ORDER BY id`, domainPattern).Scan(ctx, &rows)
	if err != nil {
		return 0, fmt.Errorf("candidatures: %w", err)
	}
	var seekers []int64
	if err := g.tx.NewRaw("SELECT id FROM users WHERE kind = 'job_seeker' AND email LIKE ? ORDER BY id", domainPattern).Scan(ctx, &seekers); err != nil {
		return 0, fmt.Errorf("job seekers: %w", err)
	}
	var withNIR []int64
	if err := g.tx.NewRaw(`SELECT p.user_id FROM job_seeker_profile p JOIN users u ON u.id = p.user_id
		WHERE p.nir IS NOT NULL AND u.email LIKE ? ORDER BY 1`, domainPattern).Scan(ctx, &withNIR); err != nil {
		return 0, fmt.Errorf("job seekers with a NIR: %w", err)
	}
	nir := make(map[int64]bool, len(withNIR))
	for _, id := range withNIR {
		nir[id] = true
	}
	holder := map[int64]*passPlan{} // job seeker → their PASS
	var waiting []*hire
	want := g.scale.Approvals
	imported := int(float64(want) * shareImportedPASS)
	for _, h := range rows {
		c, ok := ps.companies[h.CompanyID]
		if !ok || !c.Kind.IsSIAE() {
			continue
		}
		h.approval, h.diag = -1, -1
		switch {
		case h.State != string(application.Accepted):
			waiting = append(waiting, h)
			continue
		case holder[h.JobSeekerID] != nil:
			// A second hire of the same job seeker reuses the PASS when it starts within it.
			if p := holder[h.JobSeekerID]; !h.HiringStartAt.Before(p.StartAt) && !h.HiringStartAt.After(p.EndAt) {
				h.approval, h.diag = p.idx, p.diag
				ps.hires = append(ps.hires, h)
			}
			continue
		case len(ps.passes) >= want-imported:
			continue
		}
		p := ps.fromHire(h)
		holder[h.JobSeekerID] = p
	}
	// The PASS imported from France Travail and the AI stock, then those of new hires, for job
	// seekers who have none yet, so that the whole meets the shares.
	eligible := 0
	free := make([]int64, 0, len(seekers))
	reserved := map[int64]bool{}
	for _, h := range waiting {
		if holder[h.JobSeekerID] != nil || reserved[h.JobSeekerID] || !nir[h.JobSeekerID] {
			continue
		}
		reserved[h.JobSeekerID] = true
		if chance(ps.r, shareEligibleWaiting) {
			ps.eligibleDiagnosis(h)
			eligible++
		}
	}
	for _, id := range seekers {
		if holder[id] == nil && !reserved[id] {
			free = append(free, id)
		}
	}
	ps.r.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for i := 0; i < imported && len(free) > 0; i++ {
		ps.importedPASS(free[0], i%2 == 0)
		free = free[1:]
	}
	ps.newHires(want-len(ps.passes), free)
	ps.changeDates()
	return eligible, nil
}

// number is the next number of the prefix.
func (ps *passStage) number() string {
	ps.next++
	return fmt.Sprintf("%s%07d", ps.prefix, ps.next)
}

// diagnosis plans the IAE diagnosis of a hire at company, written on created: by the habilitated
// organization that sent the candidature, else mostly by another habilitated prescriber, some
// by the SIAE itself (with the level-1 criterion it needs, §2.3).
func (ps *passStage) diagnosis(jobSeeker int64, company int64, senderOrg *int64, sender *int64, created time.Time) int {
	d := &eligibility.Diagnosis{}
	d.JobSeekerID, d.CreatedAt, d.UpdatedAt = jobSeeker, created, created
	var crit []int16
	authorized := senderOrg != nil && ps.habilitated[*senderOrg]
	switch {
	case authorized:
		o := *senderOrg
		d.AuthorKind, d.AuthorPrescriberOrganizationID, d.AuthorID = eligibility.AuthorPrescriber, &o, sender
	case company != 0 && chance(ps.r, shareEmployerDiag):
		co := company
		d.AuthorKind, d.AuthorCompanyID, d.AuthorID = eligibility.AuthorEmployer, &co, ps.member(company)
		crit = append(crit, int16(1+ps.r.IntN(4)))
	default:
		o := pick(ps.r, ps.authorized)
		d.AuthorKind, d.AuthorPrescriberOrganizationID, d.AuthorID = eligibility.AuthorPrescriber, &o, ps.member(-o)
	}
	crit = ps.levelTwo(crit)
	d.ExpiresAt = eligibility.ExpiresAt(d.AuthorKind, created)
	ps.diagnoses = append(ps.diagnoses, d)
	ps.criteria = append(ps.criteria, crit)
	return len(ps.diagnoses) - 1
}

// levelTwo adds up to two level-2 criteria, never SENIOR with JEUNE nor DELD beside DETLD (§2.3).
func (ps *passStage) levelTwo(crit []int16) []int16 {
	for range ps.r.IntN(3) {
		c := int16(5 + ps.r.IntN(14))
		clash := false
		for _, have := range crit {
			if have == c || (have == 6 && c == 7) || (have == 7 && c == 6) || (have == 4 && c == 9) {
				clash = true
			}
		}
		if !clash {
			crit = append(crit, c)
		}
	}
	return crit
}

// pass plans a default-origin PASS of a hire at company, from start, written on created.
func (ps *passStage) pass(jobSeeker, company int64, senderKind string, senderOrg *int64, start, created time.Time, diag int) *passPlan {
	c := ps.companies[company]
	p := &passPlan{company: company, diag: diag}
	p.PublicID, p.Number = newUUID(ps.r), ps.number()
	p.StartAt, p.EndAt = start, approval.DefaultEnd(start)
	p.UserID, p.Origin, p.CreatedByID = jobSeeker, approval.OriginDefault, ps.member(company)
	siret := c.SIRET
	p.OriginSIAESIRET, p.OriginSIAEKind, p.OriginSenderKind = &siret, string(c.Kind), senderKind
	if senderOrg != nil {
		p.OriginPrescriberOrganizationKind = ps.orgKind[*senderOrg]
	}
	p.CreatedAt, p.UpdatedAt = created, created
	ps.notified(p)
	p.state = ps.stateOf(p.StartAt, p.EndAt)
	p.idx = len(ps.passes)
	ps.passes = append(ps.passes, p)
	return p
}

// notified: France Travail has been told of the PASS older than two days (§2.13).
func (ps *passStage) notified(p *passPlan) {
	p.PENotificationStatus = "notification_pending"
	if p.CreatedAt.Before(ps.today().AddDate(0, 0, -2)) {
		at := p.CreatedAt.Add(time.Duration(1+ps.r.IntN(36)) * time.Hour)
		p.PENotificationStatus, p.PENotificationTime, p.PENotificationEndpoint = "notification_success", &at, "rech_individu"
	}
}

func (ps *passStage) stateOf(start, end time.Time) passState {
	switch today := ps.today(); {
	case end.Before(today):
		return passExpired
	case start.After(today):
		return passFuture
	}
	return passValid
}

// fromHire plans the PASS of an accepted candidature: from its hiring day, with the diagnosis
// written before it was sent (a prescriber's) or on its acceptance (the SIAE's).
func (ps *passStage) fromHire(h *hire) *passPlan {
	accepted := h.CreatedAt
	if h.ProcessedAt != nil {
		accepted = *h.ProcessedAt
	}
	written := h.CreatedAt.Add(-time.Duration(ps.r.IntN(30*24)) * time.Hour)
	senderOrg := h.SenderOrgID
	if h.SenderKind != string(application.SenderPrescriber) {
		senderOrg = nil
	}
	diag := ps.diagnosis(h.JobSeekerID, h.CompanyID, senderOrg, h.SenderID, written)
	if ps.diagnoses[diag].AuthorKind == eligibility.AuthorEmployer {
		d := ps.diagnoses[diag]
		d.CreatedAt, d.UpdatedAt, d.ExpiresAt = accepted, accepted, eligibility.ExpiresAt(eligibility.AuthorEmployer, accepted)
	}
	p := ps.pass(h.JobSeekerID, h.CompanyID, h.SenderKind, h.SenderOrgID, day(*h.HiringStartAt), accepted, diag)
	h.approval, h.diag = len(ps.passes)-1, diag
	ps.hires = append(ps.hires, h)
	return p
}

// eligibleDiagnosis gives the job seeker of a waiting candidature a valid prescriber diagnosis.
func (ps *passStage) eligibleDiagnosis(h *hire) {
	written := daysBefore(ps.r, ps.today(), 1, 150)
	org := pick(ps.r, ps.authorized)
	d := &eligibility.Diagnosis{}
	d.JobSeekerID, d.CreatedAt, d.UpdatedAt = h.JobSeekerID, written, written
	d.AuthorKind, d.AuthorPrescriberOrganizationID, d.AuthorID = eligibility.AuthorPrescriber, &org, ps.member(-org)
	d.ExpiresAt = eligibility.ExpiresAt(eligibility.AuthorPrescriber, written)
	ps.diagnoses = append(ps.diagnoses, d)
	ps.criteria = append(ps.criteria, ps.levelTwo(nil))
}

// importedPASS plans a PASS of the AI stock or a France Travail agrément: no diagnosis, no
// candidature, a number without the prefix (SAFIR code, year, decision number); mostly expired.
func (ps *passStage) importedPASS(jobSeeker int64, aiStock bool) {
	p := &passPlan{diag: -1}
	p.PublicID, p.UserID = newUUID(ps.r), jobSeeker
	p.Origin = approval.OriginPEApproval
	if aiStock {
		p.Origin = approval.OriginAIStock
	}
	for p.Number == "" || ps.numbers[p.Number] || strings.HasPrefix(p.Number, ps.prefix) {
		p.Number = fmt.Sprintf("%05d%02d%05d", 10000+ps.r.IntN(89000), 18+ps.r.IntN(4), 1+ps.r.IntN(99999))
	}
	ps.numbers[p.Number] = true
	var start time.Time
	if chance(ps.r, 0.8) {
		start = ps.addDays(ps.today(), -(730 + ps.r.IntN(1500)))
	} else {
		start = ps.addDays(ps.today(), -ps.r.IntN(700))
	}
	p.StartAt, p.EndAt = start, approval.DefaultEnd(start)
	p.CreatedAt = start.Add(-time.Duration(ps.r.IntN(20*24)) * time.Hour)
	p.UpdatedAt = p.CreatedAt
	ps.notified(p)
	p.state = ps.stateOf(p.StartAt, p.EndAt)
	p.idx = len(ps.passes)
	ps.passes = append(ps.passes, p)
}

// newHires plans n more PASS, each with its accepted candidature to an SIAE and its diagnosis,
// for the free job seekers, in the states the data set still lacks to meet the shares.
func (ps *passStage) newHires(n int, free []int64) {
	n = min(n, len(free))
	if n <= 0 {
		return
	}
	want := ps.g.scale.Approvals
	have := map[passState]int{}
	for _, p := range ps.passes {
		have[p.state]++
	}
	future := max(0, int(float64(want)*shareFuturePASS)-have[passFuture])
	expired := max(0, int(float64(want)*shareExpiredPASS)-have[passExpired])
	if future+expired > n {
		future, expired = future*n/(future+expired), n-future*n/(future+expired)
	}
	for i := range n {
		var start time.Time
		today := ps.today()
		switch {
		case i < future:
			start = ps.addDays(today, 1+ps.r.IntN(60))
		case i < future+expired:
			// Ended within the last four years: half of them in their waiting period (§2.9).
			start = ps.addDays(today, -(730 + ps.r.IntN(4*365)))
		default:
			start = ps.addDays(today, -ps.r.IntN(730))
		}
		ps.newHire(free[i], start)
	}
}

// newHire plans an accepted candidature to an SIAE starting on start, its diagnosis and its PASS.
func (ps *passStage) newHire(jobSeeker int64, start time.Time) {
	r := ps.r
	company := pick(r, ps.siae)
	sent := start.Add(-time.Duration(24*(7+r.IntN(50))+r.IntN(24)) * time.Hour)
	if !sent.Before(ps.today()) {
		sent = daysBefore(r, ps.today(), 1, 30)
	}
	accepted := between(r, sent, minTime(ps.today(), sent.AddDate(0, 0, 20)))
	h := &hire{JobSeekerID: jobSeeker, CompanyID: company, State: string(application.Accepted), CreatedAt: sent, extra: true}
	h.ProcessedAt = &accepted
	h.HiringStartAt = &start
	if chance(r, 0.7) {
		org := pick(r, ps.authorized)
		h.SenderKind, h.SenderOrgID, h.SenderID = string(application.SenderPrescriber), &org, ps.member(-org)
	} else {
		h.SenderKind, h.SenderID = string(application.SenderEmployer), ps.member(company)
	}
	written := sent.Add(-time.Duration(r.IntN(30*24)) * time.Hour)
	h.diag = ps.diagnosis(jobSeeker, company, h.SenderOrgID, h.SenderID, written)
	if d := ps.diagnoses[h.diag]; d.AuthorKind == eligibility.AuthorEmployer {
		d.CreatedAt, d.UpdatedAt, d.ExpiresAt = accepted, accepted, eligibility.ExpiresAt(eligibility.AuthorEmployer, accepted)
	}
	ps.pass(jobSeeker, company, h.SenderKind, h.SenderOrgID, start, accepted, h.diag)
	h.approval = len(ps.passes) - 1
	ps.hires = append(ps.hires, h)
}

// changeDates suspends and prolongs some valid PASS of a hire and leaves prolongation requests
// pending on a few others, as their SIAE would have (§2.10, §2.11): a suspension covering the
// reference day, a prolongation from the PASS's former end; each moves the PASS end.
func (ps *passStage) changeDates() {
	r, today := ps.r, ps.today()
	var inProgress, closeToEnd []*passPlan
	for _, p := range ps.passes {
		if p.state != passValid || p.company == 0 || p.StartAt.After(today) {
			continue
		}
		if p.EndAt.Before(today.AddDate(0, 0, 365)) {
			closeToEnd = append(closeToEnd, p)
		} else {
			inProgress = append(inProgress, p)
		}
	}
	want := ps.g.scale.Approvals
	r.Shuffle(len(closeToEnd), func(i, j int) { closeToEnd[i], closeToEnd[j] = closeToEnd[j], closeToEnd[i] })
	r.Shuffle(len(inProgress), func(i, j int) { inProgress[i], inProgress[j] = inProgress[j], inProgress[i] })
	prolonged := min(int(float64(want)*shareProlongedPASS), len(closeToEnd))
	for _, p := range closeToEnd[:prolonged] {
		ps.prolong(p)
	}
	closeToEnd = closeToEnd[prolonged:]
	requests := min(int(float64(want)*sharePendingRequests), len(closeToEnd))
	for _, p := range closeToEnd[:requests] {
		ps.request(p)
	}
	rest := append(inProgress, closeToEnd[requests:]...)
	for _, p := range rest[:min(int(float64(want)*shareSuspendedPASS), len(rest))] {
		ps.suspend(p)
	}
}

func (ps *passStage) suspend(p *passPlan) {
	r, today := ps.r, ps.today()
	c := ps.companies[p.company]
	start := latest(p.StartAt, ps.addDays(today, -(1+r.IntN(120))))
	end := ps.addDays(today, 7+r.IntN(180))
	created := start.Add(time.Duration(8+r.IntN(10)) * time.Hour)
	company := p.company
	by := ps.member(company)
	s := &approval.Suspension{StartAt: start, EndAt: end, CompanyID: &company,
		Reason: pick(r, approval.SuspensionReasonsFor(c.Kind)), CreatedByID: by, UpdatedByID: by, CreatedAt: created, UpdatedAt: created}
	s.ApprovalID = int64(p.idx)
	ps.suspensions = append(ps.suspensions, s)
	p.EndAt = ps.addDays(p.EndAt, s.Delta())
	p.UpdatedAt = created
}

// prolongReasons are the reasons of the seeded prolongations: those applied at once mostly.
var prolongReasons = newWeighted[approval.ProlongationReason](approval.CompleteTraining, 5.0, approval.SeniorCDI, 1.0,
	approval.RQTH, 2.0, approval.Senior, 2.0)

func (ps *passStage) prolong(p *passPlan) {
	r, today := ps.r, ps.today()
	reason := prolongReasons.draw(r)
	days := 30 + r.IntN(prolongationMax(reason)-29)
	created := latest(p.CreatedAt, ps.addDays(p.EndAt, -(30+r.IntN(300))).Add(time.Duration(8+r.IntN(10))*time.Hour))
	created = minTime(created, today.Add(-time.Hour))
	company := p.company
	by := ps.member(company)
	pr := &approval.Prolongation{}
	pr.StartAt, pr.EndAt, pr.Reason = p.EndAt, ps.addDays(p.EndAt, days), reason
	pr.ReasonExplanation = "Prolongation déclarée par la structure."
	pr.DeclaredByID, pr.DeclaredByCompanyID, pr.CreatedByID, pr.UpdatedByID = by, &company, by, by
	pr.CreatedAt, pr.UpdatedAt = created, created
	if reason.NeedsPrescriber() {
		org := pick(r, ps.authorized)
		pr.PrescriberOrganizationID, pr.ValidatedByID = &org, ps.member(-org)
	}
	pr.ApprovalID = int64(p.idx)
	ps.prolongs = append(ps.prolongs, pr)
	p.EndAt = pr.EndAt
	p.UpdatedAt = created
}

// prolongationMax is the longest prolongation the seed declares for reason: its maximum, within a year.
func prolongationMax(reason approval.ProlongationReason) int {
	return min(approval.ProlongationRules[reason].MaxDays, 365)
}

func (ps *passStage) request(p *passPlan) {
	r, today := ps.r, ps.today()
	reasons := []approval.ProlongationReason{approval.RQTH, approval.Senior}
	if k := ps.companies[p.company].Kind; k == org.AI || k == org.ACI {
		reasons = append(reasons, approval.ParticularDifficulties)
	}
	company, orgID := p.company, pick(r, ps.authorized)
	by := ps.member(company)
	created := daysBefore(r, today, 1, 20)
	q := &approval.ProlongationRequest{Status: approval.RequestPending, AssignedToID: ps.member(-orgID)}
	q.StartAt, q.EndAt, q.Reason = p.EndAt, ps.addDays(p.EndAt, 90+r.IntN(270)), pick(r, reasons)
	q.ReasonExplanation = "La personne a besoin de plus de temps pour finaliser son parcours."
	q.DeclaredByID, q.DeclaredByCompanyID, q.PrescriberOrganizationID = by, &company, &orgID
	q.CreatedByID, q.UpdatedByID, q.CreatedAt, q.UpdatedAt = by, by, created, created
	q.ApprovalID = int64(p.idx)
	ps.requests = append(ps.requests, q)
}

// day is the calendar day of t (the dates are stored at UTC midnight).
func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// write stores the plans: diagnoses and their criteria, the candidatures added, the PASS and
// their suspensions, prolongations and requests, then the links of the candidatures.
func (ps *passStage) write(ctx context.Context) error {
	tx := ps.g.tx
	if err := insertAll(ctx, tx, ps.diagnoses, ""); err != nil {
		return fmt.Errorf("diagnoses: %w", err)
	}
	type selected struct {
		bun.BaseModel `bun:"table:selected_administrative_criteria"`
		DiagnosisID   int64     `bun:"eligibility_diagnosis_id"`
		CriterionID   int16     `bun:"administrative_criteria_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	var crit []*selected
	for i, list := range ps.criteria {
		for _, c := range list {
			crit = append(crit, &selected{DiagnosisID: ps.diagnoses[i].ID, CriterionID: c, CreatedAt: ps.diagnoses[i].CreatedAt})
		}
	}
	if err := insertAll(ctx, tx, crit, ""); err != nil {
		return fmt.Errorf("criteria: %w", err)
	}
	var added []*application.Application
	for _, h := range ps.hires {
		if !h.extra {
			continue
		}
		a := &application.Application{PublicID: newUUID(ps.r), ToCompanyID: h.CompanyID, JobSeekerID: h.JobSeekerID,
			SenderID: h.SenderID, SenderKind: application.SenderKind(h.SenderKind), SenderPrescriberOrganizationID: h.SenderOrgID,
			State: application.Accepted, Message: pick(ps.r, applicationMessages), HiringStartAt: h.HiringStartAt,
			Origin: application.OriginDefault, ApprovalDeliveryMode: application.DeliveryAutomatic, ProcessedAt: h.ProcessedAt,
			CreatedAt: h.CreatedAt, UpdatedAt: *h.ProcessedAt, CreateEmployeeRecord: true,
			Answer: "Bienvenue dans l'équipe : rendez-vous le premier jour à 9 heures."}
		if h.SenderKind == string(application.SenderEmployer) {
			company := h.CompanyID
			a.SenderCompanyID, a.Message = &company, ""
		}
		added = append(added, a)
	}
	if err := insertAll(ctx, tx, added, ""); err != nil {
		return fmt.Errorf("accepted candidatures: %w", err)
	}
	k := 0
	for _, h := range ps.hires {
		if h.extra {
			h.ID = added[k].ID
			k++
		}
	}
	rows := make([]*approval.Approval, len(ps.passes))
	for i, p := range ps.passes {
		if p.diag >= 0 {
			id := ps.diagnoses[p.diag].ID
			p.EligibilityDiagnosisID = &id
		}
		rows[i] = &p.Approval
	}
	if err := insertAll(ctx, tx, rows, ""); err != nil {
		return fmt.Errorf("PASS: %w", err)
	}
	for _, s := range ps.suspensions {
		s.ApprovalID = rows[s.ApprovalID].ID
	}
	for _, p := range ps.prolongs {
		p.ApprovalID = rows[p.ApprovalID].ID
	}
	for _, q := range ps.requests {
		q.ApprovalID = rows[q.ApprovalID].ID
	}
	if err := insertAll(ctx, tx, ps.suspensions, ""); err != nil {
		return fmt.Errorf("suspensions: %w", err)
	}
	if err := insertAll(ctx, tx, ps.prolongs, ""); err != nil {
		return fmt.Errorf("prolongations: %w", err)
	}
	if err := insertAll(ctx, tx, ps.requests, ""); err != nil {
		return fmt.Errorf("prolongation requests: %w", err)
	}
	return ps.link(ctx, rows)
}

// link ties each candidature behind a PASS to it and its diagnosis, as the acceptance does
// (delivery automatic, number sent), and gives the waiting candidatures of the eligible job
// seekers nothing: their diagnosis is found by job seeker. One UPDATE per batch.
func (ps *passStage) link(ctx context.Context, rows []*approval.Approval) error {
	for start := 0; start < len(ps.hires); start += batchSize {
		batch := ps.hires[start:min(start+batchSize, len(ps.hires))]
		var values strings.Builder
		args := make([]any, 0, 3*len(batch))
		for i, h := range batch {
			if i > 0 {
				values.WriteString(", ")
			}
			values.WriteString("(?, ?, ?)")
			args = append(args, h.ID, rows[h.approval].ID, ps.diagnoses[h.diag].ID)
		}
		_, err := ps.g.tx.NewRaw(`WITH v (id, approval_id, diagnosis_id) AS (VALUES `+values.String()+`)
			UPDATE job_application SET approval_id = v.approval_id, eligibility_diagnosis_id = v.diagnosis_id,
			approval_delivery_mode = 'automatic',
			approval_number_sent_at = (SELECT a.created_at FROM approval a WHERE a.id = v.approval_id)
			FROM v WHERE job_application.id = v.id`, args...).Exec(ctx)
		if err != nil {
			return fmt.Errorf("link candidatures: %w", err)
		}
	}
	return nil
}
