package rome_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

func labels(list []rome.Appellation) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.DisplayLabel()
	}
	return out
}

func TestSearchAppellations_MatchesEveryWordAtAWordStart(t *testing.T) {
	tests := []struct {
		query string
		first string // expected first result; "" for none
		all   func(string) bool
	}{
		{"agent entretien", "Agent / Agente d'entretien/propreté de locaux (K2204)", func(l string) bool {
			return strings.Contains(l, "Agent") && strings.Contains(l, "entretien")
		}},
		{"AGENT d'ENTRETIEN", "Agent / Agente d'entretien/propreté de locaux (K2204)", nil},
		{"entretien locaux", "Agent / Agente d'entretien/propreté de locaux (K2204)", nil},
		{"nettoyeur", "Nettoyeur / Nettoyeuse de locaux (K2204)", func(l string) bool { return strings.Contains(l, "ettoyeu") }},
		{"nettoyeuse", "Nettoyeur / Nettoyeuse de locaux (K2204)", nil},
		{"k2204", "Feutier / Feutière (K2204)", func(l string) bool { return strings.HasSuffix(l, "(K2204)") }},
		{"cuisine", "", func(l string) bool { return strings.Contains(strings.ToLower(l), "cuisin") }},
		{"cuisinier", "Cuisinier / Cuisinière (G1602)", nil},
		{"jardinier paysagiste", "", func(l string) bool { return strings.Contains(l, "Jardinier") }},
		{"a", "", nil},
		{"zzz", "", nil},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := rome.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		s := rome.NewStore(d)
		for _, tt := range tests {
			list, err := s.SearchAppellations(ctx, tt.query)
			if err != nil {
				t.Fatalf("%q: %v", tt.query, err)
			}
			got := labels(list)
			if len(got) > rome.MaxResults {
				t.Errorf("%q: %d results", tt.query, len(got))
			}
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("%q: first = %q, want %q (all: %q)", tt.query, got, tt.first, got)
			}
			if tt.first == "" && tt.all == nil && len(got) > 0 {
				t.Errorf("%q: %q, want nothing", tt.query, got)
			}
			if tt.all != nil {
				if len(got) == 0 {
					t.Errorf("%q: nothing found", tt.query)
				}
				for _, l := range got {
					if !tt.all(l) {
						t.Errorf("%q: unexpected %q", tt.query, l)
					}
				}
			}
		}
	})
}

func TestSearchAppellations_PutsLabelsStartingWithTheQueryFirstThenShortest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := rome.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		list, err := rome.NewStore(d).SearchAppellations(ctx, "agent")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != rome.MaxResults {
			t.Fatalf("%d results, want %d", len(list), rome.MaxResults)
		}
		for i := 1; i < len(list); i++ {
			if len([]rune(list[i].Label)) < len([]rune(list[i-1].Label)) {
				t.Errorf("%q after the longer %q", list[i].Label, list[i-1].Label)
			}
		}
		if !strings.HasPrefix(list[0].Label, "Agent") {
			t.Errorf("first = %q, want a label starting with Agent", list[0].Label)
		}
	})
}

func TestSearchAppellations_RefusesOverlongQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, err := rome.NewStore(d).SearchAppellations(context.Background(), strings.Repeat("a", 101))
		if !errors.Is(err, searchtext.ErrTooLong) {
			t.Errorf("err = %v, want ErrTooLong", err)
		}
	})
}
