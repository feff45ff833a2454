package approval

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
)

func TestFTCodes_TypeOriginAndPrescriberTypology(t *testing.T) {
	for kind, want := range map[string]int{"ACI": 836, "AI": 837, "EI": 838, "ETTI": 839, "EITI": 840, "OPCS": 0, "": 0} {
		if got, ok := FTSIAEType(kind); got != want || ok != (want != 0) {
			t.Errorf("FTSIAEType(%q) = %d, %v; want %d", kind, got, ok, want)
		}
	}
	for sender, want := range map[string]string{"job_seeker": "DEMA", "prescriber": "PRES", "employer": "EMPL", "": "DEMA"} {
		if got := FTOrigin(sender); got != want {
			t.Errorf("FTOrigin(%q) = %q; want %q", sender, got, want)
		}
	}
	for kind, want := range map[string]string{"FT": "PE", "CAF": "CAF", "ML": "ML", "SPIP": "Autre", "ASE": "Autre", "": ""} {
		if got := FTPrescriberTypology(kind); got != want {
			t.Errorf("FTPrescriberTypology(%q) = %q; want %q", kind, got, want)
		}
	}
	if !NotifyRunDue(time.Date(2026, 1, 1, 21, 59, 0, 0, time.UTC)) || NotifyRunDue(time.Date(2026, 1, 1, 22, 0, 0, 0, time.UTC)) {
		t.Error("the batch runs from 00:00 to 21:59 UTC")
	}
}

type notifyFixture struct {
	*fixture
	ft       *fttest.Server
	notifier *Notifier
}

func newNotifyFixture(t *testing.T, d *db.DB) *notifyFixture {
	f := newFixture(t, d)
	ft := fttest.New()
	t.Cleanup(ft.Close)
	n := NewNotifier(d, francetravail.New(d, ft.Config(), f.clk.Now), slog.New(slog.NewTextHandler(io.Discard, nil)))
	n.Now, n.Pause = f.clk.Now, 0
	return &notifyFixture{fixture: f, ft: ft, notifier: n}
}

// holderNIR gives the holder of a a NIR of their own in its first 13 characters (what France
// Travail's search reads; the fixture's NIRs share them) and returns it.
func (f *notifyFixture) holderNIR(a *Approval) string {
	f.t.Helper()
	nir := fmt.Sprintf("19005751%05d00", a.UserID)
	f.exec("UPDATE job_seeker_profile SET nir = ? WHERE user_id = ?", nir, a.UserID)
	return nir
}

func (f *notifyFixture) outcome(table string, id int64) Outcome {
	f.t.Helper()
	var o Outcome
	err := f.d.NewRaw("SELECT pe_notification_status, pe_notification_endpoint, pe_notification_exit_code FROM "+table+" WHERE id = ?", id).
		Scan(context.Background(), &o.Status, &o.Endpoint, &o.ExitCode)
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

func TestNotifier_TheStatementsOfTheSpecification(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newNotifyFixture(t, d)
		today := f.today()
		known := func(a *Approval, id string) { f.ft.Individual(f.holderNIR(a), id) }

		// 1. An ACI PASS from a France Travail prescriber.
		fromFT, _ := f.hired(org.ACI, today)
		f.exec("UPDATE approval SET origin_sender_kind = 'prescriber', origin_prescriber_organization_kind = 'FT' WHERE id = ?", fromFT.ID)
		known(fromFT, "ft-1")
		// 3. An ETTI hire by an employer, no prescriber.
		etti, _ := f.hired(org.ETTI, today)
		f.exec("UPDATE approval SET origin_siae_kind = 'ETTI', origin_sender_kind = 'employer' WHERE id = ?", etti.ID)
		known(etti, "ft-3")
		// 5. A search answering S002, an update answering S022.
		several, _ := f.hired(org.ACI, today)
		f.ft.SearchAnswer(f.holderNIR(several), francetravail.Individual{Code: "S002"})
		refused, _ := f.hired(org.ACI, today)
		known(refused, "ft-5")
		f.ft.UpdateCode(refused.Number, "S022")
		// 7. A kind France Travail does not know; a NIR gone after the PASS was ready.
		opcs, _ := f.hired(org.ACI, today)
		f.exec("UPDATE approval SET origin_siae_kind = 'OPCS' WHERE id = ?", opcs.ID)
		noNIR, _ := f.hired(org.ACI, today)
		f.exec("UPDATE approval SET pe_notification_status = 'notification_should_retry' WHERE id = ?", noNIR.ID)
		f.exec("UPDATE job_seeker_profile SET nir = NULL, lack_of_nir_reason = 'NO_NIR' WHERE user_id = ?", noNIR.UserID)
		// 8. A PASS starting tomorrow stays pending, untouched.
		tomorrow, _ := f.hired(org.ACI, today.AddDate(0, 0, 1))
		// 4. A cancelled PASS of an EI hire by an employer.
		cancelled := f.insertID(`INSERT INTO cancelled_approval (number, start_at, end_at, origin, origin_siae_siret, origin_siae_kind,
			origin_sender_kind, user_last_name, user_first_name, user_nir, user_birthdate, created_at)
			VALUES ('XXXXX0000999', ?, ?, 'default', '12345678900002', 'EI', 'employer', 'Durand', 'Paul', '185056912304564', ?, ?)`,
			today.AddDate(0, 0, -10), today.AddDate(2, 0, -11), time.Date(1985, 5, 20, 0, 0, 0, 0, time.UTC), f.clk.Now())
		f.ft.Individual("185056912304564", "ft-4")

		sent, err := f.notifier.Run(ctx)
		if err != nil || sent != 7 {
			t.Fatalf("Run = %d, %v; want 7 sent (all but the PASS of tomorrow)", sent, err)
		}
		if p := f.ft.Problems(); len(p) > 0 {
			t.Fatalf("France Travail refused: %v", p)
		}
		success := Outcome{Status: notificationSuccess}
		for name, tc := range map[string]struct {
			table string
			id    int64
			want  Outcome
		}{
			"FT prescriber":  {"approval", fromFT.ID, success},
			"ETTI employer":  {"approval", etti.ID, success},
			"search S002":    {"approval", several.ID, Outcome{notificationError, endpointSearch, "S002"}},
			"update S022":    {"approval", refused.ID, Outcome{notificationError, endpointUpdate, "S022"}},
			"unknown kind":   {"approval", opcs.ID, Outcome{notificationError, "", codeInvalidSIAEKind}},
			"no NIR":         {"approval", noNIR.ID, Outcome{notificationPending, "", codeMissingUserData}},
			"starts later":   {"approval", tomorrow.ID, Outcome{notificationPending, "", ""}},
			"cancelled PASS": {"cancelled_approval", cancelled, success},
		} {
			if got := f.outcome(tc.table, tc.id); got != tc.want {
				t.Errorf("%s: outcome = %+v; want %+v", name, got, tc.want)
			}
		}
		updates := map[string]map[string]any{}
		for _, u := range f.ft.Updates() {
			updates[u["numPassIAE"].(string)] = u
		}
		day := func(t time.Time) string { return t.Format(time.DateOnly) }
		wantFT := map[string]any{"dateDebutPassIAE": day(fromFT.StartAt), "dateFinPassIAE": day(fromFT.EndAt), "idNational": "ft-1",
			"numPassIAE": fromFT.Number, "numSIRETsiae": "12345678900001", "origineCandidature": "PRES", "statutReponsePassIAE": "A",
			"typeSIAE": float64(836), "typologiePrescripteur": "PE"}
		if got := updates[fromFT.Number]; !reflect.DeepEqual(got, wantFT) {
			t.Errorf("FT prescriber body = %v\nwant %v", got, wantFT)
		}
		if got := updates[etti.Number]; got["typeSIAE"] != float64(839) || got["origineCandidature"] != "EMPL" || got["typologiePrescripteur"] != nil {
			t.Errorf("ETTI body = %v", got)
		}
		if got := updates["XXXXX0000999"]; got["dateFinPassIAE"] != got["dateDebutPassIAE"] || got["typeSIAE"] != float64(838) {
			t.Errorf("cancelled body = %v; want the end on the start, type 838", got)
		}
		var stored string
		if err := d.NewRaw("SELECT pe_obfuscated_nir FROM job_seeker_profile WHERE user_id = ?", fromFT.UserID).Scan(ctx, &stored); err != nil || stored != "ft-1" {
			t.Errorf("France Travail's identifier = %q, %v", stored, err)
		}

		// Once France Travail knows the person searched in vain, the PASS goes again without a search.
		f.exec("UPDATE job_seeker_profile SET pe_obfuscated_nir = 'ft-2' WHERE user_id = ?", several.UserID)
		searches := f.ft.Counts().SearchCalls
		if _, err := f.notifier.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.outcome("approval", several.ID); got != success || f.ft.Counts().SearchCalls != searches {
			t.Errorf("after the identifier: %+v, %d searches more", got, f.ft.Counts().SearchCalls-searches)
		}
		// A new NIR makes the identifier stale.
		f.exec("UPDATE job_seeker_profile SET nir = '190057512300099' WHERE user_id = ?", fromFT.UserID)
		if err := d.NewRaw("SELECT COALESCE(pe_obfuscated_nir, '') FROM job_seeker_profile WHERE user_id = ?", fromFT.UserID).Scan(ctx, &stored); err != nil || stored != "" {
			t.Errorf("identifier after a NIR change = %q, %v", stored, err)
		}
	})
}

func TestNotifier_FranceTravailDownLosesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newNotifyFixture(t, d)
		a, _ := f.hired(org.ACI, f.today())
		f.ft.Individual(f.holderNIR(a), "ft-9")
		// 6. The token endpoint fails, then the API answers 500 for a while.
		f.ft.FailToken(fttest.Failure{Status: http.StatusGatewayTimeout})
		for _, down := range []string{"token endpoint", "API answering 500"} {
			if _, err := f.notifier.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if got := f.outcome("approval", a.ID); got != (Outcome{Status: notificationShouldRetry}) {
				t.Fatalf("%s: %+v; want should_retry without endpoint or code", down, got)
			}
			if down == "token endpoint" {
				f.ft.FailAPI(fttest.Failure{Status: http.StatusInternalServerError, Body: `{"codeErreur":"JCS0011G","codeHttp":500}`})
			}
		}
		if _, err := f.notifier.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.outcome("approval", a.ID); got.Status != notificationSuccess {
			t.Fatalf("once France Travail answers: %+v", got)
		}
		if n := len(f.ft.Updates()); n != 1 {
			t.Errorf("%d updates accepted; want 1", n)
		}
		// Sent once: a later run leaves it alone.
		if _, err := f.notifier.Run(ctx); err != nil || len(f.ft.Updates()) != 1 {
			t.Errorf("a later run sent it again: %d updates, %v", len(f.ft.Updates()), err)
		}
	})
}
