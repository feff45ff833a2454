package application

import (
	"slices"
	"strings"
	"testing"
	"time"

	"emplois/internal/org"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { t := now.Add(d); return &t }
func day(offset int) *time.Time     { t := Day(now).AddDate(0, 0, offset); return &t }
func ptr[T any](v T) *T             { return &v }

func TestStates_HaveTheSpecLabelsAndBadges(t *testing.T) {
	want := map[State][2]string{
		New:         {"Nouvelle candidature", "Nouvelle candidature"},
		Processing:  {"Candidature à l'étude", "Candidature à l'étude"},
		Postponed:   {"Candidature en attente", "Candidature en attente"},
		PriorToHire: {"Action préalable à l’embauche", "Action préalable à l’embauche"},
		Pool:        {"Vivier de candidatures", "Vivier"},
		Accepted:    {"Candidature acceptée", "Candidature acceptée"},
		Refused:     {"Candidature déclinée", "Candidature déclinée"},
		Cancelled:   {"Embauche annulée", "Embauche annulée"},
		Obsolete:    {"Embauché ailleurs", "Embauché ailleurs"},
	}
	if len(States) != 9 {
		t.Fatalf("%d states", len(States))
	}
	for _, s := range States {
		if s.Label() != want[s][0] || s.Badge() != want[s][1] {
			t.Errorf("%s: %q / %q", s, s.Label(), s.Badge())
		}
	}
}

func TestDerivedSets_AreThoseOfTheSpec(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  []State
		want []State
	}{
		{"pending", Pending, []State{New, Processing, Postponed}},
		{"processed", Processed, []State{Accepted, Refused, Cancelled, Obsolete}},
		{"auto archivable", ArchivableAuto, []State{New, Processing, Postponed, Refused, Cancelled, Obsolete}},
		{"archivable by hand", ArchivableByHand, []State{Refused, Cancelled, Obsolete}},
		{"auto rejectable", AutoRejectable, []State{New, Processing}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v", tc.name, tc.got)
		}
	}
}

func TestDisplayedSenderKind_SaysOrienteurPrescripteurHabiliteOrEmployeur(t *testing.T) {
	for _, tc := range []struct {
		k    SenderKind
		auth bool
		want string
	}{
		{SenderPrescriber, false, "Orienteur"},
		{SenderPrescriber, true, "Prescripteur habilité"},
		{SenderEmployer, false, "Employeur"},
		{SenderJobSeeker, false, "Demandeur d'emploi"},
	} {
		if got := DisplayedSenderKind(tc.k, tc.auth); got != tc.want {
			t.Errorf("%s/%v: %q", tc.k, tc.auth, got)
		}
	}
	if SenderEmployer.FranceTravailCode() != "EMPL" || SenderJobSeeker.FranceTravailCode() != "DEMA" || SenderPrescriber.FranceTravailCode() != "PRES" {
		t.Error("France Travail codes")
	}
}

func TestOfferedRefusalReasons_HideTheHistoricalOnesAndTwoMoreForGEIQ(t *testing.T) {
	aci := OfferedRefusalReasons(org.ACI)
	geiq := OfferedRefusalReasons(org.GEIQ)
	if len(aci) != 13 || len(geiq) != 11 {
		t.Fatalf("ACI %d reasons, GEIQ %d", len(aci), len(geiq))
	}
	for _, hidden := range []RefusalReason{ReasonAuto, ReasonApprovalExpirationSoon, ReasonUnavailable, ReasonEligibilityDoubt, ReasonDeactivation, ReasonPoorlyInformed} {
		if hidden.IsOffered(org.ACI) || hidden.IsOffered(org.GEIQ) || !hidden.Valid() {
			t.Errorf("%s is offered or unknown", hidden)
		}
	}
	for _, r := range []RefusalReason{ReasonPreventObjectives, ReasonNonEligible} {
		if r.IsOffered(org.GEIQ) || !r.IsOffered(org.EI) {
			t.Errorf("%s offered to GEIQ or not to EI", r)
		}
	}
	for _, r := range append(aci, ReasonAuto) {
		if DefaultRefusalMessage(r, "X") == "" {
			t.Errorf("%s has no default message", r)
		}
	}
	if !strings.Contains(DefaultRefusalMessage(ReasonNonEligible, "Le Jardin"), "Le Jardin") {
		t.Error("the non_eligible message does not name the company")
	}
	if ReasonDeactivation.Label() != "La structure n'est plus conventionnée" || ReasonAuto.Label() != "Refus automatique" {
		t.Error("labels")
	}
}

func TestDetectTunnel_IsAutoPrescriptionOnlyForTheEmployersOwnCompany(t *testing.T) {
	for _, tc := range []struct {
		name       string
		jobSeeker  bool
		acting, to int64
		want       Tunnel
	}{
		{"job seeker", true, 0, 5, TunnelJobSeeker},
		{"prescriber", false, 0, 5, TunnelPrescription},
		{"employer for another company", false, 4, 5, TunnelPrescription},
		{"employer for its own company", false, 5, 5, TunnelAutoPrescription},
	} {
		if got := DetectTunnel(tc.jobSeeker, tc.acting, tc.to); got != tc.want {
			t.Errorf("%s: %s", tc.name, got)
		}
	}
}

func TestBlockedByRecentApplication_Is24HoursExceptAutoPrescription(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tunnel Tunnel
		last   *time.Time
		want   bool
	}{
		{"none before", TunnelPrescription, nil, false},
		{"2 hours ago", TunnelPrescription, at(-2 * time.Hour), true},
		{"a second short of 24 hours", TunnelJobSeeker, at(-24*time.Hour + time.Second), true},
		{"exactly 24 hours ago", TunnelJobSeeker, at(-24 * time.Hour), false},
		{"2 days ago", TunnelPrescription, at(-48 * time.Hour), false},
		{"auto-prescription 2 hours ago", TunnelAutoPrescription, at(-2 * time.Hour), false},
	} {
		if got := BlockedByRecentApplication(tc.tunnel, tc.last, now); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestIsDoubleSubmission_IsWithinTenSeconds(t *testing.T) {
	for _, tc := range []struct {
		last *time.Time
		want bool
	}{
		{nil, false}, {at(0), true}, {at(-9 * time.Second), true}, {at(-10 * time.Second), false}, {at(-time.Hour), false},
	} {
		if got := IsDoubleSubmission(tc.last, now); got != tc.want {
			t.Errorf("last %v: %v", tc.last, got)
		}
	}
}

func TestVisibleToEmployer_HidesTwoYearOldCandidaturesUnlessAccepted(t *testing.T) {
	twoYearsAndADay := now.AddDate(-2, 0, -1)
	almostTwoYears := now.AddDate(-2, 0, 1)
	for _, tc := range []struct {
		state   State
		created time.Time
		want    bool
	}{
		{New, twoYearsAndADay, false},
		{Refused, twoYearsAndADay, false},
		{Accepted, twoYearsAndADay, true},
		{New, almostTwoYears, true},
	} {
		if got := VisibleToEmployer(tc.state, tc.created, now); got != tc.want {
			t.Errorf("%s created %s: %v", tc.state, tc.created, got)
		}
	}
}

func TestArchiving_ByHandAutomaticallyAndAutoReject(t *testing.T) {
	old181 := now.Add(-181 * 24 * time.Hour)
	old61 := now.Add(-61 * 24 * time.Hour)
	old59 := now.Add(-59 * 24 * time.Hour)
	for _, s := range States {
		wantHand := s == Refused || s == Cancelled || s == Obsolete
		if CanArchive(s, false) != wantHand || CanArchive(s, true) {
			t.Errorf("CanArchive(%s)", s)
		}
		wantAuto := s != Pool && s != PriorToHire && s != Accepted
		if ShouldAutoArchive(s, false, old181, now) != wantAuto || ShouldAutoArchive(s, true, old181, now) {
			t.Errorf("ShouldAutoArchive(%s)", s)
		}
		if ShouldAutoArchive(s, false, old61, now) {
			t.Errorf("%s archived after 61 days", s)
		}
		wantReject := s == New || s == Processing
		if ShouldAutoReject(s, false, old61, now) != wantReject || ShouldAutoReject(s, true, old61, now) || ShouldAutoReject(s, false, old59, now) {
			t.Errorf("ShouldAutoReject(%s)", s)
		}
	}
}

func TestCheckHiringDates_RequiresAStartNotBackdatedExceptGEIQAndWithinSixMonths(t *testing.T) {
	for _, tc := range []struct {
		name       string
		kind       org.CompanyKind
		start, end *time.Time
		field, msg string
	}{
		{"no start", org.ACI, nil, nil, "hiring_start_at", "Ce champ est obligatoire."},
		{"today", org.ACI, day(0), nil, "", ""},
		{"yesterday in an SIAE", org.EI, day(-1), nil, "hiring_start_at", "Il n'est pas possible d'antidater un contrat. Indiquez une date dans le futur."},
		{"yesterday in an OPCS", org.OPCS, day(-1), nil, "hiring_start_at", "Il n'est pas possible d'antidater un contrat. Indiquez une date dans le futur."},
		{"yesterday in a GEIQ", org.GEIQ, day(-1), nil, "", ""},
		{"in 6 months", org.ACI, ptr(Day(now).AddDate(0, 6, 0)), nil, "", ""},
		{"in 6 months and a day", org.GEIQ, ptr(Day(now).AddDate(0, 6, 1)), nil, "hiring_start_at", "La date de début du contrat ne doit pas être postérieure à 6 mois."},
		{"end before start", org.ACI, day(3), day(2), "hiring_end_at", "La date de fin du contrat doit être postérieure à la date de début."},
		{"end on start", org.ACI, day(3), day(3), "", ""},
	} {
		errs := CheckHiringDates(tc.kind, tc.start, tc.end, now)
		if tc.field == "" {
			if len(errs) != 0 {
				t.Errorf("%s: %v", tc.name, errs)
			}
			continue
		}
		if errs.On(tc.field) != tc.msg {
			t.Errorf("%s: %v", tc.name, errs)
		}
	}
}

func TestCheckEditedContractDates_KeepsTheStartWithinThirtyDays(t *testing.T) {
	for _, tc := range []struct {
		start *time.Time
		ok    bool
	}{
		{day(0), true}, {day(20), true}, {day(30), true}, {day(31), false}, {day(-1), false}, {nil, false},
	} {
		if got := len(CheckEditedContractDates(tc.start, nil, now)) == 0; got != tc.ok {
			t.Errorf("start %v: ok %v", tc.start, got)
		}
	}
	if CheckEditedContractDates(day(5), day(4), now).On("hiring_end_at") == "" {
		t.Error("an end before the start is accepted")
	}
}

func TestCanUpdateHiringStart_OnlyForAFutureStartOfAnAcceptedOrPostponedCandidature(t *testing.T) {
	for _, tc := range []struct {
		state State
		start *time.Time
		want  bool
	}{
		{Accepted, day(1), true}, {Postponed, day(3), true}, {Accepted, day(0), false},
		{Refused, day(1), false}, {Accepted, nil, false},
	} {
		if got := CanUpdateHiringStart(tc.state, tc.start, now); got != tc.want {
			t.Errorf("%s %v: %v", tc.state, tc.start, got)
		}
	}
}

func TestCheckGEIQContract_FollowsTheCoherenceRules(t *testing.T) {
	full := GEIQContract{ContractType: ContractApprenticeship, NbHoursPerWeek: ptr(35), QualificationType: QualificationCQP,
		QualificationLevel: Level4, PlannedTrainingHours: ptr(0)}
	with := func(f func(*GEIQContract)) GEIQContract { g := full; f(&g); return g }
	for _, tc := range []struct {
		name  string
		kind  org.CompanyKind
		in    GEIQContract
		field string
	}{
		{"complete apprenticeship", org.GEIQ, full, ""},
		{"other without details", org.GEIQ, with(func(g *GEIQContract) { g.ContractType = ContractOther }), "contract_type_details"},
		{"other with details", org.GEIQ, with(func(g *GEIQContract) { g.ContractType = ContractOther; g.ContractTypeDetails = "CDD" }), ""},
		{"no contract type", org.GEIQ, with(func(g *GEIQContract) { g.ContractType = "" }), "contract_type"},
		{"49 hours", org.GEIQ, with(func(g *GEIQContract) { g.NbHoursPerWeek = ptr(49) }), "nb_hours_per_week"},
		{"0 hours", org.GEIQ, with(func(g *GEIQContract) { g.NbHoursPerWeek = ptr(0) }), "nb_hours_per_week"},
		{"no hours", org.GEIQ, with(func(g *GEIQContract) { g.NbHoursPerWeek = nil }), "nb_hours_per_week"},
		{"state diploma not relevant", org.GEIQ, with(func(g *GEIQContract) {
			g.QualificationType = QualificationStateDiploma
			g.QualificationLevel = LevelNotRelevant
		}), "qualification_level"},
		{"no training hours", org.GEIQ, with(func(g *GEIQContract) { g.PlannedTrainingHours = nil }), "planned_training_hours"},
		{"GEIQ fields in an SIAE", org.ACI, full, "contract_type"},
		{"nothing in an SIAE", org.ACI, GEIQContract{}, ""},
	} {
		_, errs := CheckGEIQContract(tc.kind, tc.in)
		if tc.field == "" && len(errs) != 0 || tc.field != "" && !errs.Has(tc.field) {
			t.Errorf("%s: %v", tc.name, errs)
		}
	}
	g, _ := CheckGEIQContract(org.GEIQ, with(func(g *GEIQContract) { g.ContractType = ContractProfessionalTraining }))
	if g.InvertedVAEContract == nil || *g.InvertedVAEContract {
		t.Error("the VAE flag of a professional training is not forced to false")
	}
	g, _ = CheckGEIQContract(org.GEIQ, with(func(g *GEIQContract) { g.InvertedVAEContract = ptr(true) }))
	if g.InvertedVAEContract != nil {
		t.Error("the VAE flag stays on an apprenticeship")
	}
}

func TestPriorActions_BelongToTwoGroupsAndNeedOrderedDates(t *testing.T) {
	if ActionPMSMP.Group() != "Mise en situation professionnelle" || ActionPOE.Group() != "Pré-qualification" ||
		ActionRegionalOrSectoral.Label() != "Dispositif régional ou sectoriel" {
		t.Error("groups or labels")
	}
	if len(CheckPriorAction(ActionMRS, day(1), day(1))) != 0 {
		t.Error("a one-day action is refused")
	}
	if !CheckPriorAction(ActionMRS, day(2), day(1)).Has("end_at") {
		t.Error("an end before the start is accepted")
	}
	if !CheckPriorAction("FOO", day(1), day(2)).Has("action") {
		t.Error("an unknown action is accepted")
	}
}
