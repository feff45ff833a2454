package jobseeker

import (
	"context"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
)

// FranceConnectClaims is who FranceConnect says logged in, with the birth data it certifies
// (actors.md §11): birthdate YYYY-MM-DD, birthplace the INSEE code of the commune (born in
// France), birthcountry the INSEE code of the country (99100 for France).
type FranceConnectClaims struct {
	account.FranceConnectIdentity
	Birthdate    string
	BirthPlace   string
	BirthCountry string
}

// PendingSignup is what the identity step of a self-signup typed that FranceConnect does not
// give: the NIR, or the reason for having none, applied after the login (actors.md §10.1-5).
type PendingSignup struct {
	NIR             string
	LackOfNIRReason LackOfNIRReason
}

// MsgSignupNIRNotApplied tells a job seeker back from FranceConnect that the NIR typed at the
// signup was not kept.
const MsgSignupNIRNotApplied = "Le numéro de sécurité sociale saisi lors de votre inscription n'a pas été enregistré : il ne correspond pas à l'identité transmise par FranceConnect ou il est déjà associé à un autre compte. Vérifiez-le sur votre profil."

// birthFromFranceConnect is the birth data of the claims that hold (a date that makes the
// person 16 to 99 years old, a known country, a known commune for France), with the profile
// fields they fill.
func (s *Service) birthFromFranceConnect(ctx context.Context, c FranceConnectClaims) (Identity, []string, error) {
	var id Identity
	var fields []string
	if d, ok := ParseDate(strings.TrimSpace(c.Birthdate)); ok && BirthdateProblem(d, s.today()) == "" {
		id.Birthdate = &d
		fields = append(fields, "birthdate")
	}
	country, place := strings.TrimSpace(c.BirthCountry), strings.TrimSpace(c.BirthPlace)
	switch {
	case country == France:
		if _, err := s.geo.Commune(ctx, place); err == nil {
			id.BirthCountryCode, id.BirthPlaceCode = &country, &place
			fields = append(fields, "birth_country", "birth_place")
		} else if !errors.Is(err, geo.ErrNotFound) {
			return id, nil, err
		}
	case CountryName(country) != "":
		id.BirthCountryCode = &country
		fields = append(fields, "birth_country", "birth_place")
	}
	return id, fields, nil
}

// LoginWithFranceConnect logs a job seeker in with FranceConnect, creating or linking the
// account (account.Service.LoginWithFranceConnect), and writes in the same transaction the
// birth data FranceConnect certifies into the profile, recorded as its fields (read-only for
// the person: LockedFields). The NIR of a signup's identity step is applied when the profile
// has none, it is consistent with the civilité and birth date and nobody holds it; otherwise
// the login goes on with a Warning.
func (s *Service) LoginWithFranceConnect(ctx context.Context, c FranceConnectClaims, pending PendingSignup, clientIP string) (*account.SSOLogin, error) {
	birth, fields, err := s.birthFromFranceConnect(ctx, c)
	if err != nil {
		return nil, err
	}
	var warning string
	now := s.now()
	out, err := s.accounts.LoginWithFranceConnect(ctx, c.FranceConnectIdentity, clientIP, func(ctx context.Context, tx bun.Tx, u *account.User, _ bool) error {
		p, err := profileOf(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if birth.Birthdate != nil {
			p.Birthdate = birth.Birthdate
		}
		if birth.BirthCountryCode != nil {
			p.BirthCountryCode, p.BirthPlaceCode = birth.BirthCountryCode, birth.BirthPlaceCode
		}
		if p.NIR == nil {
			if warning, err = applyPendingNIR(ctx, tx, u, &p, pending); err != nil {
				return err
			}
		}
		if err := saveProfile(ctx, tx, &p, s.key, now); err != nil {
			return err
		}
		u.RecordFieldSources(account.FranceConnect, now, fields...)
		return account.UpdateColumns(ctx, tx, u, "external_data_source_history")
	})
	if err != nil {
		return nil, err
	}
	if warning != "" {
		out.Warning = strings.TrimSpace(out.Warning + " " + warning)
	}
	return out, nil
}

// applyPendingNIR puts the signup's NIR (or reason) into a profile without one, when it is
// valid (actors.md §2.4), consistent with the civilité and birth date, and nobody holds it; it
// returns the warning to show when it was not kept.
func applyPendingNIR(ctx context.Context, tx bun.IDB, u *account.User, p *Profile, pending PendingSignup) (string, error) {
	nir := NormalizeNIR(pending.NIR)
	if nir == "" {
		if pending.LackOfNIRReason != "" && pending.LackOfNIRReason.Valid() {
			p.LackOfNIRReason = pending.LackOfNIRReason
		}
		return "", nil
	}
	if NIRProblem(nir) != "" {
		return MsgSignupNIRNotApplied, nil
	}
	if field, _ := NIRConsistency(nir, u.Title, p.Birthdate); field != "" {
		return MsgSignupNIRNotApplied, nil
	}
	holder, err := holderOfNIR(ctx, tx, nir, u.ID)
	if err != nil {
		return "", err
	}
	if holder != nil {
		return MsgSignupNIRNotApplied, nil
	}
	p.NIR, p.LackOfNIRReason = &nir, ""
	return "", nil
}
