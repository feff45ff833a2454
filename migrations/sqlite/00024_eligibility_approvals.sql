-- +goose Up
-- Eligibility and the PASS IAE (approvals.md §1). The invariants a row can check by itself are
-- constraints here; those that need the calendar (a suspension does not start in the future) or
-- other rows (no overlapping suspensions, the cumulative prolongation caps) are checked by
-- internal/approval under a lock of the PASS row. The PASS dates change in one code path
-- (internal/approval), which also resets the France Travail notification.

-- The 18 IAE administrative criteria (§1.1): stable ids, the form keys are level_<level>_<id>.
CREATE TABLE administrative_criteria (
    id SMALLINT PRIMARY KEY,
    level TEXT NOT NULL CHECK (level IN ('1', '2')),
    kind TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    written_proof TEXT NOT NULL DEFAULT '',
    written_proof_url TEXT NOT NULL DEFAULT '',
    written_proof_validity TEXT NOT NULL DEFAULT '',
    ui_rank SMALLINT NOT NULL DEFAULT 32767
);
INSERT INTO administrative_criteria (id, level, kind, name, written_proof_validity, ui_rank) VALUES
    (1, '1', 'RSA', 'Bénéficiaire du RSA', 'Moins de 3 mois avant la délivrance du PASS IAE', 1),
    (2, '1', 'ASS', 'Allocataire ASS', 'Moins de 3 mois', 2),
    (3, '1', 'AAH', 'Allocataire AAH', 'Moins de 3 mois', 3),
    (4, '1', 'DETLD', 'DETLD (+ 24 mois)', 'Moins de 3 mois', 4),
    (5, '2', 'CAP_BEP', 'Niveau d''étude 3 (CAP, BEP) ou infra', 'Déclaration sur l''honneur de moins de 3 mois', 1),
    (6, '2', 'SENIOR', 'Senior (+50 ans)', 'Pièce d''identité', 2),
    (7, '2', 'JEUNE', 'Jeune (-26 ans)', 'Pièce d''identité', 3),
    (8, '2', 'ASE', 'Sortant de l''ASE', 'Moins de 12 mois', 4),
    (9, '2', 'DELD', 'DELD (12-24 mois)', 'Moins de 3 mois', 5),
    (10, '2', 'TH', 'Travailleur handicapé', 'Décision en cours de validité à l''embauche', 6),
    (11, '2', 'PI', 'Parent isolé', 'Moins de 3 mois', 7),
    (12, '2', 'PSH_PR', 'Personne sans hébergement ou hébergée ou ayant un parcours de rue', 'Moins de 3 mois', 8),
    (13, '2', 'REF_DA', 'Réfugié statutaire, bénéficiaire d''une protection temporaire, protégé subsidiaire ou demandeur d''asile', 'Titre en cours de validité à la délivrance', 9),
    (14, '2', 'ZRR', 'Résident ZRR/ZFRR', 'Moins de 6 mois', 10),
    (15, '2', 'QPV', 'Résident QPV', 'Moins de 6 mois', 11),
    (16, '2', 'DETENTION_MJ', 'Sortant de détention ou personne placée sous main de justice', 'Moins de 6 mois', 12),
    (17, '2', 'FLE', 'Maîtrise de la langue française inférieure au niveau A1', 'Moins de 6 mois', 13),
    (18, '2', 'PM', 'Problème de mobilité', 'Moins de 6 mois', 14);

-- The GEIQ criteria (§1.2): an annex, a level for those of annex 2 and 1+2, the code(s) of the
-- Label API (api.md, embauches-geiq) joined with "|".
CREATE TABLE geiq_administrative_criteria (
    id SMALLINT PRIMARY KEY,
    level TEXT CHECK (level IN ('1', '2')),
    annex TEXT NOT NULL DEFAULT '1' CHECK (annex IN ('0', '1', '2', '1+2')),
    kind TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    api_code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    written_proof TEXT NOT NULL DEFAULT '',
    written_proof_url TEXT NOT NULL DEFAULT '',
    written_proof_validity TEXT NOT NULL DEFAULT '',
    ui_rank SMALLINT NOT NULL DEFAULT 32767,
    CONSTRAINT geiq_administrative_criteria_annex_level CHECK (
        (level IS NULL AND annex IN ('0', '1')) OR (level IS NOT NULL AND annex IN ('2', '1+2')))
);
INSERT INTO geiq_administrative_criteria (id, level, annex, kind, name, slug, api_code, ui_rank) VALUES
    (1, '1', '2', 'RSA', 'Bénéficiaire du RSA', 'beneficiaire-du-rsa', 'RSA', 1),
    (2, '1', '2', 'ASS', 'Allocataire ASS', 'allocataire-ass', 'ASS', 2),
    (3, '1', '2', 'AAH', 'Allocataire AAH', 'allocataire-aah', 'AAH', 3),
    (4, '1', '2', 'DETLD', 'Demandeur d''emploi de très longue durée (+24 mois)', 'detld-24-mois', 'DELD24+', 4),
    (5, '2', '2', 'CAP_BEP', 'Niveau d''étude 3 (CAP, BEP) ou infra', 'niveau-detude-3-cap-bep-ou-infra', 'NE3I', 5),
    (6, '2', '2', 'SENIOR', 'Senior (+ de 50 ans)', 'senior-50-ans', '+50', 6),
    (7, '2', '2', 'JEUNE', 'Jeune (- de 26 ans)', 'jeune-26-ans', '-26', 7),
    (8, '2', '2', 'ASE', 'Aide sociale à l''enfance', 'aide-sociale-a-lenfance', 'ASE', 8),
    (9, '2', '2', 'DELD', 'Demandeur d''emploi de longue durée (12-24 mois)', 'deld-12-24-mois', 'DELD12/24', 9),
    (10, '2', '1+2', 'TH', 'Travailleur handicapé', 'travailleur-handicape', 'Pers. SH|TH', 10),
    (11, '2', '2', 'PI', 'Parent isolé', 'parent-isole', 'PI', 11),
    (12, '2', '2', 'PSH_PR', 'Personne sans hébergement ou hébergée ou ayant un parcours de rue', 'personne-sans-hebergement', 'PSH/PR', 12),
    (13, '2', '1+2', 'REF_DA', 'Réfugiés statutaire ou bénéficiaire de la protection subsidiaire', 'refugie-statutaire', 'Refug.|RS/PS/DA', 13),
    (14, '2', '1+2', 'ZRR', 'Résident ZRR/ZFRR', 'resident-zrr', 'ZRR|QPV/ZRR', 14),
    (15, '2', '1+2', 'QPV', 'Résident QPV', 'resident-qpv', 'QPV|QPV/ZRR', 15),
    (16, '2', '1+2', 'DETENTION_MJ', 'Sortant de détention ou personne placée sous main de justice', 'sortant-de-detention', 'Detention/MJ|Prison', 16),
    (17, '2', '2', 'FLE', 'Maîtrise de la langue française', 'maitrise-de-la-langue-francaise', 'FR non maitrisé', 17),
    (18, '2', '2', 'PM', 'Problème de mobilité', 'probleme-de-mobilite', 'PM', 18),
    (19, '2', '2', 'RS_PS_DA', 'Demandeur d''asile', 'demandeur-dasile', 'RS/PS/DA', 19),
    (20, NULL, '1', 'JEUNE_SQ', 'Jeune (- de 26 ans) sans qualification', 'jeune-26-ans-sans-qualification', '-26 SQ', 20),
    (21, NULL, '1', 'MINIMA', 'Bénéficiaire des minima sociaux', 'beneficiaire-des-minima-sociaux', 'MINSOC', 21),
    (22, NULL, '1', 'SANS_TRAVAIL_12', 'Personne sans emploi depuis au moins 12 mois', 'sans-emploi-depuis-12-mois', 'DELD', 22),
    (23, NULL, '1', 'DE_45', 'Demandeur d''emploi de 45 ans et plus', 'demandeur-demploi-45-ans-et-plus', '+45', 23),
    (24, NULL, '1', 'RECONVERSION', 'Personne en reconversion professionnelle contrainte', 'reconversion-professionnelle', 'Reconv.', 24),
    (25, NULL, '1', 'SIAE_CUI', 'Personne sortant d''une SIAE ou d''un CUI', 'sortant-siae-ou-cui', 'SIAE/CUI', 25),
    (26, NULL, '0', 'AUTRE_MINIMA', 'Autre minima social', 'autre-minima-social', '', 26),
    (27, NULL, '0', 'FT', 'Personne inscrite à France Travail', 'inscrite-a-france-travail', '', 27),
    (28, NULL, '0', 'DELD_12', 'Demandeur d''emploi inscrit depuis moins de 12 mois', 'inscrit-depuis-moins-de-12-mois', '', 28);

-- IAE diagnoses (§1.3): expires_at is the first day on which the diagnosis is expired.
CREATE TABLE eligibility_diagnosis (
    id INTEGER PRIMARY KEY,
    job_seeker_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author_kind TEXT NOT NULL DEFAULT 'prescriber' CHECK (author_kind IN ('prescriber', 'employer')),
    author_prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    author_company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    expires_at DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT eligibility_diagnosis_author CHECK (
        (author_kind = 'employer' AND author_prescriber_organization_id IS NULL)
        OR (author_kind = 'prescriber' AND author_company_id IS NULL))
);
CREATE INDEX eligibility_diagnosis_job_seeker_idx ON eligibility_diagnosis (job_seeker_id, created_at DESC);
CREATE INDEX eligibility_diagnosis_author_idx ON eligibility_diagnosis (author_id);
CREATE INDEX eligibility_diagnosis_org_idx ON eligibility_diagnosis (author_prescriber_organization_id);
CREATE INDEX eligibility_diagnosis_company_idx ON eligibility_diagnosis (author_company_id);

-- The criteria of a diagnosis (§1.4) and their certification: certified_from/until is the
-- inclusive period (until NULL: open-ended); certification_empty: « not a beneficiary »; neither
-- with certified_at set: identity not found.
CREATE TABLE selected_administrative_criteria (
    id INTEGER PRIMARY KEY,
    eligibility_diagnosis_id BIGINT NOT NULL REFERENCES eligibility_diagnosis (id) ON DELETE CASCADE,
    administrative_criteria_id SMALLINT NOT NULL REFERENCES administrative_criteria (id),
    certified_at TIMESTAMP,
    certified_from DATE,
    certified_until DATE,
    certification_empty BOOLEAN NOT NULL DEFAULT FALSE,
    data_returned_by_api TEXT,
    last_certification_attempt_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT selected_administrative_criteria_key UNIQUE (eligibility_diagnosis_id, administrative_criteria_id),
    CONSTRAINT selected_administrative_criteria_period CHECK (NOT certification_empty OR certified_from IS NULL)
);
CREATE INDEX selected_administrative_criteria_criteria_idx ON selected_administrative_criteria (administrative_criteria_id);

-- GEIQ diagnoses (§1.5).
CREATE TABLE geiq_eligibility_diagnosis (
    id INTEGER PRIMARY KEY,
    job_seeker_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('prescriber', 'geiq')),
    author_prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    author_geiq_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    expires_at DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT geiq_eligibility_diagnosis_author CHECK (
        (author_kind = 'geiq' AND author_prescriber_organization_id IS NULL)
        OR (author_kind = 'prescriber' AND author_geiq_id IS NULL))
);
CREATE INDEX geiq_eligibility_diagnosis_job_seeker_idx ON geiq_eligibility_diagnosis (job_seeker_id, created_at DESC);
CREATE INDEX geiq_eligibility_diagnosis_author_idx ON geiq_eligibility_diagnosis (author_id);
CREATE INDEX geiq_eligibility_diagnosis_org_idx ON geiq_eligibility_diagnosis (author_prescriber_organization_id);
CREATE INDEX geiq_eligibility_diagnosis_geiq_idx ON geiq_eligibility_diagnosis (author_geiq_id);

CREATE TABLE geiq_selected_administrative_criteria (
    id INTEGER PRIMARY KEY,
    eligibility_diagnosis_id BIGINT NOT NULL REFERENCES geiq_eligibility_diagnosis (id) ON DELETE CASCADE,
    administrative_criteria_id SMALLINT NOT NULL REFERENCES geiq_administrative_criteria (id),
    certified_at TIMESTAMP,
    certified_from DATE,
    certified_until DATE,
    certification_empty BOOLEAN NOT NULL DEFAULT FALSE,
    data_returned_by_api TEXT,
    last_certification_attempt_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT geiq_selected_administrative_criteria_key UNIQUE (eligibility_diagnosis_id, administrative_criteria_id),
    CONSTRAINT geiq_selected_administrative_criteria_period CHECK (NOT certification_empty OR certified_from IS NULL)
);
CREATE INDEX geiq_selected_administrative_criteria_criteria_idx ON geiq_selected_administrative_criteria (administrative_criteria_id);

-- The PASS IAE (§1.6). end_at is inclusive. The number is the prefix and a 7-digit sequence
-- (§2.7), unique with the cancelled ones' (checked under approval_number_lock).
CREATE TABLE approval (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL UNIQUE CHECK (length(number) = 12 AND number NOT GLOB '*[^A-Za-z0-9]*'),
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    origin TEXT NOT NULL DEFAULT 'default' CHECK (origin IN ('default', 'pe_approval', 'ai_stock', 'admin')),
    eligibility_diagnosis_id BIGINT REFERENCES eligibility_diagnosis (id) ON DELETE RESTRICT,
    origin_siae_siret TEXT CHECK (length(origin_siae_siret) = 14 AND origin_siae_siret NOT GLOB '*[^0-9]*'),
    origin_siae_kind TEXT NOT NULL DEFAULT '',
    origin_sender_kind TEXT NOT NULL DEFAULT '',
    origin_prescriber_organization_kind TEXT NOT NULL DEFAULT '',
    pe_notification_status TEXT NOT NULL DEFAULT 'notification_pending' CHECK (pe_notification_status IN (
        'notification_pending', 'notification_ready', 'notification_success', 'notification_should_retry', 'notification_error')),
    pe_notification_time TIMESTAMP,
    pe_notification_endpoint TEXT NOT NULL DEFAULT '',
    pe_notification_exit_code TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT approval_dates CHECK (start_at < end_at),
    CONSTRAINT approval_diagnosis CHECK (
        (origin IN ('default', 'admin') AND eligibility_diagnosis_id IS NOT NULL)
        OR (origin IN ('pe_approval', 'ai_stock') AND eligibility_diagnosis_id IS NULL))
);
CREATE INDEX approval_user_idx ON approval (user_id, end_at DESC);
CREATE INDEX approval_diagnosis_idx ON approval (eligibility_diagnosis_id);
CREATE INDEX approval_created_by_idx ON approval (created_by_id);
CREATE INDEX approval_pe_notification_idx ON approval (pe_notification_status, start_at);

-- One row: what a PASS creation locks before it reads the highest number (§2.7).
CREATE TABLE approval_number_lock (id SMALLINT PRIMARY KEY CHECK (id = 1));
INSERT INTO approval_number_lock (id) VALUES (1);

-- A deleted PASS (§1.7): its number is never reused.
CREATE TABLE cancelled_approval (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    origin TEXT NOT NULL,
    origin_siae_siret TEXT,
    origin_siae_kind TEXT NOT NULL DEFAULT '',
    origin_sender_kind TEXT NOT NULL DEFAULT '',
    origin_prescriber_organization_kind TEXT NOT NULL DEFAULT '',
    user_last_name TEXT NOT NULL DEFAULT '',
    user_first_name TEXT NOT NULL DEFAULT '',
    user_nir TEXT NOT NULL DEFAULT '',
    user_birthdate DATE,
    user_id_national_pe TEXT NOT NULL DEFAULT '',
    pe_notification_status TEXT NOT NULL DEFAULT 'notification_pending',
    pe_notification_time TIMESTAMP,
    pe_notification_endpoint TEXT NOT NULL DEFAULT '',
    pe_notification_exit_code TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cancelled_approval_number_idx ON cancelled_approval (number);

-- Suspensions (§1.8): both ends inclusive.
CREATE TABLE suspension (
    id INTEGER PRIMARY KEY,
    approval_id BIGINT NOT NULL REFERENCES approval (id) ON DELETE CASCADE,
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    reason TEXT NOT NULL DEFAULT 'CONTRACT_SUSPENDED' CHECK (reason IN ('CONTRACT_SUSPENDED', 'CONTRACT_BROKEN',
        'FINISHED_CONTRACT', 'APPROVAL_BETWEEN_CTA_MEMBERS', 'CONTRAT_PASSERELLE', 'SICKNESS', 'MATERNITY', 'INCARCERATION',
        'TRIAL_OUTSIDE_IAE', 'DETOXIFICATION', 'FORCE_MAJEURE')),
    reason_explanation TEXT NOT NULL DEFAULT '',
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT suspension_dates CHECK (end_at >= start_at)
);
CREATE INDEX suspension_approval_idx ON suspension (approval_id, start_at);
CREATE INDEX suspension_company_idx ON suspension (company_id);

-- Prolongation requests (§1.9) waiting for a habilitated prescriber; at most one PENDING per PASS.
CREATE TABLE prolongation_request (
    id INTEGER PRIMARY KEY,
    approval_id BIGINT NOT NULL REFERENCES approval (id) ON DELETE CASCADE,
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('SENIOR_CDI', 'COMPLETE_TRAINING', 'RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES', 'HEALTH_CONTEXT')),
    reason_explanation TEXT NOT NULL DEFAULT '',
    declared_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    declared_by_company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    report_file_key TEXT NOT NULL DEFAULT '',
    require_phone_interview BOOLEAN NOT NULL DEFAULT FALSE,
    contact_email TEXT NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    contact_phone TEXT NOT NULL DEFAULT '' CHECK (length(contact_phone) <= 20),
    status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'GRANTED', 'DENIED')),
    assigned_to_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    processed_at TIMESTAMP,
    processed_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reminder_sent_at TIMESTAMP,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT prolongation_request_dates CHECK (end_at > start_at),
    CONSTRAINT prolongation_request_report_file CHECK (report_file_key = '' OR reason IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES')),
    CONSTRAINT prolongation_request_contact CHECK (
        (reason IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES') AND (NOT require_phone_interview OR (contact_email <> '' AND contact_phone <> '')))
        OR (reason NOT IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES') AND NOT require_phone_interview AND contact_email = '' AND contact_phone = ''))
);
CREATE UNIQUE INDEX prolongation_request_one_pending ON prolongation_request (approval_id) WHERE status = 'PENDING';
CREATE INDEX prolongation_request_org_idx ON prolongation_request (prescriber_organization_id, status, created_at);
CREATE INDEX prolongation_request_assigned_idx ON prolongation_request (assigned_to_id);
CREATE INDEX prolongation_request_company_idx ON prolongation_request (declared_by_company_id);

-- A refusal's details (§1.9): proposed_actions is a JSON array, never empty.
CREATE TABLE prolongation_request_deny_information (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES prolongation_request (id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('IAE', 'SIAE', 'DURATION', 'REASON')),
    reason_explanation TEXT NOT NULL CHECK (reason_explanation <> ''),
    proposed_actions TEXT CHECK (proposed_actions <> '[]'),
    proposed_actions_explanation TEXT NOT NULL DEFAULT ''
);

-- Prolongations (§1.9): [start_at, end_at) half-open, chained from the PASS end.
CREATE TABLE prolongation (
    id INTEGER PRIMARY KEY,
    approval_id BIGINT NOT NULL REFERENCES approval (id) ON DELETE CASCADE,
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('SENIOR_CDI', 'COMPLETE_TRAINING', 'RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES', 'HEALTH_CONTEXT')),
    reason_explanation TEXT NOT NULL DEFAULT '',
    declared_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    declared_by_company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    report_file_key TEXT NOT NULL DEFAULT '',
    require_phone_interview BOOLEAN NOT NULL DEFAULT FALSE,
    contact_email TEXT NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    contact_phone TEXT NOT NULL DEFAULT '' CHECK (length(contact_phone) <= 20),
    request_id BIGINT UNIQUE REFERENCES prolongation_request (id) ON DELETE SET NULL,
    validated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT prolongation_dates CHECK (end_at > start_at),
    CONSTRAINT prolongation_report_file CHECK (report_file_key = '' OR reason IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES')),
    CONSTRAINT prolongation_contact CHECK (
        (reason IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES') AND (NOT require_phone_interview OR (contact_email <> '' AND contact_phone <> '')))
        OR (reason NOT IN ('RQTH', 'SENIOR', 'PARTICULAR_DIFFICULTIES') AND NOT require_phone_interview AND contact_email = '' AND contact_phone = ''))
);
CREATE INDEX prolongation_approval_idx ON prolongation (approval_id, start_at);
CREATE INDEX prolongation_company_idx ON prolongation (declared_by_company_id);
CREATE INDEX prolongation_org_idx ON prolongation (prescriber_organization_id);

-- A candidature's eligibility and PASS decision (applications.md §1, approvals.md §2.8).
ALTER TABLE job_application ADD COLUMN eligibility_diagnosis_id BIGINT REFERENCES eligibility_diagnosis (id) ON DELETE SET NULL;
ALTER TABLE job_application ADD COLUMN geiq_eligibility_diagnosis_id BIGINT REFERENCES geiq_eligibility_diagnosis (id) ON DELETE SET NULL;
ALTER TABLE job_application ADD COLUMN approval_id BIGINT REFERENCES approval (id) ON DELETE SET NULL;
ALTER TABLE job_application ADD COLUMN approval_number_sent_at TIMESTAMP;
ALTER TABLE job_application ADD COLUMN approval_manually_delivered_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE job_application ADD COLUMN approval_manually_refused_at TIMESTAMP;
ALTER TABLE job_application ADD COLUMN approval_manually_refused_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX job_application_diagnosis_idx ON job_application (eligibility_diagnosis_id) WHERE eligibility_diagnosis_id IS NOT NULL;
CREATE INDEX job_application_geiq_diagnosis_idx ON job_application (geiq_eligibility_diagnosis_id) WHERE geiq_eligibility_diagnosis_id IS NOT NULL;
CREATE INDEX job_application_approval_idx ON job_application (approval_id) WHERE approval_id IS NOT NULL;
CREATE INDEX job_application_manual_approval_idx ON job_application (approval_delivery_mode, created_at) WHERE approval_delivery_mode = 'manual';

-- +goose Down
DROP INDEX job_application_manual_approval_idx;
DROP INDEX job_application_approval_idx;
DROP INDEX job_application_geiq_diagnosis_idx;
DROP INDEX job_application_diagnosis_idx;
ALTER TABLE job_application DROP COLUMN approval_manually_refused_by_id;
ALTER TABLE job_application DROP COLUMN approval_manually_refused_at;
ALTER TABLE job_application DROP COLUMN approval_manually_delivered_by_id;
ALTER TABLE job_application DROP COLUMN approval_number_sent_at;
ALTER TABLE job_application DROP COLUMN approval_id;
ALTER TABLE job_application DROP COLUMN geiq_eligibility_diagnosis_id;
ALTER TABLE job_application DROP COLUMN eligibility_diagnosis_id;
DROP TABLE prolongation;
DROP TABLE prolongation_request_deny_information;
DROP TABLE prolongation_request;
DROP TABLE suspension;
DROP TABLE cancelled_approval;
DROP TABLE approval_number_lock;
DROP TABLE approval;
DROP TABLE geiq_selected_administrative_criteria;
DROP TABLE geiq_eligibility_diagnosis;
DROP TABLE selected_administrative_criteria;
DROP TABLE eligibility_diagnosis;
DROP TABLE geiq_administrative_criteria;
DROP TABLE administrative_criteria;
