-- +goose Up
-- Job seekers (actors.md §2.1–2.3). The address is on users, as upstream, because a professional
-- has one too; what only a job seeker has is in job_seeker_profile, one row per job seeker account,
-- owned by internal/jobseeker (a missing row reads as an empty profile).
ALTER TABLE users ADD COLUMN address_line_1 TEXT NOT NULL DEFAULT '' CHECK (length(address_line_1) <= 255);
ALTER TABLE users ADD COLUMN address_line_2 TEXT NOT NULL DEFAULT '' CHECK (length(address_line_2) <= 255);
ALTER TABLE users ADD COLUMN post_code TEXT NOT NULL DEFAULT '' CHECK (post_code = '' OR length(post_code) = 5);
ALTER TABLE users ADD COLUMN city TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 255);
-- Derived from the post code on every save (actors.md §2.1): '75', '2A', '971'.
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN insee_code TEXT REFERENCES commune (insee_code) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE users ADD COLUMN longitude DOUBLE PRECISION;
-- Last time someone (the person or a professional) confirmed the profile.
ALTER TABLE users ADD COLUMN last_checked_at TIMESTAMP;
CREATE INDEX users_job_seeker_name_idx ON users (lower(last_name), lower(first_name)) WHERE kind = 'job_seeker';

CREATE TABLE job_seeker_profile (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    birthdate DATE,
    -- INSEE codes: the birth commune, and the country (99100 is France). A commune is required
    -- iff the person was born in France (actors.md §2.2).
    birth_place_code TEXT,
    birth_country_code TEXT,
    -- NULL when unknown: UNIQUE then holds only among the known ones (unique_nir_if_not_empty).
    nir TEXT UNIQUE CHECK (nir IS NULL OR length(nir) = 15),
    lack_of_nir_reason TEXT NOT NULL DEFAULT '' CHECK (lack_of_nir_reason IN ('', 'NO_NIR', 'NIR_ASSOCIATED_TO_OTHER')),
    pole_emploi_id TEXT NOT NULL DEFAULT '' CHECK (length(pole_emploi_id) <= 11),
    lack_of_pole_emploi_id_reason TEXT NOT NULL DEFAULT '' CHECK (lack_of_pole_emploi_id_reason IN ('', 'FORGOTTEN', 'NOT_REGISTERED')),
    asp_uid TEXT NOT NULL UNIQUE CHECK (length(asp_uid) = 30),
    education_level TEXT NOT NULL DEFAULT '' CHECK (education_level IN ('', '00', '01', '10', '20', '30', '40', '41', '50', '51', '60', '70')),
    resourceless BOOLEAN NOT NULL DEFAULT FALSE,
    rqth_employee BOOLEAN NOT NULL DEFAULT FALSE,
    oeth_employee BOOLEAN NOT NULL DEFAULT FALSE,
    pole_emploi_since TEXT NOT NULL DEFAULT '' CHECK (pole_emploi_since IN ('', '01', '02', '03', '04')),
    unemployed_since TEXT NOT NULL DEFAULT '' CHECK (unemployed_since IN ('', '01', '02', '03', '04')),
    has_rsa_allocation TEXT NOT NULL DEFAULT 'NON' CHECK (has_rsa_allocation IN ('NON', 'OUI-M', 'OUI-NM')),
    rsa_allocation_since TEXT NOT NULL DEFAULT '' CHECK (rsa_allocation_since IN ('', '01', '02', '03', '04')),
    ass_allocation_since TEXT NOT NULL DEFAULT '' CHECK (ass_allocation_since IN ('', '01', '02', '03', '04')),
    aah_allocation_since TEXT NOT NULL DEFAULT '' CHECK (aah_allocation_since IN ('', '01', '02', '03', '04')),
    are_allocation_since TEXT NOT NULL DEFAULT '' CHECK (are_allocation_since IN ('', '01', '02', '03', '04')),
    activity_bonus_since TEXT NOT NULL DEFAULT '' CHECK (activity_bonus_since IN ('', '01', '02', '03', '04')),
    ase_exit BOOLEAN NOT NULL DEFAULT FALSE,
    isolated_parent BOOLEAN NOT NULL DEFAULT FALSE,
    housing_issue BOOLEAN NOT NULL DEFAULT FALSE,
    refugee BOOLEAN NOT NULL DEFAULT FALSE,
    detention_exit_or_ppsmj BOOLEAN NOT NULL DEFAULT FALSE,
    low_level_in_french BOOLEAN NOT NULL DEFAULT FALSE,
    mobility_issue BOOLEAN NOT NULL DEFAULT FALSE,
    created_by_prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    -- "Candidat sans solution" overridden by an authorized prescriber (actors.md §2.2).
    is_not_stalled_anymore BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT job_seeker_profile_nir_or_reason CHECK (nir IS NULL OR lack_of_nir_reason = ''),
    CONSTRAINT job_seeker_profile_birth_place CHECK (
        (birth_place_code IS NULL AND (birth_country_code IS NULL OR birth_country_code <> '99100'))
        OR (birth_place_code IS NOT NULL AND birth_country_code = '99100')),
    CONSTRAINT job_seeker_profile_rsa CHECK ((has_rsa_allocation = 'NON') = (rsa_allocation_since = ''))
);
CREATE INDEX job_seeker_profile_birthdate_idx ON job_seeker_profile (birthdate);
CREATE INDEX job_seeker_profile_created_by_org_idx ON job_seeker_profile (created_by_prescriber_organization_id)
    WHERE created_by_prescriber_organization_id IS NOT NULL;

-- "Affectation candidat" (actors.md §2.3): which professional, for which organization, follows a
-- job seeker; upserted at every action and read by "Mes candidats". The organization is a
-- prescriber organization or a company or neither; the unique index treats NULLs as equal.
CREATE TABLE job_seeker_assignment (
    id INTEGER PRIMARY KEY,
    job_seeker_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    professional_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE CASCADE,
    company_id BIGINT REFERENCES company (id) ON DELETE CASCADE,
    last_action_kind TEXT NOT NULL CHECK (last_action_kind IN ('CREATE', 'APPLY', 'HIRE', 'ACCEPT', 'IAE_ELIGIBILITY',
        'GEIQ_ELIGIBILITY', 'SELF_ASSIGN')),
    assigned_to_unknown_advisor BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT job_seeker_assignment_one_org CHECK (prescriber_organization_id IS NULL OR company_id IS NULL)
);
CREATE UNIQUE INDEX job_seeker_assignment_key ON job_seeker_assignment
    (job_seeker_id, professional_id, COALESCE(prescriber_organization_id, 0), COALESCE(company_id, 0));
CREATE INDEX job_seeker_assignment_professional_idx ON job_seeker_assignment (professional_id, updated_at);
CREATE INDEX job_seeker_assignment_prescriber_idx ON job_seeker_assignment (prescriber_organization_id, updated_at)
    WHERE prescriber_organization_id IS NOT NULL;
CREATE INDEX job_seeker_assignment_company_idx ON job_seeker_assignment (company_id, updated_at)
    WHERE company_id IS NOT NULL;

-- +goose Down
DROP TABLE job_seeker_assignment;
DROP TABLE job_seeker_profile;
DROP INDEX users_job_seeker_name_idx;
ALTER TABLE users DROP COLUMN last_checked_at;
ALTER TABLE users DROP COLUMN longitude;
ALTER TABLE users DROP COLUMN latitude;
ALTER TABLE users DROP COLUMN insee_code;
ALTER TABLE users DROP COLUMN department;
ALTER TABLE users DROP COLUMN city;
ALTER TABLE users DROP COLUMN post_code;
ALTER TABLE users DROP COLUMN address_line_2;
ALTER TABLE users DROP COLUMN address_line_1;
