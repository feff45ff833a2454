-- +goose Up
-- Fiches de poste (actors.md §4.6). uid is the random identifier of the public card; id never
-- leaves the server. location_code is the commune of the position, NULL for the company's own.
-- last_employer_update_at moves when an employer saves, reopens or refreshes ("Actualiser") the
-- fiche: the daily job closes internal fiches (source_kind NULL) not refreshed for 90 days.
-- source_kind/source_id/source_url are for offers imported from France Travail later.
CREATE TABLE job_description (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    company_id BIGINT NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    appellation_code TEXT NOT NULL REFERENCES rome_appellation (code),
    custom_name TEXT NOT NULL DEFAULT '' CHECK (length(custom_name) <= 255),
    description TEXT NOT NULL DEFAULT '',
    profile_description TEXT NOT NULL DEFAULT '',
    contract_type TEXT NOT NULL CHECK (contract_type IN ('PERMANENT', 'PERMANENT_I', 'FIXED_TERM', 'FIXED_TERM_USAGE',
        'FIXED_TERM_I', 'FIXED_TERM_I_PHC', 'FIXED_TERM_I_CVG', 'FIXED_TERM_TREMPLIN', 'APPRENTICESHIP',
        'PROFESSIONAL_TRAINING', 'TEMPORARY', 'BUSINESS_CREATION', 'OTHER')),
    other_contract_type TEXT NOT NULL DEFAULT '' CHECK (length(other_contract_type) <= 255),
    location_code TEXT REFERENCES commune (insee_code) ON DELETE SET NULL,
    hours_per_week INTEGER CHECK (hours_per_week BETWEEN 1 AND 48),
    open_positions INTEGER NOT NULL DEFAULT 1 CHECK (open_positions BETWEEN 1 AND 32767),
    is_resume_mandatory BOOLEAN NOT NULL DEFAULT FALSE,
    is_qpv_mandatory BOOLEAN NOT NULL DEFAULT FALSE,
    market_context_description TEXT NOT NULL DEFAULT '',
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    ui_rank INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_employer_update_at TIMESTAMP NOT NULL,
    creation_source TEXT NOT NULL DEFAULT 'MANUALLY' CHECK (creation_source IN ('MANUALLY', 'HIRING')),
    source_kind TEXT CHECK (source_kind IN ('PE_API')),
    source_id TEXT,
    source_url TEXT NOT NULL DEFAULT '',
    CONSTRAINT job_description_other_contract CHECK (contract_type <> 'OTHER' OR other_contract_type <> ''),
    CONSTRAINT job_description_source_both CHECK ((source_kind IS NULL) = (source_id IS NULL))
);
-- A company's list (and the "is hiring" test of the employer search).
CREATE INDEX job_description_company_idx ON job_description (company_id, is_active);
-- Recently updated open fiches (the job description search tab).
CREATE INDEX job_description_active_updated_idx ON job_description (is_active, updated_at);
-- The search filters by ROME domain through the appellation.
CREATE INDEX job_description_appellation_idx ON job_description (appellation_code);
CREATE INDEX job_description_location_idx ON job_description (location_code) WHERE location_code IS NOT NULL;
-- The daily closing job: open internal fiches refreshed before its cutoff.
CREATE INDEX job_description_stale_idx ON job_description (last_employer_update_at) WHERE is_active AND source_kind IS NULL;
CREATE UNIQUE INDEX job_description_source_key ON job_description (source_kind, source_id) WHERE source_kind IS NOT NULL;

-- History of openings and closings (les-emplois keeps it as the field history of is_active).
CREATE TABLE job_description_status_change (
    id INTEGER PRIMARY KEY,
    job_description_id BIGINT NOT NULL REFERENCES job_description (id) ON DELETE CASCADE,
    is_active BOOLEAN NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reason TEXT NOT NULL CHECK (reason IN ('created', 'employer', 'auto_close'))
);
CREATE INDEX job_description_status_change_jd_idx ON job_description_status_change (job_description_id, changed_at);

-- The daily job also closes spontaneous applications open for 90 days without refresh.
CREATE INDEX company_spontaneous_open_idx ON company (spontaneous_applications_open_since)
    WHERE spontaneous_applications_open_since IS NOT NULL;

-- +goose Down
DROP INDEX company_spontaneous_open_idx;
DROP TABLE job_description_status_change;
DROP TABLE job_description;
