package org

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/francetravail"
)

// The France Travail agencies sync (asp.md §4): the FT organizations with a SAFIR code follow
// France Travail's referential of agencies, run by hand (`emplois sync ft-agencies`). The rules
// are plain functions (FTAgencyValuesOf, FTChangedFields); the run is one transaction.

// The two actions of the sync.
const (
	FTUpdateInformation = "update-information"
	FTFixEmptySAFIR     = "fix-empty-safir"
)

// FTGeocodingScore is the geocoding score of coordinates given by France Travail (asp.md §4:
// upstream's reliance score of the BAN geocoder).
const FTGeocodingScore = 0.8

// ftNamePrefix starts the name of every agency (asp.md §4).
const ftNamePrefix = "France Travail - "

// ftFields are the watched fields of asp.md §4's table, in its order: the name the output
// gives each, its value (as the audit records it), and how it is written with its side columns
// (the geocoding score goes with the coordinates, the city's name and département with the
// city; city is the commune of v.CommuneCode, nil when there is none).
var ftFields = []struct {
	name    string
	value   func(v FTAgencyValues) any
	set     func(p *PrescriberOrganization, v FTAgencyValues, city *geo.Commune)
	columns []string
}{
	{"siret", func(v FTAgencyValues) any { return v.SIRET },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.SIRET = v.SIRET }, []string{"siret"}},
	{"name", func(v FTAgencyValues) any { return v.Name },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.Name = v.Name }, []string{"name"}},
	{"phone", func(v FTAgencyValues) any { return v.Phone },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.Phone = v.Phone }, []string{"phone"}},
	{"email", func(v FTAgencyValues) any { return v.Email },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.Email = v.Email }, []string{"email"}},
	{"address_line_1", func(v FTAgencyValues) any { return v.AddressLine1 },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.AddressLine1 = v.AddressLine1 }, []string{"address_line_1"}},
	{"post_code", func(v FTAgencyValues) any { return v.PostCode },
		func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) { p.PostCode = v.PostCode }, []string{"post_code"}},
	{"coords", func(v FTAgencyValues) any {
		if v.Latitude == nil || v.Longitude == nil {
			return nil
		}
		return []float64{*v.Latitude, *v.Longitude}
	}, func(p *PrescriberOrganization, v FTAgencyValues, _ *geo.Commune) {
		p.Latitude, p.Longitude, p.GeocodingScore = v.Latitude, v.Longitude, nil
		if v.Latitude != nil {
			score := FTGeocodingScore
			p.GeocodingScore = &score
		}
	}, []string{"latitude", "longitude", "geocoding_score"}},
	{"insee_city", func(v FTAgencyValues) any { return v.CommuneCode },
		func(p *PrescriberOrganization, _ FTAgencyValues, city *geo.Commune) {
			p.CommuneCode, p.CityName, p.Department = "", "", ""
			if city != nil {
				p.CommuneCode, p.CityName, p.Department = city.InseeCode, city.Name, city.DepartmentCode
			}
		}, []string{"commune_code", "city_name", "department"}},
}

// ftWatched are the names of the watched fields, in the table's order.
var ftWatched = func() []string {
	names := make([]string, len(ftFields))
	for i, f := range ftFields {
		names[i] = f.name
	}
	return names
}()

// ErrDryRun ends a sync without --wet-run: everything was computed and reported, then rolled back.
var ErrDryRun = errors.New("DRY RUN mode, use --wet-run to apply changes")

var (
	safirPattern = regexp.MustCompile(`^[0-9]{5}$`)
	siretPattern = regexp.MustCompile(`^[0-9]{14}$`)
)

// FTAgencyValues are the watched values of an agency or of an FT organization, converted to
// the organization's fields (asp.md §4).
type FTAgencyValues struct {
	SAFIR                                      string
	SIRET                                      string // "" for none (NULL)
	Name, Phone, Email, AddressLine1, PostCode string
	Latitude, Longitude                        *float64 // both or neither
	// CommuneCode is the INSEE code of the city (insee_city), "" for none.
	CommuneCode string
}

// FTAgencyValuesOf converts an agency of the referential (asp.md §4's table): SIRET missing →
// none; name « France Travail - » + the libellé without its leading « * »; phone and e-mail
// missing → ""; coordinates only when both are given. A value the organization cannot hold
// is refused in French, naming the agency and the field.
func FTAgencyValuesOf(a francetravail.Agency) (FTAgencyValues, error) {
	v := FTAgencyValues{
		SAFIR: strings.TrimSpace(a.CodeSafir), SIRET: strings.TrimSpace(a.SIRET),
		Name: ftNamePrefix + strings.TrimLeft(a.Libelle, "*"), Phone: a.Contact.TelephonePublic, Email: a.Contact.Email,
		AddressLine1: a.AdressePrincipale.Ligne4, PostCode: a.AdressePrincipale.BureauDistributeur,
		CommuneCode: strings.TrimSpace(a.AdressePrincipale.CommuneImplantation),
	}
	bad := func(field, format string, args ...any) (FTAgencyValues, error) {
		return v, fmt.Errorf("France Travail, agence « %s » (SAFIR « %s »), champ %s : %s", a.Libelle, a.CodeSafir, field,
			fmt.Sprintf(format, args...))
	}
	if !safirPattern.MatchString(v.SAFIR) {
		return bad("codeSafir", "un code SAFIR a 5 chiffres")
	}
	if v.SIRET != "" && !siretPattern.MatchString(v.SIRET) {
		return bad("siret", "« %s » n'a pas 14 chiffres", v.SIRET)
	}
	if strings.TrimSpace(strings.TrimLeft(a.Libelle, "*")) == "" {
		return bad("libelle", "le nom de l'agence manque")
	}
	for _, f := range []struct {
		field, value string
		max          int
	}{{"libelle", v.Name, 255}, {"contact.telephonePublic", v.Phone, 20}, {"contact.email", v.Email, 254}} {
		if n := len([]rune(f.value)); n > f.max {
			return bad(f.field, "%d caractères, au plus %d acceptés", n, f.max)
		}
	}
	lat, latOK := a.AdressePrincipale.GPSLat.Value()
	lon, lonOK := a.AdressePrincipale.GPSLon.Value()
	if latOK && lonOK {
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return bad("adressePrincipale.gpsLat/gpsLon", "(%v, %v) n'est pas une position", lat, lon)
		}
		v.Latitude, v.Longitude = &lat, &lon
	}
	return v, nil
}

// ftValuesOf are the watched values of an organization.
func ftValuesOf(p *PrescriberOrganization) FTAgencyValues {
	return FTAgencyValues{SAFIR: p.CodeSAFIR, SIRET: p.SIRET, Name: p.Name, Phone: p.Phone, Email: p.Email,
		AddressLine1: p.AddressLine1, PostCode: p.PostCode, Latitude: p.Latitude, Longitude: p.Longitude,
		CommuneCode: p.CommuneCode}
}

// FTChangedFields lists the watched fields whose values differ, in the table's order.
func FTChangedFields(current, wanted FTAgencyValues) []string {
	var changed []string
	for _, f := range ftFields {
		if !reflect.DeepEqual(f.value(current), f.value(wanted)) {
			changed = append(changed, f.name)
		}
	}
	return changed
}

// ftApply sets the named fields of p to v's and returns the columns written.
func ftApply(p *PrescriberOrganization, v FTAgencyValues, names []string, city *geo.Commune) []string {
	var columns []string
	for _, f := range ftFields {
		if slices.Contains(names, f.name) {
			f.set(p, v, city)
			columns = append(columns, f.columns...)
		}
	}
	return columns
}

// ftValues are the values of the named fields, by name, for the audit.
func ftValues(v FTAgencyValues, names []string) map[string]any {
	values := map[string]any{}
	for _, f := range ftFields {
		if slices.Contains(names, f.name) {
			values[f.name] = f.value(v)
		}
	}
	return values
}

// FTSyncSummary counts what a sync did (or would do in a dry run). The first six are the
// SUMMARY line of update-information; the last two are fix-empty-safir's.
type FTSyncSummary struct {
	Current, Comparative, Common, Added, Updated, Removed int
	SAFIRsSet, SAFIRsTaken                                int
}

// SyncFTAgencies runs an action of the sync over the agencies read from France Travail, in
// one transaction rolled back unless wet (ErrDryRun), and writes its report to out.
func (s *Service) SyncFTAgencies(ctx context.Context, action string, agencies []francetravail.Agency, wet bool, out io.Writer) (FTSyncSummary, error) {
	var sum FTSyncSummary
	if action != FTUpdateInformation && action != FTFixEmptySAFIR {
		return sum, fmt.Errorf("org: unknown France Travail sync action %q (%s or %s)", action, FTUpdateInformation, FTFixEmptySAFIR)
	}
	values := make([]FTAgencyValues, 0, len(agencies))
	seen := map[string]bool{}
	for _, a := range agencies {
		v, err := FTAgencyValuesOf(a)
		if err != nil {
			return sum, err
		}
		if seen[v.SAFIR] {
			return sum, fmt.Errorf("France Travail : le code SAFIR « %s » figure deux fois dans la liste des agences", v.SAFIR)
		}
		seen[v.SAFIR] = true
		values = append(values, v)
	}
	r := ftRun{s: s, out: out, by: "emplois sync ft-agencies " + action, sum: &sum}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r.tx = tx
		var err error
		if action == FTUpdateInformation {
			err = r.updateInformation(ctx, values)
		} else {
			err = r.fixEmptySAFIR(ctx, values)
		}
		if err == nil && !wet {
			err = ErrDryRun
		}
		return err
	})
	return sum, err
}

// ftRun is one sync in its transaction.
type ftRun struct {
	s   *Service
	tx  bun.Tx
	out io.Writer
	by  string // the command, named in the audit events
	sum *FTSyncSummary
}

// updateInformation creates the unknown agencies and updates the changed fields of the known
// ones; an organization whose SAFIR is no longer listed is left alone (asp.md §4).
func (r *ftRun) updateInformation(ctx context.Context, values []FTAgencyValues) error {
	var current []*PrescriberOrganization
	if err := r.tx.NewSelect().Model(&current).Where("po.kind = ?", FT).Where("po.code_safir IS NOT NULL").Scan(ctx); err != nil {
		return fmt.Errorf("org: FT organizations: %w", err)
	}
	bySAFIR := make(map[string]*PrescriberOrganization, len(current))
	for _, p := range current {
		bySAFIR[p.CodeSAFIR] = p
	}
	cities, err := r.cities(ctx, values)
	if err != nil {
		return err
	}
	now := r.s.Now().UTC()
	for _, v := range values {
		city := cities[v.CommuneCode]
		if city == nil {
			v.CommuneCode = ""
		}
		p := bySAFIR[v.SAFIR]
		if v.SIRET != "" && (p == nil || p.SIRET != v.SIRET) {
			// Agencies may share a SIRET, and (SIRET, kind) is unique: an agency whose SIRET another
			// FT organization holds goes without. Compared after this rule, so that a second run
			// reports nothing (upstream compared before it and reported that SIRET at every run).
			taken, err := r.tx.NewSelect().Model((*PrescriberOrganization)(nil)).Where("kind = ?", FT).Where("siret = ?", v.SIRET).
				Where("(code_safir IS NULL OR code_safir <> ?)", v.SAFIR).Exists(ctx)
			if err != nil {
				return fmt.Errorf("org: FT organizations with SIRET %s: %w", v.SIRET, err)
			}
			if taken {
				v.SIRET = ""
			}
		}
		if p == nil {
			if err := r.add(ctx, v, city, now); err != nil {
				return err
			}
			continue
		}
		r.sum.Common++
		if changed := FTChangedFields(ftValuesOf(p), v); len(changed) > 0 {
			if err := r.update(ctx, p, v, changed, city, now); err != nil {
				return err
			}
		}
	}
	r.sum.Current, r.sum.Comparative = len(current), len(values)
	r.sum.Removed = r.sum.Current - r.sum.Common
	fmt.Fprintf(r.out, "SUMMARY PrescriberOrganization current_collection_keys_count=%d comparative_collection_keys_count=%d "+
		"common_keys_count=%d added_keys_count=%d updated_keys_count=%d removed_keys_count=%d\n",
		r.sum.Current, r.sum.Comparative, r.sum.Common, r.sum.Added, r.sum.Updated, r.sum.Removed)
	return nil
}

// add creates the FT organization of an unknown agency, habilitated (asp.md §4).
func (r *ftRun) add(ctx context.Context, v FTAgencyValues, city *geo.Commune, now time.Time) error {
	p := &PrescriberOrganization{UID: uuid.NewString(), Kind: FT, CodeSAFIR: v.SAFIR, AuthorizationStatus: AuthorizationValidated,
		CreatedAt: now, UpdatedAt: now}
	ftApply(p, v, ftWatched, city)
	if err := insertPrescriber(ctx, r.tx, p); err != nil {
		return fmt.Errorf("org: create FT agency %s: %w", v.SAFIR, err)
	}
	fmt.Fprintf(r.out, "ADDED item key=%s data=%s\n", pyKey(v.SAFIR), pyList(ftWatched))
	r.sum.Added++
	return r.audit(ctx, ActionPrescriberCreated, p, ftWatched, nil, v)
}

// update writes the changed fields of a known agency, and updated_at.
func (r *ftRun) update(ctx context.Context, p *PrescriberOrganization, v FTAgencyValues, changed []string, city *geo.Commune, now time.Time) error {
	before := ftValuesOf(p)
	columns := ftApply(p, v, changed, city)
	p.UpdatedAt = now
	if err := updatePrescriber(ctx, r.tx, p, nil, columns...); err != nil {
		return err
	}
	fmt.Fprintf(r.out, "UPDATED item key=%s current_item=PrescriberOrganization(%d) data=%s\n", pyKey(v.SAFIR), p.ID, pyList(changed))
	r.sum.Updated++
	return r.audit(ctx, ActionPrescriberUpdated, p, changed, &before, v)
}

// audit records a change made by the command (the system actor): the fields, before and after.
func (r *ftRun) audit(ctx context.Context, action string, p *PrescriberOrganization, fields []string, before *FTAgencyValues, after FTAgencyValues) error {
	details := map[string]any{"by": r.by, "code_safir": p.CodeSAFIR, "fields": fields, "after": ftValues(after, fields)}
	if before != nil {
		details["before"] = ftValues(*before, fields)
	}
	return audit.Record(ctx, r.tx, actor.Actor{}, action, TypePrescriber.object(p.UID), details)
}

// cities loads the communes the agencies name, by INSEE code.
func (r *ftRun) cities(ctx context.Context, values []FTAgencyValues) (map[string]*geo.Commune, error) {
	var codes []string
	for _, v := range values {
		if v.CommuneCode != "" {
			codes = append(codes, v.CommuneCode)
		}
	}
	found := map[string]*geo.Commune{}
	if len(codes) == 0 {
		return found, nil
	}
	var communes []*geo.Commune
	err := r.tx.NewSelect().Model(&communes).Column("insee_code", "name", "department_code").
		Where("c.insee_code IN (?)", bun.List(codes)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("org: communes of the FT agencies: %w", err)
	}
	for _, c := range communes {
		found[c.InseeCode] = c
	}
	return found, nil
}

// fixEmptySAFIR gives the FT organizations without SAFIR the code of the agency with their
// SIRET; a code already used is reported and the organization left as it is (asp.md §4).
func (r *ftRun) fixEmptySAFIR(ctx context.Context, values []FTAgencyValues) error {
	safirBySIRET := map[string]string{}
	var sirets []string
	for _, v := range values {
		if v.SIRET != "" {
			if _, ok := safirBySIRET[v.SIRET]; !ok {
				sirets = append(sirets, v.SIRET)
			}
			safirBySIRET[v.SIRET] = v.SAFIR // the last agency of a SIRET wins, as upstream
		}
	}
	if len(sirets) == 0 {
		return nil
	}
	var orgs []*PrescriberOrganization
	err := r.tx.NewSelect().Model(&orgs).Where("po.kind = ?", FT).Where("po.code_safir IS NULL").
		Where("po.siret IN (?)", bun.List(sirets)).OrderExpr("po.id").Scan(ctx)
	if err != nil {
		return fmt.Errorf("org: FT organizations without SAFIR: %w", err)
	}
	for _, p := range orgs {
		safir := safirBySIRET[p.SIRET]
		fmt.Fprintf(r.out, "Organization=%d doesn't have a safir code\n", p.ID)
		fmt.Fprintf(r.out, "Set safir=%s for organization=%s\n", safir, p.Name)
		// Checked first: a failed statement would abort the whole transaction on PostgreSQL.
		taken, err := safirTaken(ctx, r.tx, safir)
		if err != nil {
			return err
		}
		if taken {
			fmt.Fprintf(r.out, "ERR: safir=%s already used\n", safir)
			r.sum.SAFIRsTaken++
			continue
		}
		before := ftValuesOf(p)
		p.CodeSAFIR, p.UpdatedAt = safir, r.s.Now().UTC()
		if err := updatePrescriber(ctx, r.tx, p, nil, "code_safir"); err != nil {
			return err
		}
		r.sum.SAFIRsSet++
		details := map[string]any{"by": r.by, "fields": []string{"code_safir"},
			"before": map[string]any{"code_safir": before.SAFIR}, "after": map[string]any{"code_safir": safir}}
		if err := audit.Record(ctx, r.tx, actor.Actor{}, ActionPrescriberUpdated, TypePrescriber.object(p.UID), details); err != nil {
			return err
		}
	}
	return nil
}

// pyKey and pyList write a key and a list of names as upstream's report does (Python's repr).
func pyKey(safir string) string { return "('" + safir + "',)" }

func pyList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
