package account

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// fastParams keep the test suite quick; the parameters are stored in each hash, so every code
// path is the same as with DefaultHashParams.
var fastParams = HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const strongPassword = "Velo-Rouge-Sous-La-Pluie-42"

func secondsDuration(n int) time.Duration { return time.Duration(n) * time.Second }

// testClock is a clock the test moves by hand.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time          { return c.t }
func (c *testClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestService(t *testing.T, d *db.DB) (*Service, *testClock) {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(d, cfg)
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.Now, s.Params = clock.Now, fastParams
	return s, clock
}

func signUpInput(email string) SignUpInput {
	return SignUpInput{Title: Madame, FirstName: "Alice", LastName: "Martin", Email: email,
		Password: strongPassword, PasswordConfirm: strongPassword}
}

// verifiedJobSeeker signs a job seeker up and follows the link of the verification mail.
func verifiedJobSeeker(t *testing.T, s *Service, d *db.DB, email string) *User {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SignUpJobSeekerWith(ctx, signUpInput(email), "192.0.2.1", nil); err != nil {
		t.Fatal(err)
	}
	u, err := s.VerifyEmail(ctx, lastToken(t, d, email, "/accounts/verify/"), "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func outbox(t *testing.T, d *db.DB) []mail.OutboxMail {
	t.Helper()
	var mails []mail.OutboxMail
	if err := d.NewSelect().Model(&mails).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return mails
}

var linkToken = regexp.MustCompile(`https?://\S+?/accounts/(?:verify|password/reset)/([A-Za-z0-9_-]{43})`)

// lastToken returns the token of the newest mail to `to` whose text holds a link under path.
func lastToken(t *testing.T, d *db.DB, to, path string) string {
	t.Helper()
	mails := outbox(t, d)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].To != to || !strings.Contains(mails[i].Text, path) {
			continue
		}
		m := linkToken.FindStringSubmatch(mails[i].Text)
		if m == nil {
			t.Fatalf("no link in mail %q", mails[i].Text)
		}
		return m[1]
	}
	t.Fatalf("no mail to %s with a link under %s", to, path)
	return ""
}

// actions lists the audit actions in order, with the reason of failed logins: "login_failed:wrong_password".
func actions(t *testing.T, d *db.DB) []string {
	t.Helper()
	events, err := audit.List(context.Background(), d, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		a := events[i].Action
		if m := regexp.MustCompile(`"reason":"(\w+)"`).FindStringSubmatch(events[i].Details); m != nil {
			a += ":" + m[1]
		}
		out = append(out, a)
	}
	return out
}

func TestSignUp_VerifyThenLogin_JobSeekerJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		u, err := s.SignUpJobSeekerWith(ctx, signUpInput("  Alice.Martin@Example.org "), "192.0.2.1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "alice.martin@example.org" || u.Kind != JobSeeker || u.IdentityProvider != Django || u.EmailVerified() {
			t.Fatalf("created user %+v", u)
		}
		if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(u.PublicID) {
			t.Errorf("public id %q is not a UUID", u.PublicID)
		}

		mails := outbox(t, d)
		if len(mails) != 1 || mails[0].To != "alice.martin@example.org" || mails[0].Subject != "Confirmez votre adresse e-mail" {
			t.Fatalf("outbox = %+v", mails)
		}
		if !strings.Contains(mails[0].Text, "Bonjour Alice MARTIN") || !strings.Contains(mails[0].HTML, `<a href="http://localhost:8080/accounts/verify/`) {
			t.Errorf("mail bodies miss the greeting or the link:\n%s\n%s", mails[0].Text, mails[0].HTML)
		}

		if _, err := s.Authenticate(ctx, "alice.martin@example.org", strongPassword, "192.0.2.1"); !errors.Is(err, ErrEmailNotVerified) {
			t.Fatalf("login before verification: %v, want ErrEmailNotVerified", err)
		}
		token := lastToken(t, d, "alice.martin@example.org", "/accounts/verify/")
		if _, err := s.VerifyEmail(ctx, token, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Authenticate(ctx, "ALICE.martin@example.org", strongPassword, "192.0.2.1")
		if err != nil {
			t.Fatalf("login after verification: %v", err)
		}
		if got.ID != u.ID || got.LastLogin == nil || got.FirstLogin == nil {
			t.Errorf("logged-in user %+v: want last and first login set", got)
		}
		want := []string{"signup", "login_failed:email_not_verified", "email_verified", "login"}
		if a := actions(t, d); strings.Join(a, " ") != strings.Join(want, " ") {
			t.Errorf("audit = %v, want %v", a, want)
		}
	})
}

func TestSignUp_RefusesATakenEmailWhateverItsCaseAndSendsNoMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.SignUpJobSeekerWith(ctx, signUpInput("ALICE@example.org"), "", nil)
		if fault.FieldsOf(err).On("email") != msgEmailTaken {
			t.Fatalf("second signup: %v, want the e-mail taken field error", err)
		}
		if n := len(outbox(t, d)); n != 1 {
			t.Errorf("%d mails, want 1", n)
		}
	})
}

// Security probe of issue 8: the signup forms answered 30 "is this e-mail taken?" in 3 seconds.
func TestSignUp_ThrottlesTheChecksOfAnEmailAndOfAClientAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "192.0.2.1", nil); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < s.maxAttempts; i++ {
			if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "192.0.2.2", nil); fault.FieldsOf(err).On("email") != msgEmailTaken {
				t.Fatalf("check %d: %v, want the taken e-mail", i+1, err)
			}
		}
		_, err := s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "198.51.100.7", nil)
		var te *ThrottledError
		if !errors.As(err, &te) || !te.Signup {
			t.Fatalf("check %d of one e-mail: %v, want a throttled signup", s.maxAttempts+1, err)
		}
		// One address probing many e-mails.
		limit := IPThrottleFactor * s.maxAttempts
		for i := range limit {
			email := "sonde" + string(rune('a'+i)) + "@example.org"
			if _, err := s.SignUpJobSeekerWith(ctx, signUpInput(email), "203.0.113.9", nil); err != nil {
				t.Fatalf("signup %d from one address: %v", i+1, err)
			}
		}
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("bob@example.org"), "203.0.113.9", nil); !errors.Is(err, ErrThrottled) {
			t.Fatalf("signup %d from one address: %v, want throttled", limit+1, err)
		}
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("bob@example.org"), "198.51.100.8", nil); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		// Signups do not count as failed logins of the address.
		if _, err := s.Authenticate(ctx, "sondea@example.org", strongPassword, "203.0.113.9"); errors.Is(err, ErrThrottled) {
			t.Errorf("login from the address that signed up: %v", err)
		}
		clock.Advance(s.window)
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("carol@example.org"), "203.0.113.9", nil); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestSignUp_WritesNeitherAccountNorMailWhenTheTransactionFails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		// The audit event is written last, after the mail: without its table the transaction fails
		// after the mail was enqueued.
		if _, err := d.ExecContext(ctx, "DROP TABLE audit_event"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil); err == nil {
			t.Fatal("signup succeeded without an audit table")
		}
		if n := len(outbox(t, d)); n != 0 {
			t.Errorf("%d mails left by a failed signup", n)
		}
		if _, err := s.ByEmail(ctx, "alice@example.org"); !errors.Is(err, ErrNotFound) {
			t.Errorf("account left by a failed signup: %v", err)
		}
	})
}

func TestAuthenticate_GivesTheSameErrorForAWrongPasswordAndAnUnknownEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		_, wrong := s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", "192.0.2.1")
		_, unknown := s.Authenticate(ctx, "nobody@example.org", strongPassword, "192.0.2.1")
		if !errors.Is(wrong, ErrInvalidCredentials) || !errors.Is(unknown, ErrInvalidCredentials) {
			t.Fatalf("wrong password: %v; unknown e-mail: %v", wrong, unknown)
		}
		a := actions(t, d)
		if tail := strings.Join(a[len(a)-2:], " "); tail != "login_failed:wrong_password login_failed:unknown_email" {
			t.Errorf("audit tail = %s", tail)
		}
		var events []audit.Event
		d.NewSelect().Model(&events).Where("action = ?", ActionLoginFailed).OrderExpr("id").Scan(ctx)
		if events[0].ActorUserID == nil || events[1].ActorUserID != nil {
			t.Errorf("a wrong password is audited on the account, an unknown e-mail on none: %+v", events)
		}
		if strings.Contains(events[1].Details, "nobody") {
			t.Errorf("the audit trail keeps the unknown e-mail: %s", events[1].Details)
		}
	})
}

func TestAuthenticate_ThrottlesAnAccountForTheAddressesThatFailedUntilTheWindowPasses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		// Failures from different addresses: the account limit, not the address one, applies.
		for i := range s.maxAttempts {
			clock.Advance(time.Minute)
			ip := "192.0.2." + string(rune('1'+i))
			if _, err := s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", ip); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		_, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1")
		var te *ThrottledError
		if !errors.As(err, &te) {
			t.Fatalf("right password after %d failures, from an address that failed: %v, want throttled", s.maxAttempts, err)
		}
		// The first failure was 5 minutes ago; it leaves the 15-minute window in 10 minutes.
		if te.RetryAfter != s.window-time.Duration(s.maxAttempts-1)*time.Minute {
			t.Errorf("retry after %v", te.RetryAfter)
		}
		clock.Advance(te.RetryAfter - time.Second)
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1"); !errors.Is(err, ErrThrottled) {
			t.Fatalf("one second early: %v, want throttled", err)
		}
		clock.Advance(time.Second)
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1"); err != nil {
			t.Fatalf("once the oldest failure left the window: %v", err)
		}
		if a := actions(t, d); !strings.Contains(strings.Join(a, " "), "login_failed:throttled") {
			t.Errorf("throttled attempts are not audited: %v", a)
		}
	})
}

// Security probe of issue 8: five wrong passwords typed by anyone locked the owner out for 15
// minutes.
func TestAuthenticate_RightPasswordFromAnAddressWithoutFailuresGoesThroughALockedAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		for range s.maxAttempts + 3 {
			s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", "203.0.113.66")
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "203.0.113.66"); !errors.Is(err, ErrThrottled) {
			t.Fatalf("the attacker's address with the right password: %v, want throttled", err)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "198.51.100.7"); err != nil {
			t.Fatalf("the owner, from an address without failures: %v, want logged in", err)
		}
	})
}

func TestAuthenticate_ThrottlesAClientAddressAcrossAccounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		limit := IPThrottleFactor * s.maxAttempts
		for i := range limit {
			email := "someone" + string(rune('a'+i)) + "@example.org" // one failure per e-mail
			if _, err := s.Authenticate(ctx, email, "Pas-Le-Bon-Mot-De-Passe-1", "203.0.113.9"); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "203.0.113.9"); !errors.Is(err, ErrThrottled) {
			t.Fatalf("from the address that failed %d times: %v, want throttled", limit, err)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "198.51.100.7"); err != nil {
			t.Fatalf("from another address: %v", err)
		}
	})
}

func TestAuthenticate_SuccessForgetsTheAccountFailures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		for range s.maxAttempts - 1 {
			s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", "192.0.2.1")
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		for i := range s.maxAttempts - 1 {
			if _, err := s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", "192.0.2.1"); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("failure %d after a success: %v", i+1, err)
			}
		}
	})
}

func TestAuthenticate_RefusesADeactivatedAccountShowingItsPublicID(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		u := verifiedJobSeeker(t, s, d, "alice@example.org")
		deactivated, err := s.Deactivate(ctx, "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if deactivated.SessionVersion != u.SessionVersion+1 {
			t.Errorf("deactivation does not end open sessions")
		}
		_, err = s.Authenticate(ctx, "alice@example.org", strongPassword, "")
		if !errors.Is(err, ErrInactive) || !strings.Contains(err.Error(), u.PublicID) {
			t.Fatalf("login of a deactivated account: %v", err)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", "Pas-Le-Bon-Mot-De-Passe-1", ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("a wrong password on a deactivated account must not tell it is deactivated: %v", err)
		}
	})
}

func TestAuthenticate_NamesTheProviderOfAnSSOAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		u := &User{PublicID: "7a1c1d7e-0000-4000-8000-000000000001", Email: "bob@example.org", Kind: JobSeeker,
			IdentityProvider: FranceConnect, IsActive: true, DateJoined: s.now()}
		if err := insertUser(ctx, d, u, msgEmailExists); err != nil {
			t.Fatal(err)
		}
		_, err := s.Authenticate(ctx, "bob@example.org", strongPassword, "")
		var pe *ProviderError
		if !errors.As(err, &pe) || pe.Error() != "Votre compte utilise FranceConnect : connectez-vous avec FranceConnect." {
			t.Fatalf("password login on a FranceConnect account: %v", err)
		}
	})
}

func TestUsersTable_EnforcesKindProviderAndLowercaseEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		tests := []struct {
			name string
			user User
		}{
			{"ProConnect for a job seeker", User{Email: "a@example.org", Kind: JobSeeker, IdentityProvider: ProConnect}},
			{"FranceConnect for a professional", User{Email: "b@example.org", Kind: Professional, IdentityProvider: FranceConnect}},
			{"an unknown kind", User{Email: "c@example.org", Kind: "employer", IdentityProvider: Django}},
			{"an uppercase e-mail", User{Email: "D@example.org", Kind: JobSeeker, IdentityProvider: Django}},
			{"an unknown civilité", User{Email: "e@example.org", Kind: JobSeeker, IdentityProvider: Django, Title: "DR"}},
		}
		for i, tt := range tests {
			u := tt.user
			u.PublicID, u.DateJoined, u.IsActive = "00000000-0000-4000-8000-00000000000"+string(rune('0'+i)), s.now(), true
			if _, err := d.NewInsert().Model(&u).Exec(ctx); err == nil {
				t.Errorf("%s: stored", tt.name)
			}
		}
		ok := User{PublicID: "00000000-0000-4000-8000-0000000000ff", Email: "f@example.org", Kind: Professional,
			IdentityProvider: ProConnect, IsActive: true, DateJoined: s.now()}
		if _, err := d.NewInsert().Model(&ok).Exec(ctx); err != nil {
			t.Errorf("ProConnect professional refused: %v", err)
		}
	})
}

func TestRequestPasswordReset_AnswersTheSameAndMailsOnlyExistingPasswordAccounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		before := len(outbox(t, d))
		if err := s.RequestPasswordReset(ctx, "nobody@example.org", "192.0.2.1"); err != nil {
			t.Fatalf("unknown e-mail: %v", err)
		}
		if n := len(outbox(t, d)); n != before {
			t.Fatalf("a mail was sent for an unknown e-mail")
		}
		if err := s.RequestPasswordReset(ctx, "Alice@Example.org", "192.0.2.1"); err != nil {
			t.Fatalf("known e-mail: %v", err)
		}
		mails := outbox(t, d)
		if len(mails) != before+1 || mails[len(mails)-1].Subject != "Réinitialisation de votre mot de passe" {
			t.Fatalf("no reset mail for a known e-mail: %+v", mails)
		}
		if err := s.RequestPasswordReset(ctx, "pas une adresse", ""); fault.FieldsOf(err).On("email") != msgEmailInvalid {
			t.Errorf("malformed e-mail: %v", err)
		}
	})
}

func TestResetPassword_LinkWorksOnceAndRetiresTheOtherLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		u := verifiedJobSeeker(t, s, d, "alice@example.org")
		s.RequestPasswordReset(ctx, "alice@example.org", "")
		first := lastToken(t, d, "alice@example.org", "/accounts/password/reset/")
		clock.Advance(ResendCooldown)
		s.RequestPasswordReset(ctx, "alice@example.org", "")
		second := lastToken(t, d, "alice@example.org", "/accounts/password/reset/")
		if first == second {
			t.Fatal("two requests gave the same link")
		}
		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		_, err := s.ResetPassword(ctx, second, newPassword, "Chat-Bleu-Sur-Le-Toit-2027", "")
		if fault.FieldsOf(err).On("password2") != msgPasswordMismatch {
			t.Fatalf("mismatched confirmation: %v", err)
		}
		if err := s.CheckResetToken(ctx, second); err != nil {
			t.Fatalf("a refused form used up the link: %v", err)
		}
		got, err := s.ResetPassword(ctx, second, newPassword, newPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.SessionVersion != u.SessionVersion+1 {
			t.Error("a reset does not end open sessions")
		}
		for name, tok := range map[string]string{"the used link": second, "the older link": first, "a made-up link": "x"} {
			if _, err := s.ResetPassword(ctx, tok, newPassword, newPassword, ""); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("%s: %v, want ErrInvalidToken", name, err)
			}
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("old password still works: %v", err)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", newPassword, ""); err != nil {
			t.Errorf("new password: %v", err)
		}
		if a := actions(t, d); !strings.Contains(strings.Join(a, " "), "password_changed") {
			t.Errorf("no password_changed audit event: %v", a)
		}
	})
}

func TestResetPassword_LinkExpiresAfterOneDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		verifiedJobSeeker(t, s, d, "alice@example.org")
		s.RequestPasswordReset(ctx, "alice@example.org", "")
		token := lastToken(t, d, "alice@example.org", "/accounts/password/reset/")
		clock.Advance(ResetTokenTTL - time.Second)
		if err := s.CheckResetToken(ctx, token); err != nil {
			t.Fatalf("one second before expiry: %v", err)
		}
		clock.Advance(time.Second)
		if _, err := s.ResetPassword(ctx, token, "Chat-Bleu-Sur-Le-Toit-2026", "Chat-Bleu-Sur-Le-Toit-2026", ""); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("at expiry: %v, want ErrInvalidToken", err)
		}
	})
}

func TestResetPassword_VerifiesTheEmailOfAnUnverifiedAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil)
		s.RequestPasswordReset(ctx, "alice@example.org", "")
		token := lastToken(t, d, "alice@example.org", "/accounts/password/reset/")
		u, err := s.ResetPassword(ctx, token, "Chat-Bleu-Sur-Le-Toit-2026", "Chat-Bleu-Sur-Le-Toit-2026", "")
		if err != nil || !u.EmailVerified() {
			t.Fatalf("reset of an unverified account: %v, verified %v", err, u != nil && u.EmailVerified())
		}
	})
}

func TestVerifyEmail_LinkExpiresAfterThreeDaysAndANewOneCanBeSent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil)
		old := lastToken(t, d, "alice@example.org", "/accounts/verify/")
		clock.Advance(VerificationTokenTTL)
		if _, err := s.VerifyEmail(ctx, old, ""); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("expired link: %v, want ErrInvalidToken", err)
		}
		if err := s.ResendVerification(ctx, "ALICE@example.org", ""); err != nil {
			t.Fatal(err)
		}
		fresh := lastToken(t, d, "alice@example.org", "/accounts/verify/")
		if fresh == old {
			t.Fatal("no new link sent")
		}
		if _, err := s.VerifyEmail(ctx, fresh, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyEmail(ctx, fresh, ""); err != nil {
			t.Errorf("opening the link again once verified: %v", err)
		}
		before := len(outbox(t, d))
		clock.Advance(ResendCooldown)
		s.ResendVerification(ctx, "alice@example.org", "")
		s.ResendVerification(ctx, "nobody@example.org", "")
		if n := len(outbox(t, d)); n != before {
			t.Errorf("verified or unknown addresses got %d new mails", n-before)
		}
	})
}

func TestResendVerification_WaitsACooldownBetweenMails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil)
		s.ResendVerification(ctx, "alice@example.org", "")
		if n := len(outbox(t, d)); n != 1 {
			t.Fatalf("%d mails right after signup, want 1", n)
		}
		clock.Advance(ResendCooldown)
		s.ResendVerification(ctx, "alice@example.org", "")
		if n := len(outbox(t, d)); n != 2 {
			t.Fatalf("%d mails after the cooldown, want 2", n)
		}
	})
}

func TestChangePassword_NeedsTheCurrentPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		u := verifiedJobSeeker(t, s, d, "alice@example.org")
		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		_, err := s.ChangePassword(ctx, u.Actor(""), "Pas-Le-Bon-Mot-De-Passe-1", newPassword, newPassword)
		if fault.FieldsOf(err).On("old_password") != msgCurrentPassword {
			t.Fatalf("wrong current password: %v", err)
		}
		_, err = s.ChangePassword(ctx, u.Actor(""), strongPassword, "alice@example.org", "alice@example.org")
		if msg := fault.FieldsOf(err).On("password1"); !strings.Contains(msg, "adresse e-mail") {
			t.Fatalf("new password equal to the e-mail: %v", err)
		}
		changed, err := s.ChangePassword(ctx, u.Actor(""), strongPassword, newPassword, newPassword)
		if err != nil {
			t.Fatal(err)
		}
		if changed.SessionVersion != u.SessionVersion+1 {
			t.Error("session version unchanged")
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", newPassword, ""); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func TestCreateStaff_SetPasswordAndDeactivate_AreAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		_, err := s.CreateStaff(ctx, StaffInput{Email: "Camille@Inclusion.example", FirstName: "Camille", LastName: "Durand", Password: "court"})
		if fault.FieldsOf(err).On("password") == "" {
			t.Fatalf("weak staff password: %v", err)
		}
		u, err := s.CreateStaff(ctx, StaffInput{Email: "Camille@Inclusion.example", FirstName: "Camille", LastName: "Durand", Password: strongPassword})
		if err != nil {
			t.Fatal(err)
		}
		if u.Kind != Staff || !u.EmailVerified() || u.Email != "camille@inclusion.example" {
			t.Fatalf("staff %+v", u)
		}
		if _, err := s.Authenticate(ctx, "camille@inclusion.example", strongPassword, ""); err != nil {
			t.Fatalf("staff login: %v", err)
		}
		if _, err := s.SetPassword(ctx, "camille@inclusion.example", "Chat-Bleu-Sur-Le-Toit-2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPassword(ctx, "nobody@inclusion.example", "Chat-Bleu-Sur-Le-Toit-2026"); !errors.Is(err, ErrNotFound) {
			t.Errorf("set password of an unknown e-mail: %v", err)
		}
		if _, err := s.Deactivate(ctx, "camille@inclusion.example"); err != nil {
			t.Fatal(err)
		}
		want := "staff_created login password_changed user_deactivated"
		if a := strings.Join(actions(t, d), " "); a != want {
			t.Errorf("audit = %s, want %s", a, want)
		}
	})
}

func TestSeedDemo_CreatesLoginsThatWorkWithEveryStaffPermissionAndSkipsExistingOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		logins, err := s.SeedDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) != 2 || logins[0].Kind != Staff || logins[1].Kind != JobSeeker {
			t.Fatalf("logins = %+v", logins)
		}
		for _, l := range logins {
			if _, err := s.Authenticate(ctx, l.Email, l.Password, ""); err != nil {
				t.Errorf("demo %s login: %v", l.Kind, err)
			}
		}
		// The demo staff account opens every page of the back office.
		staff, err := s.ByEmail(ctx, logins[0].Email)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Permissions {
			if held, err := s.Holds(ctx, staff.Actor(""), p); err != nil || !held {
				t.Errorf("demo staff holds %s: %v %v", p, held, err)
			}
		}
		again, err := s.SeedDemo(ctx)
		if err != nil || len(again) != 2 {
			t.Fatalf("second seed: %v %+v", err, again)
		}
		n, _ := d.NewSelect().Model((*User)(nil)).Count(ctx)
		if n != 2 {
			t.Errorf("%d users after two seeds, want 2", n)
		}
	})
}

func TestPurgeExpired_DeletesOldFailuresAndLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		s.SignUpJobSeekerWith(ctx, signUpInput("alice@example.org"), "", nil)
		s.Authenticate(ctx, "nobody@example.org", strongPassword, "192.0.2.1")
		if n, err := s.PurgeExpired(ctx); err != nil || n != 0 {
			t.Fatalf("fresh rows purged: %d %v", n, err)
		}
		clock.Advance(VerificationTokenTTL + 7*24*time.Hour)
		if n, err := s.PurgeExpired(ctx); err != nil || n != 3 {
			t.Fatalf("purged %d rows (%v), want the signup attempt, the failure and the link", n, err)
		}
	})
}
