package application

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// specTable is the transition table of applications.md §2.1 (the columns #, Transition, From, To,
// Who), copied verbatim. When the shared domain docs are beside the project, the test also checks
// that this copy still matches them.
const specTable = `| T1 | process ("Étudier") | new, pool | processing | Employer (button, batch) ; also implicit first step of direct hire ; staff admin |
| T2 | postpone ("Mettre en attente") | new, pool, processing, prior_to_hire | postponed | Employer (form, batch) |
| T3 | add_to_pool ("Ajouter au vivier") | new, processing, postponed, cancelled, obsolete | pool | Employer (form, batch) |
| T4 | move_to_prior_to_hire | new, pool, processing, postponed, obsolete, refused, cancelled | prior_to_hire | Implicit: employer of a GEIQ adds the first prior action |
| T5 | cancel_prior_to_hire | prior_to_hire | processing | Implicit: deleting the last prior action |
| T6 | accept ("Accepter") | every state except accepted | accepted | Employer via acceptance wizard or direct hire ; staff admin |
| T7 | refuse ("Décliner") | new, pool, processing, prior_to_hire, postponed | refused | Employer refusal wizard (single or batch) ; system auto-reject |
| T8 | cancel ("Annuler l'embauche") | accepted | cancelled | Employer (POST) ; staff admin |
| T9 | render_obsolete | new, processing, postponed | obsolete | System, inside T6 for the same job seeker |
| T10 | transfer (internal) | every state except accepted | new | Employer member of both origin and target companies (button or batch) |
| T11 | external_transfer | refused | refused (self-loop) | Employer, external transfer wizard |
| T12 | reset | obsolete | new | Staff (admin) only |`

type specRow struct {
	name     TransitionName
	from     []State
	to       State
	who      Who
	original string
}

func parseSpecRow(t *testing.T, line string) specRow {
	t.Helper()
	cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	if len(cells) < 5 {
		t.Fatalf("spec row %q has %d cells", line, len(cells))
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	r := specRow{name: TransitionName(strings.Fields(cells[1])[0]), original: line}
	if cells[2] == "every state except accepted" {
		for _, s := range States {
			if s != Accepted {
				r.from = append(r.from, s)
			}
		}
	} else {
		for _, s := range strings.Split(cells[2], ",") {
			r.from = append(r.from, State(strings.TrimSpace(s)))
		}
	}
	r.to = State(strings.Fields(cells[3])[0])
	who := strings.ToLower(cells[4])
	// "Implicit" rows are fired by an employer's prior-action change (T4, T5).
	if strings.Contains(who, "employer") || strings.HasPrefix(who, "implicit") {
		r.who |= ByEmployer
	}
	if strings.Contains(who, "staff") {
		r.who |= ByStaff
	}
	if strings.Contains(who, "system") {
		r.who |= BySystem
	}
	return r
}

func TestTransitions_MatchTheSpecTableLineByLine(t *testing.T) {
	lines := strings.Split(specTable, "\n")
	if len(lines) != len(Transitions) {
		t.Fatalf("the spec has %d transitions, the code %d", len(lines), len(Transitions))
	}
	for i, line := range lines {
		want := parseSpecRow(t, line)
		got := Transitions[i]
		if got.Name != want.name || got.To != want.to || got.Who != want.who {
			t.Errorf("T%d: code %s → %s by %b; spec %s → %s by %b", i+1, got.Name, got.To, got.Who, want.name, want.to, want.who)
		}
		a, b := slices.Clone(got.From), slices.Clone(want.from)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("T%d %s: code leaves %v, spec %v", i+1, got.Name, a, b)
		}
		for _, s := range want.from {
			if !s.Valid() {
				t.Errorf("T%d: unknown state %q in the spec", i+1, s)
			}
		}
	}
}

func TestTransitions_TheEmbeddedSpecTableIsTheSharedDocs(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "docs", "domain", "applications.md")
	if p := os.Getenv("EMPLOIS_DOMAIN_DOCS"); p != "" {
		path = filepath.Join(p, "applications.md")
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		doc, err = os.ReadFile("/work/shared/docs/domain/applications.md")
		if err != nil {
			t.Skip("the shared domain docs are not beside the project")
		}
	}
	for _, line := range strings.Split(specTable, "\n") {
		// The docs' rows have two more columns (preconditions, side effects).
		if !strings.Contains(string(doc), strings.TrimSuffix(line, " |")+" |") {
			t.Errorf("the docs no longer hold the row %q", line)
		}
	}
}

func TestTransitions_AcceptedLeadsOnlyToCancelled(t *testing.T) {
	for _, tr := range Transitions {
		if tr.Allows(Accepted) && tr.Name != TCancel {
			t.Errorf("%s leaves accepted", tr.Name)
		}
	}
}

func TestTransitions_RefusedLeadsOnlyToAcceptPriorToHireAndTransfers(t *testing.T) {
	var got []TransitionName
	for _, tr := range Transitions {
		if tr.Allows(Refused) {
			got = append(got, tr.Name)
		}
	}
	want := []TransitionName{TMoveToPriorToHire, TAccept, TTransfer, TExternalTransfer}
	if !slices.Equal(got, want) {
		t.Errorf("from refused: %v, want %v", got, want)
	}
}

func TestProcessedAt_IsSetByClosingTransitionsClearedByOthersAndUntouchedByExternalTransfer(t *testing.T) {
	for _, tc := range []struct {
		n          TransitionName
		set, clear bool
	}{
		{TAccept, true, false}, {TRefuse, true, false}, {TCancel, true, false}, {TRenderObsolete, true, false},
		{TProcess, false, true}, {TPostpone, false, true}, {TAddToPool, false, true}, {TMoveToPriorToHire, false, true},
		{TCancelPriorToHire, false, true}, {TTransfer, false, true}, {TReset, false, true},
		{TExternalTransfer, false, false},
	} {
		set, clear := processedAtAfter(tc.n)
		if set != tc.set || clear != tc.clear {
			t.Errorf("%s: set %v clear %v, want %v %v", tc.n, set, clear, tc.set, tc.clear)
		}
		if unarchives(tc.n) == (tc.n == TExternalTransfer) {
			t.Errorf("%s: unarchives = %v", tc.n, unarchives(tc.n))
		}
	}
}

func TestStateConflict_NamesTheStateForARefusal(t *testing.T) {
	err := stateConflict(TRefuse, Accepted)
	want := "La candidature ne peut pas être refusée car elle est au statut « Candidature acceptée »."
	if err.Error() != want {
		t.Errorf("got %q", err)
	}
	if stateConflict(TProcess, Accepted) != ErrAlreadyDone {
		t.Error("a process conflict is not « Action déjà effectuée. »")
	}
}
