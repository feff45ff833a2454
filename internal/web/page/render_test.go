package page

import "testing"

func TestPlural_IsSingularForZeroAndOneAsInFrench(t *testing.T) {
	for n, want := range map[int]string{0: "0 candidature", 1: "1 candidature", 2: "2 candidatures", 20204: "20204 candidatures"} {
		if got := Plural(n, "candidature", "candidatures"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}
