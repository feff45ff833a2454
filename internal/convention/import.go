package convention

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// ErrDryRun ends a run without --wet-run: everything was computed and reported, then rolled back.
var ErrDryRun = errors.New("DRY RUN mode, use --wet-run to apply changes")

// ActionSIRETChanged is the audit action of a company whose SIRET the ASP changed: the only
// trace of the import in the company's history (asp.md §1.1).
const ActionSIRETChanged = "company_siret_changed"

// Options of one import run.
type Options struct {
	StructuresPath string // « Vue Structure » (fluxIAE_Structure_*.csv.gz)
	AnnexesPath    string // « Vue AF » (fluxIAE_AnnexeFinanciere_*.csv.gz)
	WetRun         bool   // commit; otherwise roll back and return ErrDryRun
	// RequireDuplicates refuses an AF export in which no annex number repeats (upstream's check
	// against truncated exports; asp.md §8).
	RequireDuplicates bool
	Now               time.Time // zero: time.Now()
	BaseURL           string    // for the link of the activation mails
	Out               io.Writer // the report, line by line in emission order
}

// Summary counts what a run did, for callers and tests.
type Summary struct {
	Errors                                               int
	CompaniesCreated, CompaniesDeleted, MadeUnsearchable int
	SIRETsChanged, AuthEmailsUpdated                     int
	ConventionsCreated, ConventionsDeleted               int
	ConventionsReactivated, ConventionsDeactivated       int
	AnnexesCreated, AnnexesDeleted, AnnexesUpdated       int
}

// run is one import: the files, the transaction and what is being reported.
type run struct {
	opt     Options
	tx      bun.Tx
	now     time.Time
	today   time.Time
	runUID  string
	structs *Structures
	annexes []Annex
	keys    map[Key]KeyState
	sum     Summary
	// pending are the companies step 5 created, written by step 6 (the next one) with their
	// convention.
	pending []*org.Company

	// Reloaded by load() at the start of each step.
	companies   []*org.Company
	bySIRETKind map[string]*org.Company
	conventions map[Key]*org.Convention
	convByID    map[int64]*org.Convention
}

// abort ends the run: nothing is written.
func abort(format string, args ...any) error {
	return fmt.Errorf("import arrêté, rien n'a été enregistré : "+format, args...)
}

func (r *run) printf(format string, args ...any) {
	fmt.Fprintf(r.opt.Out, format+"\n", args...)
}

// errorf prints an error that needs a human and does not stop the run.
func (r *run) errorf(format string, args ...any) {
	r.sum.Errors++
	r.printf("ERROR: "+format, args...)
}

// Import reads both exports and applies them in one transaction (asp.md §1.6). The files are
// fully checked before the database is touched.
func Import(ctx context.Context, d *db.DB, opt Options) (Summary, error) {
	if opt.Out == nil {
		opt.Out = io.Discard
	}
	r := &run{opt: opt, now: opt.Now, runUID: uuid.NewString()}
	if r.now.IsZero() {
		r.now = time.Now()
	}
	r.now = r.now.UTC()
	r.today = localtime.Day(r.now)
	if err := r.readFiles(); err != nil {
		return r.sum, err
	}
	err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r.tx = tx
		if err := r.steps(ctx); err != nil {
			return err
		}
		if !opt.WetRun {
			return ErrDryRun
		}
		return nil
	})
	if err != nil {
		return r.sum, err
	}
	switch n := r.sum.Errors; {
	case n == 0:
		r.printf("All done!")
	case n == 1:
		r.printf("*** ERROR *** The command completed all its actions successfully but 1 error needs manual resolution, see the command's output")
	default:
		r.printf("*** ERRORS *** The command completed all its actions successfully but %d errors needs manual resolution, see the command's output", n)
	}
	return r.sum, nil
}

func (r *run) readFiles() error {
	r.printf("Selected file %s for Vue Structure.", filepath.Base(r.opt.StructuresPath))
	st, err := readTable(r.opt.StructuresPath, StructureColumns)
	if err != nil {
		return err
	}
	r.printf("Loading %d rows for fluxIAE_Structure ...", len(st.rows))
	if r.structs, err = parseStructures(st); err != nil {
		return err
	}
	if n := len(r.structs.Skipped); n > 0 {
		// Such a structure counts as absent and its convention gets deactivated (asp.md §8).
		r.printf("%d rows without %s ignored (lines %s)", n, colStructAuthEmail, lineList(r.structs.Skipped))
	}
	r.printf("Selected file %s for Vue AF.", filepath.Base(r.opt.AnnexesPath))
	af, err := readTable(r.opt.AnnexesPath, AnnexColumns)
	if err != nil {
		return err
	}
	r.printf("Loading %d rows for fluxIAE_AnnexeFinanciere ...", len(af.rows))
	if r.annexes, err = parseAnnexes(af, r.today, r.opt.RequireDuplicates); err != nil {
		return err
	}
	r.keys = KeyStates(r.annexes, r.today)
	return nil
}

func lineList(lines []int) string {
	parts := make([]string, 0, min(len(lines), 20))
	for _, l := range lines[:min(len(lines), 20)] {
		parts = append(parts, fmt.Sprint(l))
	}
	s := strings.Join(parts, ", ")
	if len(lines) > 20 {
		s += ", …"
	}
	return s
}

func (r *run) steps(ctx context.Context) error {
	for _, step := range []func(context.Context) error{
		r.deleteMemberlessAntennas, r.settleStaffCreated, r.syncSIRETs, r.updateConventions, r.createCompanies,
		r.createConventions, r.deleteOrphans, r.syncAnnexes, r.cleanGracePeriod,
		r.updateConventions, r.syncSIRETs, r.deleteOrphans, // second pass (asp.md §1.6 step 10)
		r.checkConsistency, r.checkSignup,
	} {
		if err := r.load(ctx); err != nil {
			return err
		}
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func siretKind(siret string, kind org.CompanyKind) string { return siret + "/" + string(kind) }

// load reads the companies and conventions as the previous step left them.
func (r *run) load(ctx context.Context) error {
	var err error
	if r.companies, err = visibleCompanies(ctx, r.tx); err != nil {
		return err
	}
	convs, err := allConventions(ctx, r.tx)
	if err != nil {
		return err
	}
	r.bySIRETKind = make(map[string]*org.Company, len(r.companies))
	for _, c := range r.companies {
		r.bySIRETKind[siretKind(c.SIRET, c.Kind)] = c
	}
	r.conventions = make(map[Key]*org.Convention, len(convs))
	r.convByID = make(map[int64]*org.Convention, len(convs))
	for _, c := range convs {
		r.conventions[Key{c.ASPID, c.Kind}] = c
		r.convByID[c.ID] = c
	}
	return nil
}

// deletable reads and applies the deletability rule.
func (r *run) deletable(ctx context.Context, c *org.Company) (bool, error) {
	f, err := deletionFacts(ctx, r.tx, c)
	return Deletable(f), err
}

// Step 1.
func (r *run) deleteMemberlessAntennas(ctx context.Context) error {
	list, err := memberless(ctx, r.tx)
	if err != nil {
		return err
	}
	for _, c := range list {
		ok, err := r.deletable(ctx, c)
		if err != nil {
			return err
		}
		if !ok {
			r.errorf("siae.id=%d is user created and has no member but has job applications thus cannot be deleted", c.ID)
			continue
		}
		r.printf("siae.id=%d is user created and has no member thus will be deleted", c.ID)
		if err := deleteCompany(ctx, r.tx, c.ID); err != nil {
			return err
		}
		r.sum.CompaniesDeleted++
	}
	return nil
}

// Step 2.
func (r *run) settleStaffCreated(ctx context.Context) error {
	var recent int
	var expired []*org.Company
	for _, c := range r.companies {
		if !c.Kind.IsSIAE() || c.Source != org.SourceStaffCreated {
			continue
		}
		switch {
		case c.ConventionID != nil:
			c.Source, c.UpdatedAt = org.SourceUserCreated, r.now
			if err := updateCompany(ctx, r.tx, c, "source"); err != nil {
				return err
			}
			r.printf("converted staff created siae.id=%d to user created siae as it has a convention", c.ID)
		case !StaffCreatedExpired(c.CreatedAt, r.now):
			recent++
		default:
			expired = append(expired, c)
		}
	}
	r.printf("%d siaes created recently by staff (still waiting for ASP data to be confirmed)", recent)
	r.printf("%d siaes created by staff should be deleted as they are unconfirmed", len(expired))
	for _, c := range expired {
		ok, err := r.deletable(ctx, c)
		if err != nil {
			return err
		}
		if !ok {
			r.errorf("Please fix unconfirmed staff created siae.id=%d by either deleting it or attaching it to the correct convention", c.ID)
			continue
		}
		if err := deleteCompany(ctx, r.tx, c.ID); err != nil {
			return err
		}
		r.sum.CompaniesDeleted++
		r.printf("deleted unconfirmed siae.id=%d created by staff a while ago", c.ID)
	}
	return nil
}

func describe(c *org.Company, conv *org.Convention) string {
	if conv == nil {
		return fmt.Sprintf("%s %s convention=None", c.Source, c.SIRET)
	}
	return fmt.Sprintf("%s %s convention.id=%d asp_id=%d", c.Source, c.SIRET, conv.ID, conv.ASPID)
}

// Step 3: the ASP's current SIRET and auth e-mail onto the ASP companies.
func (r *run) syncSIRETs(ctx context.Context) error {
	emails := 0
	for _, c := range r.companies {
		if c.Source != org.SourceASP || c.Convention == nil {
			continue
		}
		row := r.structs.ByASPID[c.Convention.ASPID]
		if row == nil {
			continue
		}
		var columns []string
		if row.AuthEmail != "" && row.AuthEmail != c.AuthEmail {
			c.AuthEmail = row.AuthEmail
			columns = append(columns, "auth_email")
			emails++
		}
		if row.SIRET != c.SIRET {
			if org.SIREN(row.SIRET) != org.SIREN(c.SIRET) {
				return abort("la structure ASP %d de l'entreprise %d change de SIREN (%s → %s)", row.ASPID, c.ID, c.SIRET, row.SIRET)
			}
			if other := r.bySIRETKind[siretKind(row.SIRET, c.Kind)]; other != nil {
				// The auth e-mail is saved anyway, unlike upstream (asp.md §8).
				r.errorf("siae.id=%d (%s) has changed siret from %s to %s but new siret is already used by siae.id=%d (%s) ",
					c.ID, describe(c, c.Convention), c.SIRET, row.SIRET, other.ID, describe(other, other.Convention))
			} else {
				r.printf("siae.id=%d has changed siret from %s to %s (will be updated)", c.ID, c.SIRET, row.SIRET)
				err := audit.Record(ctx, r.tx, actor.Actor{}, ActionSIRETChanged, audit.Object{Type: "company", ID: c.UID},
					map[string]any{"before": map[string]string{"siret": c.SIRET}, "after": map[string]string{"siret": row.SIRET},
						"run_uid": r.runUID})
				if err != nil {
					return err
				}
				delete(r.bySIRETKind, siretKind(c.SIRET, c.Kind))
				c.SIRET = row.SIRET
				r.bySIRETKind[siretKind(c.SIRET, c.Kind)] = c
				columns = append(columns, "siret")
				r.sum.SIRETsChanged++
			}
		}
		if len(columns) > 0 {
			c.UpdatedAt = r.now
			if err := updateCompany(ctx, r.tx, c, columns...); err != nil {
				return err
			}
		}
	}
	r.sum.AuthEmailsUpdated += emails
	r.printf("%d siae.auth_email fields have been updated", emails)
	return nil
}

// Step 4: each ASP company's convention follows its structure's annexes.
func (r *run) updateConventions(ctx context.Context) error {
	var queued []*org.Convention
	reactivated := 0
	for _, c := range r.companies {
		conv := c.Convention
		if c.Source != org.SourceASP || conv == nil {
			continue
		}
		if conv.Kind != c.Kind || org.SIREN(conv.SiretSignature) != org.SIREN(c.SIRET) {
			return abort("la convention %d (%s, SIRET %s) ne correspond pas à l'entreprise %d (%s, SIRET %s)",
				conv.ID, conv.Kind, conv.SiretSignature, c.ID, c.Kind, c.SIRET)
		}
		row := r.structs.BySIRET[c.SIRET]
		if row == nil {
			// The 90-day guard does not protect a structure that left the file.
			if conv.IsActive {
				queued = append(queued, conv)
			}
			continue
		}
		if conv.ASPID != row.ASPID {
			if _, taken := r.conventions[Key{row.ASPID, c.Kind}]; taken {
				return abort("la convention %d passerait à l'identifiant ASP %d, déjà pris par une convention %s", conv.ID, row.ASPID, c.Kind)
			}
			r.printf("convention.id=%d has changed asp_id from %d to %d (will be updated)", conv.ID, conv.ASPID, row.ASPID)
			conv.ASPID, conv.UpdatedAt = row.ASPID, r.now
			if err := updateConvention(ctx, r.tx, conv, "asp_id"); err != nil {
				return err
			}
			continue
		}
		if conv.SiretSignature != row.SIRETSignature {
			r.printf("convention.id=%d has changed siret_signature from %s to %s (will be updated)", conv.ID, conv.SiretSignature, row.SIRETSignature)
			conv.SiretSignature, conv.UpdatedAt = row.SIRETSignature, r.now
			if err := updateConvention(ctx, r.tx, conv, "siret_signature"); err != nil {
				return err
			}
		}
		target := r.keys[Key{row.ASPID, c.Kind}].Active
		switch {
		case !conv.IsActive && target:
			conv.IsActive, conv.UpdatedAt = true, r.now
			if err := updateConvention(ctx, r.tx, conv, "is_active"); err != nil {
				return err
			}
			reactivated++
		case conv.IsActive && !target && !KeptByReactivation(conv.ReactivatedAt, r.now):
			queued = append(queued, conv)
		}
	}
	r.sum.ConventionsReactivated += reactivated
	r.printf("%d conventions have been reactivated", reactivated)
	if DeactivationsHeld(len(queued), r.now) {
		r.printf("ERROR: too many conventions would be deactivated (%d is above threshold %d) thus none will actually be!", len(queued), DeactivationThreshold)
		return nil
	}
	for _, conv := range queued {
		now := r.now
		conv.IsActive, conv.DeactivatedAt, conv.UpdatedAt = false, &now, now
		if err := updateConvention(ctx, r.tx, conv, "is_active", "deactivated_at"); err != nil {
			return err
		}
	}
	r.sum.ConventionsDeactivated += len(queued)
	r.printf("%d conventions have been deactivated", len(queued))
	return nil
}

// sortedKeys are the AF keys in a stable order, so that reports and ids do not depend on map order.
func (r *run) sortedKeys() []Key {
	keys := make([]Key, 0, len(r.keys))
	for k := range r.keys {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Key) int {
		if a.ASPID != b.ASPID {
			return int(a.ASPID - b.ASPID)
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	return keys
}

// Step 5: a company for each active ASP structure and kind that has none.
func (r *run) createCompanies(ctx context.Context) error {
	aspCompanyOf := map[int64]*org.Company{} // convention id → its ASP company
	for _, c := range r.companies {
		if c.Source == org.SourceASP && c.ConventionID != nil {
			aspCompanyOf[*c.ConventionID] = c
		}
	}
	var created []*org.Company
	for _, key := range r.sortedKeys() {
		row := r.structs.ByASPID[key.ASPID]
		if row == nil {
			continue
		}
		conv := r.conventions[key]
		if conv != nil {
			if c := aspCompanyOf[conv.ID]; c != nil && c.SIRET != row.SIRET {
				return abort("SIRET mismatch on siae %d: SIRET %s en base, %s dans l'export (structure ASP %d)", c.ID, c.SIRET, row.SIRET, key.ASPID)
			}
		}
		c := r.bySIRETKind[siretKind(row.SIRET, key.Kind)]
		switch {
		case c == nil && conv != nil:
			r.printf("WARNING: siret=%s kind=%s has no siae but convention.id=%d (asp_id=%d) exists: not created", row.SIRET, key.Kind, conv.ID, key.ASPID)
		case c == nil && !r.keys[key].Active:
			// Inactive structures are never created: a company moved after a SIRET change must not come back.
		case c == nil:
			if NumericName(row.Name) {
				return abort("ligne %d de Vue Structure : la dénomination %q n'est qu'un nombre", row.Line, row.Name)
			}
			created = append(created, r.newCompany(row, key.Kind))
		case c.Source == org.SourceUserCreated || c.Source == org.SourceStaffCreated:
			r.printf("siae.id=%d already exists with wrong source=%s (source will be fixed to ASP)", c.ID, c.Source)
			c.Source, c.ConventionID, c.UpdatedAt = org.SourceASP, nil, r.now
			if err := updateCompany(ctx, r.tx, c, "source", "convention_id"); err != nil {
				return err
			}
		}
	}
	// Stored by the next step with their convention: one INSERT each instead of an INSERT and an
	// UPDATE (and twice the search triggers) for thousands of companies on a first import.
	r.pending = created
	r.printf("--- beginning of CSV output of all creatable_siaes ---")
	r.printf("siret;kind;department;name;address")
	geolocated := 0
	for _, c := range created {
		r.printf("%s;%s;%s;%s;%s", c.SIRET, c.Kind, c.Department, c.Name, c.OneLine())
		if c.AddressLine1 != "" && c.PostCode != "" && c.CityName != "" {
			geolocated++
		}
	}
	r.printf("--- end of CSV output of all creatable_siaes ---")
	r.sum.CompaniesCreated += len(created)
	r.printf("%d structures have been created", len(created))
	r.printf("%d structures will have geolocation", geolocated)
	mails := make([]mail.Message, len(created))
	for i, c := range created {
		mails[i] = activationMail(c, r.opt.BaseURL)
	}
	return mail.EnqueueAll(ctx, r.tx, mails)
}

// newCompany builds a company from its structure line (asp.md §1.7). The BAN geocoding of
// upstream is not done: the project has no geocoder client yet.
func (r *run) newCompany(row *Structure, kind org.CompanyKind) *org.Company {
	line1, line2 := AddressLines(row)
	now := r.now
	return &org.Company{
		UID: uuid.NewString(), SIRET: row.SIRET, NAF: row.NAF, Kind: kind, Name: row.Name, Phone: Phone(row.Phone),
		AuthEmail: row.AuthEmail, Source: org.SourceASP, IsSearchable: true, SpontaneousApplicationsOpenSince: &now,
		Department: Department(row.PostCode),
		Address:    org.Address{AddressLine1: line1, AddressLine2: line2, PostCode: row.PostCode, CityName: row.City},
		CreatedAt:  now, UpdatedAt: now,
	}
}

func activationMail(c *org.Company, baseURL string) mail.Message {
	return mail.Compose(c.AuthEmail, "Activez le compte de votre "+string(c.Kind)+" "+c.Name+" sur les emplois de l'inclusion", mail.Body{
		Greeting: "Bonjour,",
		Paragraphs: []string{
			"Votre structure « " + c.Name + " » (" + c.Kind.Label() + ", SIRET " + c.SIRET + ") est désormais référencée sur les emplois de l'inclusion, d'après les données de l'ASP.",
			"Pour activer son compte, inscrivez-vous comme employeur avec cette adresse e-mail : c'est celle que l'ASP nous a transmise comme correspondant technique de la structure.",
			"Un collègue peut rejoindre la structure ensuite : il s'inscrit à son tour et un administrateur de la structure valide sa demande, ou l'invite depuis la page des collaborateurs.",
		},
		Action: &mail.Action{Label: "Activer le compte", URL: baseURL + "/signup/employer/select"},
	})
}

// Step 6: a convention for each ASP company that has none, those created by step 5 included.
func (r *run) createConventions(ctx context.Context) error {
	var convs []*org.Convention
	var owners []*org.Company
	for _, c := range append(slices.Clip(r.companies), r.pending...) {
		if c.Source != org.SourceASP || c.ConventionID != nil || !c.Kind.IsSIAE() {
			continue
		}
		row := r.structs.BySIRET[c.SIRET]
		if row == nil {
			if c.ActivityAt(r.now).Active {
				return abort("l'entreprise %d (SIRET %s) est active mais absente de Vue Structure", c.ID, c.SIRET)
			}
			continue
		}
		key := Key{row.ASPID, c.Kind}
		if _, taken := r.conventions[key]; taken {
			return abort("l'entreprise SIRET %s n'a pas de convention mais la convention (structure ASP %d, %s) existe déjà", c.SIRET, row.ASPID, c.Kind)
		}
		state, ok := r.keys[key]
		if !ok {
			return abort("l'entreprise SIRET %s (structure ASP %d, %s) n'a aucune annexe financière dans Vue AF", c.SIRET, row.ASPID, c.Kind)
		}
		conv := &org.Convention{Kind: c.Kind, ASPID: row.ASPID, SiretSignature: row.SIRETSignature, IsActive: state.Active,
			CreatedAt: r.now, UpdatedAt: r.now}
		if !state.Active {
			end := state.EndAt // the grace period may be over already
			conv.DeactivatedAt = &end
		}
		r.conventions[key] = conv
		convs = append(convs, conv)
		owners = append(owners, c)
	}
	r.printf("will create %d conventions", len(convs))
	if err := insertAll(ctx, r.tx, convs); err != nil {
		return err
	}
	var links [][2]int64
	for i, conv := range convs {
		if owners[i].ID == 0 {
			owners[i].ConventionID = &conv.ID
		} else {
			links = append(links, [2]int64{owners[i].ID, conv.ID})
		}
	}
	r.sum.ConventionsCreated += len(convs)
	if err := insertAll(ctx, r.tx, r.pending); err != nil {
		return err
	}
	r.pending = nil
	return linkConventions(ctx, r.tx, links, r.now)
}

// Step 7.
func (r *run) deleteOrphans(ctx context.Context) error {
	n, err := deleteOrphanConventions(ctx, r.tx)
	if err != nil {
		return err
	}
	r.sum.ConventionsDeleted += n
	r.printf("will delete %d conventions", n)
	return nil
}

// Step 8: the annexes mirror Vue AF, by number.
func (r *run) syncAnnexes(ctx context.Context) error {
	inDB, err := allAnnexes(ctx, r.tx)
	if err != nil {
		return err
	}
	inFile := make(map[string]*Annex, len(r.annexes))
	for i := range r.annexes {
		inFile[r.annexes[i].Number] = &r.annexes[i]
	}
	var toDelete []int64
	known := make(map[string]bool, len(inDB))
	for _, a := range inDB {
		known[a.Number] = true
		row := inFile[a.Number]
		if row == nil {
			toDelete = append(toDelete, a.ID)
			continue
		}
		conv := r.convByID[a.ConventionID]
		if conv.Kind != row.Kind {
			return abort("ligne %d de Vue AF : l'annexe %s est de type %s, sa convention %d de type %s", row.Line, a.Number, row.Kind, conv.ID, conv.Kind)
		}
		var columns []string
		if !a.StartAt.Equal(row.StartAt) {
			a.StartAt, columns = row.StartAt, append(columns, "start_at")
		}
		if !a.EndAt.Equal(row.EndAt) {
			a.EndAt, columns = row.EndAt, append(columns, "end_at")
		}
		if a.State != row.State {
			a.State, columns = row.State, append(columns, "state")
		}
		if conv.ASPID != row.ASPID {
			target := r.conventions[Key{row.ASPID, row.Kind}]
			if target == nil {
				toDelete = append(toDelete, a.ID)
				continue
			}
			a.ConventionID, columns = target.ID, append(columns, "convention_id")
		}
		if len(columns) > 0 {
			a.UpdatedAt = r.now
			if _, err := r.tx.NewUpdate().Model(a).Column(append(columns, "updated_at")...).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("convention: update annex %s: %w", a.Number, err)
			}
			r.sum.AnnexesUpdated++
		}
	}
	var toCreate []*org.FinancialAnnex
	for _, row := range r.annexes {
		if known[row.Number] {
			continue
		}
		conv := r.conventions[Key{row.ASPID, row.Kind}]
		if conv == nil {
			continue
		}
		toCreate = append(toCreate, &org.FinancialAnnex{Number: row.Number, State: row.State, StartAt: row.StartAt, EndAt: row.EndAt,
			ConventionID: conv.ID, CreatedAt: r.now, UpdatedAt: r.now})
	}
	r.printf("will create %d financial annexes", len(toCreate))
	r.printf("will delete %d financial annexes", len(toDelete))
	if err := deleteByIDs(ctx, r.tx, (*org.FinancialAnnex)(nil), toDelete); err != nil {
		return err
	}
	r.sum.AnnexesCreated += len(toCreate)
	r.sum.AnnexesDeleted += len(toDelete)
	return insertAll(ctx, r.tx, toCreate)
}

// Step 9.
func (r *run) cleanGracePeriod(ctx context.Context) error {
	deleted, hidden := 0, 0
	for _, c := range r.companies {
		if !PastGracePeriod(c, r.now) {
			continue
		}
		ok, err := r.deletable(ctx, c)
		if err != nil {
			return err
		}
		switch {
		case ok:
			if err := deleteCompany(ctx, r.tx, c.ID); err != nil {
				return err
			}
			deleted++
		case c.IsSearchable:
			c.IsSearchable, c.UpdatedAt = false, r.now
			if err := updateCompany(ctx, r.tx, c, "is_searchable"); err != nil {
				return err
			}
			hidden++
		}
	}
	r.sum.CompaniesDeleted += deleted
	r.sum.MadeUnsearchable += hidden
	r.printf("%d siaes past their grace period have been deleted", deleted)
	r.printf("%d siaes past their grace period cannot be deleted but have been removed from the search results", hidden)
	return nil
}

// Step 11: what must hold after a run; anything else is a bug or bad data, so nothing is kept.
func (r *run) checkConsistency(context.Context) error {
	aspCompanies := map[int64]int{}
	for _, c := range r.companies {
		if c.ConventionID == nil {
			if c.Kind.IsSIAE() && (c.Source == org.SourceASP || c.Source == org.SourceUserCreated) {
				return abort("l'entreprise %d (%s, %s) n'a pas de convention", c.ID, c.Kind, c.Source)
			}
			continue
		}
		conv := r.convByID[*c.ConventionID]
		if conv.Kind != c.Kind || org.SIREN(conv.SiretSignature) != org.SIREN(c.SIRET) {
			return abort("l'entreprise %d (%s, SIRET %s) n'a pas le type ou le SIREN de sa convention %d", c.ID, c.Kind, c.SIRET, conv.ID)
		}
		if c.Source == org.SourceASP {
			aspCompanies[conv.ID]++
		}
	}
	for id, conv := range r.convByID {
		switch n := aspCompanies[id]; {
		case conv.IsActive && n != 1:
			return abort("la convention active %d a %d entreprises de source ASP au lieu d'une", id, n)
		case !conv.IsActive && (n > 1 || conv.DeactivatedAt == nil):
			return abort("la convention inactive %d a %d entreprises de source ASP ou pas de date de désactivation", id, n)
		}
	}
	return nil
}

// Step 12: a company nobody can sign up for.
func (r *run) checkSignup(ctx context.Context) error {
	members, err := withActiveMember(ctx, r.tx)
	if err != nil {
		return err
	}
	for _, c := range r.companies {
		if c.AuthEmail != "" || members[c.ID] {
			continue
		}
		createdBy := "None"
		if c.CreatedByID != nil {
			createdBy = fmt.Sprint(*c.CreatedByID)
		}
		r.errorf("signup is impossible for siae.id=%d siret=%s kind=%s dpt=%s source=%s created_by=%s siae.email=%s",
			c.ID, c.SIRET, c.Kind, c.Department, c.Source, createdBy, c.Email)
	}
	return nil
}
