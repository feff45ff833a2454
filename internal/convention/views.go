package convention

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/importfile"
)

// The two fluxIAE views and the rules that turn their lines into structures and annexes
// (asp.md §1.3, §1.4).

// Column names of « Vue Structure ».
const (
	colStructASPID          = "structure_id_siae"
	colStructSIRET          = "structure_siret_actualise"
	colStructSIRETSignature = "structure_siret_signature"
	colStructAuthEmail      = "structure_adresse_mail_corresp_technique"
	colStructNAF            = "structure_code_naf"
	colStructName           = "structure_denomination"
	colStructStreetNum      = "structure_adresse_gestion_numero"
	colStructStreetNumExtra = "structure_adresse_gestion_cplt_num_voie"
	colStructStreetType     = "structure_adresse_gestion_type_voie"
	colStructStreetName     = "structure_adresse_gestion_nom_voie"
	colStructPostCode       = "structure_adresse_gestion_cp"
	colStructCity           = "structure_adresse_gestion_commune"
	colStructPhone          = "structure_adresse_gestion_telephone"
	colStructExtra1         = "structure_adresse_gestion_numero_apt"
	colStructExtra2         = "structure_adresse_gestion_entree"
	colStructExtra3         = "structure_adresse_gestion_cplt_adresse"
)

// StructureColumns are the columns of « Vue Structure » the import reads, in the export's order.
var StructureColumns = []string{colStructASPID, colStructSIRET, colStructSIRETSignature, colStructAuthEmail, colStructNAF,
	colStructName, colStructStreetNum, colStructStreetNumExtra, colStructStreetType, colStructStreetName, colStructPostCode,
	colStructCity, colStructPhone, colStructExtra1, colStructExtra2, colStructExtra3}

// Column names of « Vue AF ».
const (
	colAFASPID        = "af_id_structure"
	colAFMeasure      = "af_mesure_dispositif_code"
	colAFNumber       = "af_numero_annexe_financiere"
	colAFRenewal      = "af_numero_avenant_renouvellement"
	colAFModification = "af_numero_avenant_modification"
	colAFStart        = "af_date_debut_effet"
	colAFEnd          = "af_date_fin_effet"
	colAFState        = "af_etat_annexe_financiere_code"
)

// AnnexColumns are the columns of « Vue AF » the import reads.
var AnnexColumns = []string{colAFASPID, colAFMeasure, colAFNumber, colAFRenewal, colAFModification, colAFStart, colAFEnd, colAFState}

// Structure is one line of « Vue Structure ».
type Structure struct {
	Line                                          int
	ASPID                                         int64
	SIRET, SIRETSignature, AuthEmail, NAF, Name   string
	StreetNum                                     string // the integer as written, without leading zeros
	StreetNumExtra, StreetType, StreetName        string
	PostCode, City, Phone, Extra1, Extra2, Extra3 string
}

// Structures is « Vue Structure » looked up by SIRET and by ASP id (a later line wins).
type Structures struct {
	BySIRET map[string]*Structure
	ByASPID map[int64]*Structure
	Rows    int   // data lines in the file
	Skipped []int // lines dropped for lack of an auth e-mail
}

var (
	nafRe    = regexp.MustCompile(`^[0-9]{4}[A-Z]$`)
	digits14 = regexp.MustCompile(`^[0-9]{14}$`)
)

// parseStructures validates « Vue Structure ». Lines without an auth e-mail are dropped (the
// structure then counts as absent from the file, asp.md §1.3); any other bad line refuses the
// whole file.
func parseStructures(t *table) (*Structures, error) {
	s := &Structures{BySIRET: map[string]*Structure{}, ByASPID: map[int64]*Structure{}, Rows: len(t.rows)}
	var errs importfile.Collector
	for _, r := range t.rows {
		bad := false
		fail := func(col, format string, args ...any) {
			bad = true
			errs.Add(&importfile.Error{Line: r.line, Field: col, Message: fmt.Sprintf(format, args...)})
		}
		st := Structure{Line: r.line, SIRET: t.get(r, colStructSIRET), SIRETSignature: t.get(r, colStructSIRETSignature),
			AuthEmail: t.get(r, colStructAuthEmail), NAF: t.get(r, colStructNAF), Name: t.get(r, colStructName),
			StreetNumExtra: t.get(r, colStructStreetNumExtra), StreetType: t.get(r, colStructStreetType),
			StreetName: t.get(r, colStructStreetName), PostCode: t.get(r, colStructPostCode), City: t.get(r, colStructCity),
			Phone: t.get(r, colStructPhone), Extra1: t.get(r, colStructExtra1), Extra2: t.get(r, colStructExtra2),
			Extra3: t.get(r, colStructExtra3)}
		if st.AuthEmail == "" {
			s.Skipped = append(s.Skipped, r.line)
			continue
		}
		id, err := strconv.ParseInt(t.get(r, colStructASPID), 10, 64)
		if err != nil {
			fail(colStructASPID, "identifiant de structure %s : un nombre entier est attendu", importfile.Quote(t.get(r, colStructASPID)))
		}
		st.ASPID = id
		if n := t.get(r, colStructStreetNum); n != "" {
			if v, err := strconv.ParseFloat(n, 64); err != nil || v != float64(int64(v)) {
				fail(colStructStreetNum, "numéro de voie %s : un nombre entier est attendu", importfile.Quote(n))
			} else {
				st.StreetNum = strconv.FormatInt(int64(v), 10)
			}
		}
		if !digits14.MatchString(st.SIRET) {
			fail(colStructSIRET, "SIRET %s : 14 chiffres sont attendus", importfile.Quote(st.SIRET))
		}
		if !digits14.MatchString(st.SIRETSignature) {
			fail(colStructSIRETSignature, "SIRET %s : 14 chiffres sont attendus", importfile.Quote(st.SIRETSignature))
		}
		if !nafRe.MatchString(st.NAF) {
			fail(colStructNAF, "code NAF %s : 4 chiffres suivis d'une lettre sont attendus", importfile.Quote(st.NAF))
		}
		if strings.Contains(st.AuthEmail, " ") || !strings.Contains(st.AuthEmail, "@") {
			fail(colStructAuthEmail, "adresse e-mail %s invalide", importfile.Quote(st.AuthEmail))
		}
		if !bad && org.SIREN(st.SIRET) != org.SIREN(st.SIRETSignature) {
			fail(colStructSIRETSignature, "le SIRET à la signature %s n'a pas le même SIREN que le SIRET actualisé %s",
				importfile.Quote(st.SIRETSignature), importfile.Quote(st.SIRET))
		}
		if errs.Full() {
			break
		}
		if bad {
			continue
		}
		s.BySIRET[st.SIRET] = &st
		s.ByASPID[st.ASPID] = &st
	}
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("fichier %s refusé, rien n'a été enregistré :\n%w", t.file, err)
	}
	return s, nil
}

// Annex is one financial annex of « Vue AF », after the kind and number are derived.
type Annex struct {
	Line           int
	ASPID          int64
	Kind           org.CompanyKind
	Number         string // prefix + A<renewal> + M<modification>
	StartAt, EndAt time.Time
	State          org.AnnexState
}

// HasActiveState: VALIDE or PROVISOIRE.
func (a Annex) HasActiveState() bool { return a.State.Active() }

// IsActive is the annex's own activity: an active state and an end strictly after today (asp.md
// §1.4 step 4; the convention state of §1.5 is inclusive, see KeyStates).
func (a Annex) IsActive(today time.Time) bool {
	return org.AnnexActive(a.State, a.EndAt, today)
}

// KindOfMeasure turns an ASP measure code into an SIAE kind: prison measures (_MP) and non-SIAE
// measures are dropped (ok false), "_DC" (droit commun) is removed.
func KindOfMeasure(code string) (org.CompanyKind, bool) {
	if strings.HasSuffix(code, "_MP") {
		return "", false
	}
	k := org.CompanyKind(strings.ReplaceAll(code, "_DC", ""))
	return k, k.IsSIAE()
}

var annexStates = []org.AnnexState{org.AnnexValid, org.AnnexProvisional, org.AnnexArchived, org.AnnexCancelled,
	org.AnnexEntered, org.AnnexDraft, org.AnnexClosed, org.AnnexRejected}

// parseDate reads dd/mm/yyyy as midnight UTC, how the annex dates are stored.
func parseDate(s string) (time.Time, bool) {
	d, err := time.Parse("02/01/2006", s)
	return d, err == nil
}

// parseAnnexes validates « Vue AF » and keeps one annex per number (asp.md §1.4). requireDuplicates
// keeps upstream's plausibility check: a real export always repeats some numbers.
func parseAnnexes(t *table, today time.Time, requireDuplicates bool) ([]Annex, error) {
	var errs importfile.Collector
	var all []Annex
	for _, r := range t.rows {
		vals := make([]string, len(AnnexColumns))
		empty := false
		for i, c := range AnnexColumns {
			vals[i] = t.get(r, c)
			empty = empty || vals[i] == ""
		}
		if empty {
			continue
		}
		kind, ok := KindOfMeasure(vals[1])
		if !ok {
			continue
		}
		fail := func(col, format string, args ...any) {
			errs.Add(&importfile.Error{Line: r.line, Field: col, Message: fmt.Sprintf(format, args...)})
		}
		a := Annex{Line: r.line, Kind: kind, State: org.AnnexState(vals[7])}
		var err error
		if a.ASPID, err = strconv.ParseInt(vals[0], 10, 64); err != nil {
			fail(colAFASPID, "identifiant de structure %s : un nombre entier est attendu", importfile.Quote(vals[0]))
		}
		renewal, err1 := strconv.Atoi(vals[3])
		if err1 != nil {
			fail(colAFRenewal, "numéro d'avenant %s : un nombre entier est attendu", importfile.Quote(vals[3]))
		}
		modification, err2 := strconv.Atoi(vals[4])
		if err2 != nil {
			fail(colAFModification, "numéro d'avenant %s : un nombre entier est attendu", importfile.Quote(vals[4]))
		}
		a.Number = fmt.Sprintf("%sA%dM%d", vals[2], renewal, modification)
		if err1 == nil && err2 == nil && !org.ValidAnnexNumber(a.Number) {
			fail(colAFNumber, "numéro d'annexe financière %s invalide", importfile.Quote(a.Number))
		}
		if a.StartAt, ok = parseDate(vals[5]); !ok {
			fail(colAFStart, "date %s : le format jj/mm/aaaa est attendu", importfile.Quote(vals[5]))
		}
		if a.EndAt, ok = parseDate(vals[6]); !ok {
			fail(colAFEnd, "date %s : le format jj/mm/aaaa est attendu", importfile.Quote(vals[6]))
		}
		if !slices.Contains(annexStates, a.State) {
			fail(colAFState, "état d'annexe %s inconnu", importfile.Quote(vals[7]))
		}
		if errs.Full() {
			break
		}
		all = append(all, a)
	}
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("fichier %s refusé, rien n'a été enregistré :\n%w", t.file, err)
	}
	annexes, err := dedupeAnnexes(all, today, requireDuplicates)
	if err != nil {
		return nil, fmt.Errorf("fichier %s refusé, rien n'a été enregistré : %w", t.file, err)
	}
	return annexes, nil
}

// dedupeAnnexes drops identical lines, checks that no two active lines share a number and keeps
// one line per number: the active one, else one in an active state, else the latest to end
// (asp.md §1.4 steps 5–7). The result is in number order.
func dedupeAnnexes(all []Annex, today time.Time, requireDuplicates bool) ([]Annex, error) {
	type content struct {
		ASPID          int64
		Kind           org.CompanyKind
		Number         string
		StartAt, EndAt time.Time
		State          org.AnnexState
	}
	seen := map[content]bool{}
	activeLine := map[string]int{}
	byNumber := map[string]Annex{}
	numberRepeated, pairRepeated := false, false
	pairs := map[content]bool{}
	for _, a := range all {
		c := content{a.ASPID, a.Kind, a.Number, a.StartAt, a.EndAt, a.State}
		if seen[c] {
			continue
		}
		seen[c] = true
		if a.IsActive(today) {
			if l, dup := activeLine[a.Number]; dup {
				return nil, fmt.Errorf("l'annexe %s est active sur deux lignes différentes (lignes %d et %d)", a.Number, l, a.Line)
			}
			activeLine[a.Number] = a.Line
		}
		pair := content{ASPID: a.ASPID, Number: a.Number}
		pairRepeated = pairRepeated || pairs[pair]
		pairs[pair] = true
		prev, dup := byNumber[a.Number]
		numberRepeated = numberRepeated || dup
		if !dup || annexBefore(a, prev, today) {
			byNumber[a.Number] = a
		}
	}
	if requireDuplicates && (!numberRepeated || !pairRepeated) {
		return nil, fmt.Errorf("aucun numéro d'annexe n'y est répété, ce qui n'arrive pas dans un export complet (export tronqué ?)")
	}
	out := make([]Annex, 0, len(byNumber))
	for _, a := range byNumber {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Annex) int { return strings.Compare(a.Number, b.Number) })
	return out, nil
}

// annexBefore reports whether a is kept rather than b for one number: active first, then in an
// active state, then the latest end.
func annexBefore(a, b Annex, today time.Time) bool {
	if a.IsActive(today) != b.IsActive(today) {
		return a.IsActive(today)
	}
	if a.HasActiveState() != b.HasActiveState() {
		return a.HasActiveState()
	}
	return a.EndAt.After(b.EndAt)
}

// Key is one SIAE as the ASP sees it: a structure and a kind (asp.md §1.5).
type Key struct {
	ASPID int64
	Kind  org.CompanyKind
}

// KeyState is whether a key's convention is active, and the end of the annex that decided it.
type KeyState struct {
	Active bool
	EndAt  time.Time
}

// KeyStates picks for each key the annex that maximises (active state and end ≥ today, end):
// the key is active when that annex is. Note the inclusive bound, unlike Annex.IsActive.
func KeyStates(annexes []Annex, today time.Time) map[Key]KeyState {
	states := map[Key]KeyState{}
	for _, a := range annexes {
		k := Key{a.ASPID, a.Kind}
		flag := a.HasActiveState() && !a.EndAt.Before(today)
		cur, ok := states[k]
		if !ok || (flag && !cur.Active) || (flag == cur.Active && a.EndAt.After(cur.EndAt)) {
			states[k] = KeyState{Active: flag, EndAt: a.EndAt}
		}
	}
	return states
}
