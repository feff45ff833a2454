package employeerecord

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// specTable is the transition table of approvals.md §3.3 (the columns transition, from, to,
// triggered by), copied verbatim; the last test checks it still matches the shared docs when
// they are beside the project.
const specTable = `| ready | NEW, REJECTED, DISABLED, PROCESSED | READY | employer step 5 (hiring started), support commands |
| wait_for_asp_response | READY | SENT | upload job |
| process | SENT | PROCESSED | feedback 0000 (or 3436 as duplicate) |
| reject | SENT | REJECTED | feedback with any other code |
| disable | NEW, REJECTED, PROCESSED | DISABLED | employer |
| enable | DISABLED | NEW | employer "Réactiver" |
| archive | NEW, READY, REJECTED, PROCESSED, DISABLED | ARCHIVED | nightly job |
| unarchive_new / _processed / _rejected | ARCHIVED | NEW / PROCESSED / REJECTED | sanitizer, support |`

func specWho(cell string) Who {
	var w Who
	cell = strings.ToLower(cell)
	if strings.Contains(cell, "employer") {
		w |= ByEmployer
	}
	if strings.Contains(cell, "support") {
		w |= ByStaff
	}
	for _, system := range []string{"job", "feedback", "sanitizer"} {
		if strings.Contains(cell, system) {
			w |= BySystem
		}
	}
	return w
}

// specTransitions expands the table, the unarchive row into its three transitions.
func specTransitions(t *testing.T) []Transition {
	var out []Transition
	for _, line := range strings.Split(specTable, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		var from []Status
		for _, s := range strings.Split(cells[1], ",") {
			from = append(from, Status(strings.TrimSpace(s)))
		}
		names := strings.Split(cells[0], " / ")
		tos := strings.Split(cells[2], " / ")
		if len(names) != len(tos) {
			t.Fatalf("row %q: %d names for %d targets", line, len(names), len(tos))
		}
		for i, n := range names {
			if strings.HasPrefix(n, "_") {
				n = strings.Split(names[0], "_")[0] + n
			}
			out = append(out, Transition{TransitionName(n), from, Status(tos[i]), specWho(cells[3])})
		}
	}
	return out
}

func TestTransitions_MatchTheSpecTableLineByLine(t *testing.T) {
	want := specTransitions(t)
	if len(want) != len(Transitions) {
		t.Fatalf("the spec has %d transitions, the code %d", len(want), len(Transitions))
	}
	for i, w := range want {
		got := Transitions[i]
		a, b := slices.Clone(got.From), slices.Clone(w.From)
		slices.Sort(a)
		slices.Sort(b)
		if got.Name != w.Name || got.To != w.To || got.Who != w.Who || !slices.Equal(a, b) {
			t.Errorf("line %d: code %+v, spec %+v", i+1, got, w)
		}
		if w.To.Label() == string(w.To) {
			t.Errorf("line %d: state %q has no French label", i+1, w.To)
		}
	}
}

func TestTransitions_TheEmbeddedSpecTableIsTheSharedDocs(t *testing.T) {
	doc, err := os.ReadFile("../../../shared/docs/domain/approvals.md")
	if err != nil {
		if doc, err = os.ReadFile("/work/shared/docs/domain/approvals.md"); err != nil {
			t.Skip("the shared domain docs are not beside the project")
		}
	}
	for _, line := range strings.Split(specTable, "\n") {
		if !strings.Contains(string(doc), line) {
			t.Errorf("approvals.md §3.3 no longer has the row %q", line)
		}
	}
}

func TestCanFire_ASentOrReadyFicheCannotBeDisabledAndWizardStepsFollowReady(t *testing.T) {
	for _, tc := range []struct {
		n    TransitionName
		from Status
		want bool
	}{
		{TDisable, StatusSent, false},
		{TDisable, StatusReady, false},
		{TDisable, StatusProcessed, true},
		{TReady, StatusProcessed, true}, // re-sending a processed fiche
		{TReady, StatusSent, false},
		{TReady, StatusArchived, false},
		{TEnable, StatusNew, false},
		{TArchive, StatusSent, false},
	} {
		if got := CanFire(tc.n, tc.from); got != tc.want {
			t.Errorf("%s from %s: %v, want %v", tc.n, tc.from, got, tc.want)
		}
		if tc.n == TReady && WizardOpen(tc.from) != tc.want {
			t.Errorf("wizard open in %s: %v, want %v", tc.from, !tc.want, tc.want)
		}
	}
}
