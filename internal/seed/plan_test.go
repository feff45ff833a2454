package seed

import (
	"math"
	"testing"
	"time"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// Tests of the generation itself, at the national scale, over a small made-up geography: they
// need no database.

var testNow = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

func testReference() *reference {
	places := []place{
		{InseeCode: "75111", Name: "Paris 11e Arrondissement", Department: "75", PostalCode: "75011", Latitude: 48.8601, Longitude: 2.3816, Population: 140000, CommuneCode: "75056", CommuneName: "Paris", Arrondissement: true},
		{InseeCode: "69381", Name: "Lyon 1er Arrondissement", Department: "69", PostalCode: "69001", Latitude: 45.7699, Longitude: 4.8292, Population: 30000, CommuneCode: "69123", CommuneName: "Lyon", Arrondissement: true},
		{InseeCode: "69266", Name: "Villeurbanne", Department: "69", PostalCode: "69100", Latitude: 45.7719, Longitude: 4.8902, Population: 160000, CommuneCode: "69266", CommuneName: "Villeurbanne"},
		{InseeCode: "33063", Name: "Bordeaux", Department: "33", PostalCode: "33000", Latitude: 44.8624, Longitude: -0.5848, Population: 260000, CommuneCode: "33063", CommuneName: "Bordeaux"},
		{InseeCode: "48095", Name: "Mende", Department: "48", PostalCode: "48000", Latitude: 44.5283, Longitude: 3.4937, Population: 12000, CommuneCode: "48095", CommuneName: "Mende"},
		{InseeCode: "48001", Name: "Albaret-le-Comtal", Department: "48", PostalCode: "48310", Latitude: 44.8795, Longitude: 3.1295, Population: 200, CommuneCode: "48001", CommuneName: "Albaret-le-Comtal"},
		{InseeCode: "97411", Name: "Saint-Denis", Department: "974", PostalCode: "97400", Latitude: -20.9329, Longitude: 55.4456, Population: 150000, CommuneCode: "97411", CommuneName: "Saint-Denis"},
	}
	apps := []appellation{
		{"10688", "Agent / Agente de nettoyage", "K2204"}, {"10675", "Jardinier / Jardinière d'espaces verts", "A1203"},
		{"12757", "Commis de cuisine", "G1602"}, {"11453", "Aide à domicile", "K1304"}, {"10579", "Manutentionnaire", "N1105"},
		{"19999", "Astronome", "K2402"},
	}
	return newReference(places, apps)
}

func share(n, total int) float64 { return float64(n) / float64(total) }

func TestPlanCompanies_KindsFollowTheRealProportionsAndSomeExerciseTheRules(t *testing.T) {
	rows := planCompanies(newRand(42, streamCompanies), testReference(), National.Companies, testNow)
	if len(rows) != National.Companies {
		t.Fatalf("%d companies, want %d", len(rows), National.Companies)
	}
	kinds := map[org.CompanyKind]int{}
	var inactive, blocked, hidden, antennas, withMember int
	sirets := map[string]bool{}
	for _, c := range rows {
		kinds[c.Kind]++
		if p := org.SIRETProblem(c.SIRET); p != "" {
			t.Fatalf("company %s: SIRET %s: %s", c.Name, c.SIRET, p)
		}
		if sirets[c.SIRET+string(c.Kind)] {
			t.Fatalf("SIRET %s given twice to %s", c.SIRET, c.Kind)
		}
		sirets[c.SIRET+string(c.Kind)] = true
		switch {
		case c.parent >= 0:
			antennas++
			parent := rows[c.parent]
			if parent.Kind != c.Kind || org.SIREN(parent.SIRET) != org.SIREN(c.SIRET) || c.convention != nil || c.Source != org.SourceUserCreated {
				t.Fatalf("antenna %s of %s: kind %s/%s, SIRET %s/%s", c.Name, parent.Name, c.Kind, parent.Kind, c.SIRET, parent.SIRET)
			}
		case c.Kind.IsSIAE():
			if c.convention == nil || len(c.annexes) == 0 {
				t.Fatalf("SIAE %s without convention or annex", c.Name)
			}
			annexes := make([]org.FinancialAnnex, len(c.annexes))
			for i, a := range c.annexes {
				if !org.ValidAnnexNumber(a.Number) {
					t.Fatalf("annex number %q", a.Number)
				}
				annexes[i] = a
			}
			if org.ConventionActive(annexes, testNow) != c.convention.IsActive {
				t.Fatalf("convention of %s: is_active %v disagrees with its annexes", c.Name, c.convention.IsActive)
			}
			if !c.convention.IsActive {
				inactive++
			}
		case c.convention != nil:
			t.Fatalf("%s %s has a convention", c.Kind, c.Name)
		}
		if c.BlockJobApplications {
			blocked++
		}
		if !c.IsSearchable {
			hidden++
		}
		if c.members > 0 {
			withMember++
		}
	}
	want := map[org.CompanyKind]float64{org.ACI: 0.45, org.EI: 0.20, org.AI: 0.15, org.ETTI: 0.08, org.GEIQ: 0.07, org.EITI: 0.03, org.OPCS: 0.02}
	for kind, w := range want {
		if got := share(kinds[kind], len(rows)); math.Abs(got-w) > 0.015+w*0.05 {
			t.Errorf("%s: %.1f%% of the companies, want about %.0f%%", kind, 100*got, 100*w)
		}
	}
	if got := share(kinds[org.EA]+kinds[org.EATT], len(rows)); got < 0.005 || got > 0.02 {
		t.Errorf("EA/EATT history: %.1f%%, want about 1%%", 100*got)
	}
	checks := []struct {
		what     string
		n        int
		min, max float64
	}{
		{"inactive SIAE (ended or in grace period)", inactive, 0.02, 0.06},
		{"blocked", blocked, 0.02, 0.06},
		{"not searchable", hidden, 0.005, 0.03},
		{"antennas", antennas, 0.02, 0.07},
		{"with an active member", withMember, 0.82, 0.88},
	}
	for _, c := range checks {
		if got := share(c.n, len(rows)); got < c.min || got > c.max {
			t.Errorf("%s: %.1f%%, want between %.0f%% and %.0f%%", c.what, 100*got, 100*c.min, 100*c.max)
		}
	}
}

func TestDrawPlace_FollowsThePopulation(t *testing.T) {
	ref := testReference()
	r := newRand(1, 1)
	counts := map[string]int{}
	const draws = 200000
	for range draws {
		counts[ref.places[ref.drawPlace(r)].InseeCode]++
	}
	total := 0
	for _, p := range ref.places {
		total += p.Population
	}
	for _, p := range ref.places {
		want := float64(p.Population) / float64(total)
		if got := share(counts[p.InseeCode], draws); math.Abs(got-want) > 0.01+want*0.05 {
			t.Errorf("%s: drawn %.2f%% of the time, population share %.2f%%", p.Name, 100*got, 100*want)
		}
	}
	if counts["48001"] >= counts["48095"] || counts["48095"] >= counts["75111"] {
		t.Errorf("a village (%d) should come after Mende (%d), Mende after Paris 11e (%d)", counts["48001"], counts["48095"], counts["75111"])
	}
}

func TestJitter_StaysWithinTheSpreadOfThePlace(t *testing.T) {
	r := newRand(3, 3)
	for _, p := range testReference().places {
		for range 1000 {
			lat, lon := jitter(r, p.Latitude, p.Longitude, spreadKm(p))
			if d := distanceKm(p.Latitude, p.Longitude, lat, lon); d > spreadKm(p)+0.01 {
				t.Fatalf("%s: moved %.2f km, spread %.2f km", p.Name, d, spreadKm(p))
			}
		}
	}
}

func TestPlanJobDescriptions_UseTheContractsOfTheKindAndStayOpenIfRefreshed(t *testing.T) {
	ref := testReference()
	companies := planCompanies(newRand(42, streamCompanies), ref, National.Companies, testNow)
	fiches := planJobDescriptions(newRand(42, streamJobDescriptions), ref, companies, National.JobDescriptions, testNow)
	if len(fiches) != National.JobDescriptions {
		t.Fatalf("%d fiches, want %d", len(fiches), National.JobDescriptions)
	}
	active, elsewhere, common := 0, 0, 0
	for _, f := range fiches {
		c := companies[f.company]
		if !jobdesc.ContractAllowed(c.Kind, false, f.ContractType) {
			t.Fatalf("%s %s offers %s", c.Kind, c.Name, f.ContractType)
		}
		if f.ContractType == jobdesc.Other && f.OtherContractType == "" {
			t.Fatalf("fiche %s: OTHER without precision", f.UID)
		}
		if f.IsActive {
			active++
			if age := testNow.Sub(f.LastEmployerUpdateAt); age > 86*24*time.Hour {
				t.Fatalf("open fiche refreshed %v ago: the 90-day job would close it", age)
			}
		}
		if f.LocationCode != "" {
			elsewhere++
			if f.LocationCode == c.CommuneCode {
				t.Fatalf("fiche elsewhere in its company's commune %s", f.LocationCode)
			}
		}
		if f.AppellationCode != "19999" {
			common++
		}
		if last := f.history[len(f.history)-1]; last.IsActive != f.IsActive {
			t.Fatalf("fiche %s: history ends with is_active %v, fiche %v", f.UID, last.IsActive, f.IsActive)
		}
	}
	if got := share(active, len(fiches)); got < 0.67 || got > 0.73 {
		t.Errorf("%.1f%% of the fiches open, want about 70%%", 100*got)
	}
	if got := share(elsewhere, len(fiches)); got < 0.05 || got > 0.30 {
		t.Errorf("%.1f%% of the fiches away from their company, want up to 25%%", 100*got)
	}
	if got := share(common, len(fiches)); got < 0.6 {
		t.Errorf("%.1f%% of the fiches on the usual IAE trades, want most", 100*got)
	}
}

func TestPlanPrescribers_AboutSixtyPercentValidatedWithinTheRules(t *testing.T) {
	rows := planPrescribers(newRand(42, streamPrescribers), testReference(), National.Prescribers, testNow)
	validated := 0
	safir := map[string]bool{}
	for _, p := range rows {
		s := p.AuthorizationStatus
		switch {
		case s == org.AuthorizationValidated && p.Kind == org.OtherKind,
			s == org.AuthorizationNotRequired && p.Kind != org.OtherKind,
			s == org.AuthorizationValidated && p.Kind == org.ODC && !p.IsBRSA,
			p.Kind == org.FT && s != org.AuthorizationValidated:
			t.Fatalf("%s %s with status %s (brsa %v)", p.Kind, p.Name, s, p.IsBRSA)
		case p.SIRET == "" && p.Kind != org.FT:
			t.Fatalf("%s %s without SIRET", p.Kind, p.Name)
		case (p.CodeSAFIR != "") != (p.Kind == org.FT):
			t.Fatalf("%s %s: SAFIR %q", p.Kind, p.Name, p.CodeSAFIR)
		case p.CodeSAFIR != "" && safir[p.CodeSAFIR]:
			t.Fatalf("SAFIR %s given twice", p.CodeSAFIR)
		}
		safir[p.CodeSAFIR] = true
		if p.SIRET != "" && org.SIRETProblem(p.SIRET) != "" {
			t.Fatalf("%s: SIRET %s", p.Name, p.SIRET)
		}
		if s == org.AuthorizationValidated {
			validated++
		}
	}
	if got := share(validated, len(rows)); got < 0.57 || got > 0.63 {
		t.Errorf("%.1f%% validated, want about 60%%", 100*got)
	}
}

func TestPlanCompanies_SameSeedSameRowsOtherSeedOtherRows(t *testing.T) {
	ref := testReference()
	a := planCompanies(newRand(42, streamCompanies), ref, 500, testNow)
	b := planCompanies(newRand(42, streamCompanies), ref, 500, testNow)
	c := planCompanies(newRand(43, streamCompanies), ref, 500, testNow)
	same, differ := true, false
	for i := range a {
		if a[i].UID != b[i].UID || a[i].Name != b[i].Name || *a[i].Latitude != *b[i].Latitude || a[i].Kind != b[i].Kind {
			same = false
		}
		if a[i].UID != c[i].UID {
			differ = true
		}
	}
	if !same || !differ {
		t.Errorf("same seed gives the same companies: %v; another seed other ones: %v", same, differ)
	}
}
