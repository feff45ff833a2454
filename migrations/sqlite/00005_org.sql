-- +goose Up
-- Organizations (actors.md §3-6): companies (employers) with their SIAE conventions and financial
-- annexes, prescriber organizations, institutions, and one membership table per family, all three
-- of the same shape so that internal/org handles them with one code path. uid is the random UUID
-- used in URLs and the API; id never leaves the server. Addresses keep the commune's INSEE code as
-- plain text (no FK: an organization outlives a commune merger) and the coordinates on the row, so
-- that a radius search (latitude band, then distance) needs no join.

-- SIAE convention with the ASP (actors.md §4.4). is_active is recomputed from the financial annexes
-- by the ASP sync; deactivated_at starts the 30-day grace period.
CREATE TABLE siae_convention (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ACI', 'AI', 'EI', 'EITI', 'ETTI')),
    siret_signature TEXT NOT NULL CHECK (length(siret_signature) = 14 AND siret_signature NOT GLOB '*[^0-9]*'),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    deactivated_at TIMESTAMP,
    reactivated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reactivated_at TIMESTAMP,
    asp_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT siae_convention_asp_id_kind_key UNIQUE (asp_id, kind)
);

-- Annexe financière (actors.md §4.4): active while state is VALIDE or PROVISOIRE and end_at is
-- after today.
CREATE TABLE siae_financial_annex (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('VALIDE', 'PROVISOIRE', 'HISTORISE', 'ANNULE', 'SAISI', 'BROUILLON', 'CLOTURE', 'REJETE')),
    start_at TIMESTAMP NOT NULL,
    end_at TIMESTAMP NOT NULL,
    convention_id BIGINT NOT NULL REFERENCES siae_convention (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX siae_financial_annex_convention_idx ON siae_financial_annex (convention_id, end_at);

-- Company (actors.md §4.2). EA/EATT exist only as history; RESERVED is the technical holder of
-- external offers. job_app_score NULL means "not computed yet" (ranks first). The (siret, kind)
-- unique index also serves SIREN lookups as a range scan on siret.
CREATE TABLE company (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    siret TEXT NOT NULL CHECK (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*'),
    naf TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('ACI', 'AI', 'EI', 'EITI', 'ETTI', 'GEIQ', 'OPCS', 'EA', 'EATT', 'RESERVED')),
    name TEXT NOT NULL CHECK (name <> '' AND length(name) <= 255),
    brand TEXT NOT NULL DEFAULT '' CHECK (length(brand) <= 255),
    phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 20),
    email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    auth_email TEXT NOT NULL DEFAULT '' CHECK (length(auth_email) <= 254),
    website TEXT NOT NULL DEFAULT '' CHECK (length(website) <= 200),
    description TEXT NOT NULL DEFAULT '',
    provided_support TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('ASP', 'GEIQ', 'EA_EATT', 'USER_CREATED', 'STAFF_CREATED', 'ADMIN_CREATED')),
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    block_job_applications BOOLEAN NOT NULL DEFAULT FALSE,
    job_applications_blocked_at TIMESTAMP,
    spontaneous_applications_open_since TIMESTAMP,
    convention_id BIGINT REFERENCES siae_convention (id) ON DELETE SET NULL,
    job_app_score DOUBLE PRECISION,
    is_searchable BOOLEAN NOT NULL DEFAULT TRUE,
    address_line_1 TEXT NOT NULL DEFAULT '',
    address_line_2 TEXT NOT NULL DEFAULT '',
    post_code TEXT NOT NULL DEFAULT '',
    city_name TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT company_siret_kind_key UNIQUE (siret, kind),
    CONSTRAINT company_coordinates_both CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX company_department_idx ON company (department);
CREATE INDEX company_position_idx ON company (latitude, longitude);
CREATE INDEX company_convention_idx ON company (convention_id);
-- One ASP company per convention; antennas (USER_CREATED) share it.
CREATE UNIQUE INDEX company_asp_convention_key ON company (convention_id) WHERE source = 'ASP' AND convention_id IS NOT NULL;
CREATE INDEX company_created_by_idx ON company (created_by_id) WHERE created_by_id IS NOT NULL;

-- Prescriber organization (actors.md §5.2). SIRET required except for France Travail agencies;
-- the SAFIR code belongs to France Travail agencies only.
CREATE TABLE prescriber_organization (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    siret TEXT CHECK (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*'),
    kind TEXT NOT NULL DEFAULT 'OTHER' CHECK (kind IN (
        'AFPA', 'ASE', 'ORIENTEUR', 'CAARUD', 'CADA', 'CAF', 'CAP_EMPLOI', 'CAVA', 'CCAS', 'CHRS', 'CHU',
        'CIDFF', 'CPH', 'CSAPA', 'E2C', 'EPIDE', 'FT', 'HUDA', 'ML', 'MSA', 'OACAS', 'OIL', 'ODC', 'OHPD',
        'OCASF', 'PENSION', 'PIJ_BIJ', 'PJJ', 'PLIE', 'RS_FJT', 'PREVENTION', 'DEPT', 'SPIP', 'OTHER')),
    name TEXT NOT NULL CHECK (name <> '' AND length(name) <= 255),
    is_brsa BOOLEAN NOT NULL DEFAULT FALSE,
    phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 20),
    email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    website TEXT NOT NULL DEFAULT '' CHECK (length(website) <= 200),
    description TEXT NOT NULL DEFAULT '',
    code_safir TEXT UNIQUE CHECK (length(code_safir) = 5 AND code_safir NOT GLOB '*[^0-9]*'),
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    authorization_status TEXT NOT NULL DEFAULT 'NOT_SET' CHECK (authorization_status IN ('NOT_SET', 'VALIDATED', 'REFUSED', 'NOT_REQUIRED')),
    authorization_updated_at TIMESTAMP,
    authorization_updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    is_gps_authorized BOOLEAN NOT NULL DEFAULT FALSE,
    address_line_1 TEXT NOT NULL DEFAULT '',
    address_line_2 TEXT NOT NULL DEFAULT '',
    post_code TEXT NOT NULL DEFAULT '',
    city_name TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT prescriber_organization_siret_kind_key UNIQUE (siret, kind),
    CONSTRAINT prescriber_organization_coordinates_both CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CONSTRAINT prescriber_organization_siret_required CHECK (siret IS NOT NULL OR kind = 'FT'),
    CONSTRAINT prescriber_organization_safir_ft_only CHECK (code_safir IS NULL OR kind = 'FT'),
    CONSTRAINT prescriber_organization_validated_not_other CHECK (authorization_status <> 'VALIDATED' OR kind <> 'OTHER'),
    CONSTRAINT prescriber_organization_not_required_is_other CHECK (authorization_status <> 'NOT_REQUIRED' OR kind = 'OTHER'),
    CONSTRAINT prescriber_organization_validated_odc_brsa CHECK (NOT (authorization_status = 'VALIDATED' AND kind = 'ODC') OR is_brsa)
);
CREATE INDEX prescriber_organization_department_idx ON prescriber_organization (department);
CREATE INDEX prescriber_organization_position_idx ON prescriber_organization (latitude, longitude);
CREATE INDEX prescriber_organization_authorization_idx ON prescriber_organization (authorization_status);

-- Institution (actors.md §6): tied to a department (DDETS), a region (DREETS, DRIHL) or national.
CREATE TABLE institution (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('DDETS_GEIQ', 'DDETS_IAE', 'DDETS_LOG', 'DREETS_GEIQ', 'DREETS_IAE', 'DRIHL',
        'DGEFP_GEIQ', 'DGEFP_IAE', 'DIHAL', 'RESEAU_IAE', 'CONVERGENCE', 'FFGEIQ', 'OTHER')),
    name TEXT NOT NULL CHECK (name <> '' AND length(name) <= 255),
    department TEXT,
    region TEXT,
    address_line_1 TEXT NOT NULL DEFAULT '',
    address_line_2 TEXT NOT NULL DEFAULT '',
    post_code TEXT NOT NULL DEFAULT '',
    city_name TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT institution_department_level CHECK (kind NOT IN ('DDETS_GEIQ', 'DDETS_IAE', 'DDETS_LOG') OR department IS NOT NULL),
    CONSTRAINT institution_region_level CHECK (kind NOT IN ('DREETS_GEIQ', 'DREETS_IAE', 'DRIHL') OR region IS NOT NULL)
);
-- One DDETS division per department, one DREETS division per region.
CREATE UNIQUE INDEX institution_department_kind_key ON institution (kind, department) WHERE kind IN ('DDETS_GEIQ', 'DDETS_IAE', 'DDETS_LOG');
CREATE UNIQUE INDEX institution_region_kind_key ON institution (kind, region) WHERE kind IN ('DREETS_GEIQ', 'DREETS_IAE');
CREATE INDEX institution_department_idx ON institution (department);

-- Memberships (actors.md §3): the same shape for the three families. A row is never deleted by a
-- deactivation; an inactive member is never admin.
CREATE TABLE company_membership (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    joined_at TIMESTAMP NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT company_membership_user_org_key UNIQUE (user_id, organization_id),
    CONSTRAINT company_membership_admin_active CHECK (is_active OR NOT is_admin)
);
CREATE INDEX company_membership_org_idx ON company_membership (organization_id, is_active);

CREATE TABLE prescriber_membership (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES prescriber_organization (id) ON DELETE CASCADE,
    joined_at TIMESTAMP NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT prescriber_membership_user_org_key UNIQUE (user_id, organization_id),
    CONSTRAINT prescriber_membership_admin_active CHECK (is_active OR NOT is_admin)
);
CREATE INDEX prescriber_membership_org_idx ON prescriber_membership (organization_id, is_active);

CREATE TABLE institution_membership (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
    joined_at TIMESTAMP NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT institution_membership_user_org_key UNIQUE (user_id, organization_id),
    CONSTRAINT institution_membership_admin_active CHECK (is_active OR NOT is_admin)
);
CREATE INDEX institution_membership_org_idx ON institution_membership (organization_id, is_active);

-- +goose Down
DROP TABLE institution_membership;
DROP TABLE prescriber_membership;
DROP TABLE company_membership;
DROP TABLE institution;
DROP TABLE prescriber_organization;
DROP TABLE company;
DROP TABLE siae_financial_annex;
DROP TABLE siae_convention;
