package org

import "testing"

func TestPublishedSIRET_HidesTheMadeUpEstablishmentOfAntennas(t *testing.T) {
	for _, c := range []struct {
		name                  string
		source                Source
		siret, parent, wanted string
	}{
		{"ASP company", SourceASP, "10000000099991", "", "10000000099991"},
		{"antenna with its own establishment", SourceUserCreated, "10000000000003", "", "10000000000003"},
		{"999dd antenna with a parent", SourceUserCreated, "10000000099991", "10000000000001", "10000000000001"},
		{"999dd antenna without parent", SourceUserCreated, "10000000099991", "", ""},
		{"999 elsewhere is a real establishment", SourceUserCreated, "10000000000999", "", "10000000000999"},
	} {
		if got := PublishedSIRET(c.source, c.siret, c.parent); got != c.wanted {
			t.Errorf("%s: %q, want %q", c.name, got, c.wanted)
		}
	}
}
