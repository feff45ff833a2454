-- +goose Up
-- The State services that certified a job seeker's identity (actors.md §2.2 IdentityCertification,
-- approvals.md §2.5): one row per certifier, its date moved by each new definitive answer.
-- A certified identity can no longer be edited on the service.
CREATE TABLE identity_certification (
    id INTEGER PRIMARY KEY,
    job_seeker_id BIGINT NOT NULL REFERENCES job_seeker_profile (user_id) ON DELETE CASCADE,
    certifier TEXT NOT NULL CHECK (certifier IN
        ('API_FT_RECHERCHE_INDIVIDU_CERTIFIE', 'API_PARTICULIER', 'API_FT_RECHERCHER_USAGER')),
    certified_at TIMESTAMP NOT NULL,
    CONSTRAINT identity_certification_key UNIQUE (job_seeker_id, certifier)
);

-- The retry of the criteria still waiting for API Particulier (approvals.md §2.5) reads the
-- uncertified rows only.
CREATE INDEX selected_administrative_criteria_uncertified_idx
    ON selected_administrative_criteria (eligibility_diagnosis_id) WHERE certified_at IS NULL;
CREATE INDEX geiq_selected_administrative_criteria_uncertified_idx
    ON geiq_selected_administrative_criteria (eligibility_diagnosis_id) WHERE certified_at IS NULL;

-- +goose Down
DROP INDEX geiq_selected_administrative_criteria_uncertified_idx;
DROP INDEX selected_administrative_criteria_uncertified_idx;
DROP TABLE identity_certification;
