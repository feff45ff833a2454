-- +goose Up
-- France Travail's identifier of a job seeker, from « rechercher individu certifié » (asp.md §6.3):
-- the PASS IAE notification sends it, and the search is skipped while it is known.
ALTER TABLE job_seeker_profile ADD COLUMN pe_obfuscated_nir TEXT;
ALTER TABLE job_seeker_profile ADD COLUMN pe_last_certification_attempt_at TIMESTAMP;

-- A new NIR, birth date or name makes France Travail's answers about the person stale
-- (actors.md §2.2): its identifier and its identity certifications go, whatever the code path.
-- +goose StatementBegin
CREATE TRIGGER job_seeker_profile_ft_identity_stale AFTER UPDATE OF nir, birthdate ON job_seeker_profile
WHEN OLD.nir IS NOT NEW.nir OR OLD.birthdate IS NOT NEW.birthdate
BEGIN
    UPDATE job_seeker_profile SET pe_obfuscated_nir = NULL, pe_last_certification_attempt_at = NULL WHERE user_id = NEW.user_id;
    DELETE FROM identity_certification WHERE job_seeker_id = NEW.user_id
        AND certifier IN ('API_FT_RECHERCHE_INDIVIDU_CERTIFIE', 'API_FT_RECHERCHER_USAGER');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_ft_identity_stale AFTER UPDATE OF first_name, last_name ON users
WHEN NEW.kind = 'job_seeker' AND (OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name)
BEGIN
    UPDATE job_seeker_profile SET pe_obfuscated_nir = NULL, pe_last_certification_attempt_at = NULL WHERE user_id = NEW.id;
    DELETE FROM identity_certification WHERE job_seeker_id = NEW.id
        AND certifier IN ('API_FT_RECHERCHE_INDIVIDU_CERTIFIE', 'API_FT_RECHERCHER_USAGER');
END;
-- +goose StatementEnd

-- The batch reads the PASS to notify by status, newest start first (asp.md §6.6).
CREATE INDEX cancelled_approval_pe_notification_idx ON cancelled_approval (pe_notification_status, start_at);

-- +goose Down
DROP INDEX cancelled_approval_pe_notification_idx;
DROP TRIGGER users_ft_identity_stale;
DROP TRIGGER job_seeker_profile_ft_identity_stale;
ALTER TABLE job_seeker_profile DROP COLUMN pe_last_certification_attempt_at;
ALTER TABLE job_seeker_profile DROP COLUMN pe_obfuscated_nir;
