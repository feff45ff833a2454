package account

import (
	"errors"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/fault"
)

func TestPasswordTooShort_CountsCharactersNotBytes(t *testing.T) {
	tests := []struct {
		name     string
		password string
		short    bool
	}{
		{"fifteen characters are too few", "Abcdefghijk-123", true},
		{"sixteen characters are enough", "Abcdefghijk-1234", false},
		{"accented letters count once each", "Éléphant-Été-123", false},
		{"empty is too short", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PasswordTooShort(tt.password); got != tt.short {
				t.Errorf("PasswordTooShort(%q) = %v, want %v", tt.password, got, tt.short)
			}
		})
	}
}

func TestPasswordClasses_CountsUpperLowerDigitPunctuation(t *testing.T) {
	tests := []struct {
		name     string
		password string
		want     int
	}{
		{"lowercase only", "abcdefghijklmnop", 1},
		{"lower and upper", "abcdefghIJKLMNOP", 2},
		{"lower, upper and digits", "abcdefgh12345678P", 3},
		{"lower, upper and punctuation", "abcdefgh-IJKLMNOP", 3},
		{"all four", "abc-DEF-123-ghi-JKL", 4},
		{"accented letters are letters", "éèàùçÉÈÀÙÇ", 2},
		{"a space is not punctuation", "abcdefgh ijklmnop", 1},
		{"non-ASCII symbols are not punctuation", "abcdefgh€ijklmnop§", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PasswordClasses(tt.password); got != tt.want {
				t.Errorf("PasswordClasses(%q) = %d, want %d", tt.password, got, tt.want)
			}
		})
	}
}

func TestPasswordTooSimilar_RefusesPasswordsCloseToEmailOrNames(t *testing.T) {
	owner := PasswordOwner{Email: "jean-baptiste.dupontel@example.org", FirstName: "Jean-Baptiste", LastName: "Dupontel"}
	tests := []struct {
		name      string
		password  string
		wantField string
	}{
		{"the e-mail itself", "Jean-Baptiste.Dupontel@example.org", "adresse e-mail"},
		{"the e-mail with a digit", "jean-baptiste.dupontel@example.org1", "adresse e-mail"},
		{"the first name with a suffix", "Jean-Baptiste-2026", "prénom"},
		{"an unrelated passphrase", "Velo-Rouge-Sous-La-Pluie-42", ""},
		{"a long password that contains the short last name", "Dupontel-et-les-vacances-a-la-mer-2026", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, similar := PasswordTooSimilar(tt.password, owner)
			if field != tt.wantField || similar != (tt.wantField != "") {
				t.Errorf("PasswordTooSimilar(%q) = %q, %v; want %q", tt.password, field, similar, tt.wantField)
			}
		})
	}
}

func TestQuickRatio_MatchesPythonSequenceMatcher(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"abcd", "bcde", 0.75}, // Python: SequenceMatcher(None, "abcd", "bcde").quick_ratio()
		{"aaaa", "aa", 2 * 2.0 / 6},
		{"", "", 1},
		{"abc", "xyz", 0},
	}
	for _, tt := range tests {
		if got := quickRatio([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("quickRatio(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIsCommonPassword_IgnoresCaseAndSurroundingSpaces(t *testing.T) {
	tests := []struct {
		password string
		common   bool
	}{
		{"azertyuiopqsdfgh", true},
		{"AZERTYUIOPQSDFGH", true},
		{"  Motdepasse123456!  ", true},
		{"Correct Horse Battery Staple", true},
		{"Velo-Rouge-Sous-La-Pluie-42", false},
	}
	for _, tt := range tests {
		if got := IsCommonPassword(tt.password); got != tt.common {
			t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.password, got, tt.common)
		}
	}
}

func TestPasswordProblems_ListsEveryRuleBroken(t *testing.T) {
	owner := PasswordOwner{Email: "alice.martin@example.org", FirstName: "Alice", LastName: "Martin"}
	tests := []struct {
		name     string
		password string
		want     []string
	}{
		{"a strong passphrase passes", "Velo-Rouge-Sous-La-Pluie-42", nil},
		{"short and plain breaks two rules", "velo", []string{msgPasswordTooShort, msgPasswordClasses}},
		{"a common long password", "Motdepasse123456!", []string{msgPasswordCommon}},
		{"long but one class", "velorougesouslapluie", []string{msgPasswordClasses}},
		{"the e-mail", "Alice.Martin@example.org", []string{"Le mot de passe est trop semblable au champ « adresse e-mail »."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PasswordProblems(tt.password, owner)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("PasswordProblems(%q) = %q, want %q", tt.password, got, tt.want)
			}
		})
	}
}

func TestEmailProblem_AcceptsOnlyPlainAddresses(t *testing.T) {
	tests := []struct {
		email string
		want  string
	}{
		{"alice@example.org", ""},
		{"alice.martin+emplois@sub.example.fr", ""},
		{"", msgRequired},
		{"alice", msgEmailInvalid},
		{"alice@localhost", msgEmailInvalid},
		{"Alice <alice@example.org>", msgEmailInvalid},
		{"alice@@example.org", msgEmailInvalid},
		{"alice @example.org", msgEmailInvalid},
		{"@example.org", msgEmailInvalid},
		{"alice@example.", msgEmailInvalid},
	}
	for _, tt := range tests {
		if got := EmailProblem(tt.email); got != tt.want {
			t.Errorf("EmailProblem(%q) = %q, want %q", tt.email, got, tt.want)
		}
	}
}

func TestIsFranceTravailEmail_RecognisesBothDomainsInAnyCase(t *testing.T) {
	tests := []struct {
		email string
		want  bool
	}{
		{"agent@pole-emploi.fr", true},
		{"Agent@FranceTravail.fr", true},
		{"agent@francetravail.fr.example.org", false},
		{"agent@notpole-emploi.fr", false},
		{"alice@example.org", false},
	}
	for _, tt := range tests {
		if got := IsFranceTravailEmail(tt.email); got != tt.want {
			t.Errorf("IsFranceTravailEmail(%q) = %v, want %v", tt.email, got, tt.want)
		}
	}
}

func TestValidateSignUp_ReportsEachFieldOnce(t *testing.T) {
	valid := SignUpInput{Title: Madame, FirstName: "Alice", LastName: "Martin", Email: "alice@example.org",
		Password: "Velo-Rouge-Sous-La-Pluie-42", PasswordConfirm: "Velo-Rouge-Sous-La-Pluie-42"}
	tests := []struct {
		name   string
		change func(*SignUpInput)
		want   map[string]string
	}{
		{"a complete form passes", func(*SignUpInput) {}, nil},
		{"civilité is required", func(in *SignUpInput) { in.Title = "" }, map[string]string{"title": msgRequired}},
		{"civilité must be M or MME", func(in *SignUpInput) { in.Title = "DR" }, map[string]string{"title": msgTitleInvalid}},
		{"names are required", func(in *SignUpInput) { in.FirstName, in.LastName = " ", "" },
			map[string]string{"first_name": msgRequired, "last_name": msgRequired}},
		{"names have at most 150 characters", func(in *SignUpInput) { in.LastName = strings.Repeat("é", 151) },
			map[string]string{"last_name": msgNameTooLong}},
		{"a France Travail e-mail is refused", func(in *SignUpInput) { in.Email = "alice@francetravail.fr" },
			map[string]string{"email": msgEmailFranceTravail}},
		{"the confirmation must match", func(in *SignUpInput) { in.PasswordConfirm = "Velo-Rouge-Sous-La-Pluie-43" },
			map[string]string{"password2": msgPasswordMismatch}},
		{"a weak password is refused", func(in *SignUpInput) { in.Password, in.PasswordConfirm = "court", "court" },
			map[string]string{"password1": msgPasswordTooShort + " " + msgPasswordClasses}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.change(&in)
			err := ValidateSignUp(in)
			got := map[string]string{}
			fes := fault.FieldsOf(err)
			for _, fe := range fes {
				if _, dup := got[fe.Field]; dup {
					t.Errorf("field %s reported twice", fe.Field)
				}
				got[fe.Field] = fe.Message
			}
			if fes == nil && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("errors = %v, want %v", got, tt.want)
			}
			for f, msg := range tt.want {
				if got[f] != msg {
					t.Errorf("%s: %q, want %q", f, got[f], msg)
				}
			}
		})
	}
}

func TestThrottledError_SaysMinutesInFrenchAndMatchesErrThrottled(t *testing.T) {
	tests := []struct {
		after int // seconds
		want  string
	}{
		{1, "Trop de tentatives de connexion. Réessayez dans 1 minute."},
		{60, "Trop de tentatives de connexion. Réessayez dans 1 minute."},
		{61, "Trop de tentatives de connexion. Réessayez dans 2 minutes."},
		{900, "Trop de tentatives de connexion. Réessayez dans 15 minutes."},
	}
	for _, tt := range tests {
		err := error(&ThrottledError{RetryAfter: secondsDuration(tt.after)})
		if err.Error() != tt.want {
			t.Errorf("%ds: %q, want %q", tt.after, err.Error(), tt.want)
		}
		if !errors.Is(err, ErrThrottled) {
			t.Errorf("errors.Is(ErrThrottled) is false")
		}
	}
}

func TestFieldsFrom_TheLatestSourceOfEachFieldCounts(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	u := &User{}
	u.RecordFieldSources(FranceConnect, now, "first_name", "last_name", "birthdate")
	u.RecordFieldSources(FranceTravailConnect, now.Add(time.Hour), "birthdate")
	u.RecordFieldSources(FranceConnect, now.Add(2*time.Hour), "first_name")
	if got := strings.Join(u.FieldsFrom(FranceConnect), ","); got != "last_name,first_name" {
		t.Errorf("FranceConnect fields = %q", got)
	}
	if got := strings.Join(u.FieldsFrom(FranceTravailConnect), ","); got != "birthdate" {
		t.Errorf("France Travail Connect fields = %q", got)
	}
	for gender, want := range map[string]Title{"male": Monsieur, "female": Madame, " Female ": Madame, "": "", "autre": ""} {
		if got := TitleOfGender(gender); got != want {
			t.Errorf("TitleOfGender(%q) = %q, want %q", gender, got, want)
		}
	}
}
