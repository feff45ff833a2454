package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOf_FindsTheKindOfAWrappedRefusalAndNoneForInternalErrors(t *testing.T) {
	sentinel := NotFound("Organisation introuvable.")
	for _, tc := range []struct {
		name   string
		err    error
		want   Kind
		wantOK bool
	}{
		{"not found", sentinel, KindNotFound, true},
		{"wrapped", fmt.Errorf("org: overview %s: %w", "x", sentinel), KindNotFound, true},
		{"forbidden", Forbidden("Non."), KindForbidden, true},
		{"conflict", Conflict("Déjà fait."), KindConflict, true},
		{"invalid", Invalid("Trop long."), KindInvalid, true},
		{"one field", InvalidField("siret", "Ce champ est obligatoire."), KindInvalid, true},
		{"internal", errors.New("db: connection refused"), 0, false},
		{"nil", nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := KindOf(tc.err)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("KindOf = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestAs_ReturnsTheRefusalWithItsFrenchMessage(t *testing.T) {
	sentinel := Forbidden("Vous n'avez pas les droits nécessaires pour cette action.")
	e, ok := As(fmt.Errorf("org: members: %w", sentinel))
	if !ok || e != sentinel || e.Error() != sentinel.Message {
		t.Errorf("As = %v, %v", e, ok)
	}
	if !errors.Is(fmt.Errorf("wrapped: %w", sentinel), sentinel) {
		t.Error("errors.Is does not match the sentinel through a wrap")
	}
	if _, ok := As(errors.New("internal")); ok {
		t.Error("As found a refusal in an internal error")
	}
}

func TestFields_KeepTheFirstProblemPerFieldAndBecomeOneInvalidError(t *testing.T) {
	var f Fields
	if f.Err() != nil {
		t.Fatal("empty fields give an error")
	}
	f.Add("siret", "Ce champ est obligatoire.")
	f.Add("siret", "Le SIRET est invalide.")
	f.Add("", "Le formulaire est incomplet.")
	for _, tc := range []struct {
		field string
		has   bool
		on    string
	}{
		{"siret", true, "Ce champ est obligatoire."},
		{"", true, "Le formulaire est incomplet."},
		{"name", false, ""},
	} {
		if f.Has(tc.field) != tc.has || f.On(tc.field) != tc.on {
			t.Errorf("field %q: Has %v, On %q", tc.field, f.Has(tc.field), f.On(tc.field))
		}
	}
	err := fmt.Errorf("org: create: %w", f.Err())
	e, ok := As(err)
	if !ok || e.Kind != KindInvalid || len(e.Fields) != 2 || e.Message != "Ce champ est obligatoire. Le formulaire est incomplet." {
		t.Errorf("Err = %+v", e)
	}
	if got := FieldsOf(err); len(got) != 2 || got[0].Field != "siret" {
		t.Errorf("FieldsOf = %+v", got)
	}
	if FieldsOf(NotFound("x")) != nil || FieldsOf(errors.New("x")) != nil {
		t.Error("FieldsOf found fields in an error without any")
	}
}

func TestKind_NamesItself(t *testing.T) {
	for k, want := range map[Kind]string{KindInvalid: "invalid", KindNotFound: "not found", KindForbidden: "forbidden",
		KindConflict: "conflict", 0: "unknown"} {
		if k.String() != want {
			t.Errorf("%d: %q, want %q", k, k.String(), want)
		}
	}
}
