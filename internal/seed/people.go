package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"emplois/internal/account"
)

// person draws the identity of a user: civilité, names and an e-mail unique thanks to the tag
// and n.
func person(r *rand.Rand, kind account.Kind, tag string, n int, now time.Time) *account.User {
	first, last := pick(r, firstNames), pick(r, lastNames)
	u := &account.User{
		PublicID:  newUUID(r),
		Email:     fmt.Sprintf("%s.%s.%s%d@%s", ascii(first), ascii(last), tag, n, Domain),
		Kind:      kind,
		Title:     pick(r, []account.Title{account.Monsieur, account.Madame}),
		FirstName: first,
		LastName:  last,
		IsActive:  true,
	}
	u.DateJoined = daysBefore(r, now, 1, 1800)
	verified := u.DateJoined.Add(time.Duration(r.IntN(3600)) * time.Second)
	u.EmailVerifiedAt = &verified
	if chance(r, 0.75) {
		last := between(r, u.DateJoined, now)
		u.LastLogin, u.FirstLogin = &last, &verified
	}
	return u
}

// professional draws a professional who logs in with ProConnect (no password).
func professional(r *rand.Rand, n int, now time.Time) *account.User {
	u := person(r, account.Professional, "p", n, now)
	u.IdentityProvider = account.ProConnect
	u.Username = newUUID(r)
	u.Phone = phone(r)
	return u
}

// jobSeeker draws a job seeker: most log in with e-mail and password, the others with
// FranceConnect or France Travail Connect. Nobody has a usable password (password_hash ”):
// hashing 700,000 passwords would take hours, and nobody needs to log in as them.
func jobSeeker(r *rand.Rand, n int, now time.Time) *account.User {
	u := person(r, account.JobSeeker, "c", n, now)
	switch x := r.Float64(); {
	case x < 0.30:
		u.IdentityProvider = account.FranceConnect
		u.Username = newUUID(r)
	case x < 0.35:
		u.IdentityProvider = account.FranceTravailConnect
		u.Username = newUUID(r)
	default:
		u.IdentityProvider = account.Django
		if !chance(r, 0.9) {
			u.EmailVerifiedAt = nil
			u.LastLogin, u.FirstLogin = nil, nil
		}
	}
	if chance(r, 0.6) {
		u.Phone = phone(r)
	}
	return u
}
