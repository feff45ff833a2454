package jobseeker

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/francetravail"
)

// Certifier is a State service that certified a job seeker's identity (actors.md §2.2
// IdentityCertification). Once one has, the identity fields are locked for everyone.
type Certifier string

const (
	CertifierFTIndividu       Certifier = "API_FT_RECHERCHE_INDIVIDU_CERTIFIE"
	CertifierAPIParticulier   Certifier = "API_PARTICULIER"
	CertifierFTRechercheUsage Certifier = "API_FT_RECHERCHER_USAGER"
)

// RecordCertification notes that c certified the identity of the job seeker at this time (one
// row per certifier, moved to the latest answer).
func RecordCertification(ctx context.Context, idb bun.IDB, jobSeekerID int64, c Certifier, at time.Time) error {
	_, err := idb.NewRaw(`INSERT INTO identity_certification (job_seeker_id, certifier, certified_at) VALUES (?, ?, ?)
		ON CONFLICT (job_seeker_id, certifier) DO UPDATE SET certified_at = excluded.certified_at`,
		jobSeekerID, string(c), at.UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("jobseeker: identity certification of %d: %w", jobSeekerID, err)
	}
	return nil
}

// IdentityCertified reports whether a State service certified the job seeker's identity.
func IdentityCertified(ctx context.Context, idb bun.IDB, jobSeekerID int64) (bool, error) {
	ok, err := idb.NewSelect().Table("identity_certification").Where("job_seeker_id = ?", jobSeekerID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("jobseeker: identity certification of %d: %w", jobSeekerID, err)
	}
	return ok, nil
}

// IdentityCertified reports whether a State service certified the identity of j.
func (s *Service) IdentityCertified(ctx context.Context, j *JobSeeker) (bool, error) {
	return IdentityCertified(ctx, s.db, j.User.ID)
}

// ParticulierIdentity is the identity API Particulier looks the job seeker up by.
func ParticulierIdentity(ctx context.Context, idb bun.IDB, jobSeekerID int64) (apiparticulier.Identity, error) {
	u, p, err := jobSeekerBy(ctx, idb, "id", jobSeekerID)
	if err != nil {
		return apiparticulier.Identity{}, err
	}
	id := apiparticulier.Identity{LastName: u.LastName, FirstNames: u.FirstName, Title: string(u.Title)}
	if p.Birthdate != nil {
		id.Birthdate = *p.Birthdate
	}
	if p.BirthCountryCode != nil {
		id.BirthCountry = *p.BirthCountryCode
	}
	if p.BirthPlaceCode != nil {
		id.BirthCommune = *p.BirthPlaceCode
	}
	return id, nil
}

// FTUserQuery is what France Travail's « rechercher usager » looks the job seeker up by (asp.md
// §7.2): the NIR and birth date, and the France Travail identifier.
func FTUserQuery(ctx context.Context, idb bun.IDB, jobSeekerID int64) (francetravail.UserQuery, error) {
	_, p, err := jobSeekerBy(ctx, idb, "id", jobSeekerID)
	if err != nil {
		return francetravail.UserQuery{}, err
	}
	q := francetravail.UserQuery{Birthdate: p.Birthdate, FTID: p.PoleEmploiID}
	if p.NIR != nil {
		q.NIR = *p.NIR
	}
	return q, nil
}
