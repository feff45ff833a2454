package apiparticulier_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/apiparticulier/apiparticuliertest"
)

var bornInLyon = apiparticulier.Identity{LastName: "Martin", FirstNames: "Léa Jeanne", Title: "MME",
	Birthdate: time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), BirthCountry: "99100", BirthCommune: "69123"}

func TestIdentity_QueryHasTheParametersOfTheContract(t *testing.T) {
	got := map[string][]string(bornInLyon.Query())
	want := map[string][]string{
		"recipient": {"13003013300016"}, "nomNaissance": {"MARTIN"}, "prenoms[]": {"LÉA", "JEANNE"},
		"anneeDateNaissance": {"1990"}, "moisDateNaissance": {"3"}, "jourDateNaissance": {"7"},
		"codeCogInseePaysNaissance": {"99100"}, "sexeEtatCivil": {"F"}, "codeCogInseeCommuneNaissance": {"69123"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("query = %v\nwant %v", got, want)
	}
	abroad := bornInLyon
	abroad.Title, abroad.BirthCountry, abroad.BirthCommune = "M", "99350", ""
	q := abroad.Query()
	if _, has := q["codeCogInseeCommuneNaissance"]; has || q.Get("sexeEtatCivil") != "M" || q.Get("codeCogInseePaysNaissance") != "99350" {
		t.Errorf("born abroad: %v; want no commune, M, 99350", q)
	}
}

func TestIdentity_CompleteNeedsEveryFieldAndTheCommuneWhenBornInFrance(t *testing.T) {
	for name, change := range map[string]func(*apiparticulier.Identity){
		"no last name":       func(id *apiparticulier.Identity) { id.LastName = " " },
		"no first name":      func(id *apiparticulier.Identity) { id.FirstNames = "" },
		"no title":           func(id *apiparticulier.Identity) { id.Title = "" },
		"no birthdate":       func(id *apiparticulier.Identity) { id.Birthdate = time.Time{} },
		"no birth country":   func(id *apiparticulier.Identity) { id.BirthCountry = "" },
		"France, no commune": func(id *apiparticulier.Identity) { id.BirthCommune = "" },
	} {
		id := bornInLyon
		change(&id)
		if id.Complete() {
			t.Errorf("%s: Complete() = true", name)
		}
	}
	abroad := bornInLyon
	abroad.BirthCountry, abroad.BirthCommune = "99350", ""
	if !bornInLyon.Complete() || !abroad.Complete() {
		t.Error("a full identity, or one born abroad without commune, must be complete")
	}
}

func TestCheck_AnswersOfTheInProcessAPI(t *testing.T) {
	srv := apiparticuliertest.New()
	defer srv.Close()
	c := apiparticulier.New(srv.URL(), apiparticuliertest.Token)
	ctx := context.Background()

	srv.Set(apiparticulier.RSA, "Martin", apiparticuliertest.Beneficiary("2024-01-15"))
	a, err := c.Check(ctx, apiparticulier.RSA, bornInLyon)
	if err != nil || !a.Found || !a.Beneficiary || a.Since == nil || a.Since.Format(time.DateOnly) != "2024-01-15" || len(a.Body) == 0 {
		t.Fatalf("beneficiary: %+v, %v", a, err)
	}
	srv.Set(apiparticulier.AAH, "Martin", apiparticuliertest.NotBeneficiary())
	if a, err := c.Check(ctx, apiparticulier.AAH, bornInLyon); err != nil || !a.Found || a.Beneficiary || a.Since != nil {
		t.Fatalf("not a beneficiary: %+v, %v", a, err)
	}
	if a, err := c.Check(ctx, apiparticulier.ASF, bornInLyon); err != nil || a.Found {
		t.Fatalf("unknown person: %+v, %v; want a definitive « not found »", a, err)
	}
	srv.Set(apiparticulier.ASF, "Martin", apiparticuliertest.ProviderDown())
	if _, err := c.Check(ctx, apiparticulier.ASF, bornInLyon); !errors.Is(err, apiparticulier.ErrProviderDown) {
		t.Fatalf("502 37999: %v; want ErrProviderDown", err)
	}
	srv.Set(apiparticulier.ASF, "Martin", apiparticuliertest.Reply{Status: http.StatusTooManyRequests, Body: map[string]any{}, RetryAfter: "120"})
	var retry *apiparticulier.RetryError
	if _, err := c.Check(ctx, apiparticulier.ASF, bornInLyon); !errors.As(err, &retry) || retry.After != 2*time.Minute {
		t.Fatalf("429: %v; want a retry after Retry-After", err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("the API refused requests: %v", p)
	}
	if n := len(srv.Calls()); n != 5 {
		t.Errorf("%d calls; want 5", n)
	}

	bad := apiparticulier.New(srv.URL(), "wrong")
	if _, err := bad.Check(ctx, apiparticulier.RSA, bornInLyon); !errors.As(err, &retry) || retry.Status != http.StatusUnauthorized {
		t.Errorf("wrong token: %v; want a 401 to retry", err)
	}
}

func TestCheck_NetworkErrorIsRetriedAndDoesNotQuoteTheIdentity(t *testing.T) {
	c := apiparticulier.New("http://127.0.0.1:1/api/", "t")
	_, err := c.Check(context.Background(), apiparticulier.RSA, bornInLyon)
	var retry *apiparticulier.RetryError
	if !errors.As(err, &retry) || retry.Status != 0 || retry.After != apiparticulier.TransientDelay {
		t.Fatalf("err = %v; want a retry in 12 h", err)
	}
	for _, secret := range []string{"MARTIN", "69123", "1990"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q quotes %q", err, secret)
		}
	}
}
