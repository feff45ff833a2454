-- +goose Up
-- Candidatures (applications.md §1). public_id is the identifier in URLs; id never leaves the
-- server. The constraints are the invariants of §1.1 that a row can check by itself; those that
-- need another table (the GEIQ-only fields, the sender's user kind) are checked by
-- internal/application in the transaction that writes the row.
CREATE TABLE job_application (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    job_seeker_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_company_id BIGINT NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    sender_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    sender_kind TEXT NOT NULL CHECK (sender_kind IN ('job_seeker', 'prescriber', 'employer')),
    sender_company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    sender_prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'processing', 'postponed', 'prior_to_hire', 'pool',
        'accepted', 'refused', 'cancelled', 'obsolete')),
    message TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 10000),
    answer TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 10000),
    answer_to_prescriber TEXT NOT NULL DEFAULT '' CHECK (length(answer_to_prescriber) <= 10000),
    refusal_reason TEXT NOT NULL DEFAULT '' CHECK (refusal_reason IN ('', 'did_not_come', 'did_not_come_to_interview',
        'hired_elsewhere', 'training', 'non_eligible', 'not_mobile', 'not_interested', 'lacking_skills', 'incompatible',
        'prevent_objectives', 'no_position', 'duplicate', 'other', 'auto', 'approval_expiration_too_close',
        'unavailable', 'eligibility_doubt', 'deactivation', 'poorly_informed')),
    refusal_reason_shared_with_job_seeker BOOLEAN NOT NULL DEFAULT FALSE,
    -- Key of the CV in the blob store (resume-private/...), '' without CV.
    resume_key TEXT NOT NULL DEFAULT '',
    hiring_start_at DATE,
    hiring_end_at DATE,
    hired_job_id BIGINT REFERENCES job_description (id) ON DELETE SET NULL,
    origin TEXT NOT NULL DEFAULT 'default' CHECK (origin IN ('default', 'pe_approval', 'ai_stock', 'admin')),
    -- Accepted-only: set when an SIAE accepts, until the PASS IAE decision of approvals.md is made.
    approval_delivery_mode TEXT NOT NULL DEFAULT '' CHECK (approval_delivery_mode IN ('', 'pending', 'automatic', 'manual')),
    transferred_at TIMESTAMP,
    transferred_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    transferred_from_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    archived_at TIMESTAMP,
    archived_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    processed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    create_employee_record BOOLEAN NOT NULL DEFAULT TRUE,
    contract_type TEXT NOT NULL DEFAULT '' CHECK (contract_type IN ('', 'APPRENTICESHIP', 'PROFESSIONAL_TRAINING', 'OTHER')),
    contract_type_details TEXT NOT NULL DEFAULT '' CHECK (length(contract_type_details) <= 255),
    nb_hours_per_week SMALLINT CHECK (nb_hours_per_week BETWEEN 1 AND 48),
    qualification_type TEXT NOT NULL DEFAULT '' CHECK (qualification_type IN ('', 'STATE_DIPLOMA', 'CQP', 'CCN')),
    qualification_level TEXT NOT NULL DEFAULT '' CHECK (qualification_level IN ('', 'LEVEL_3', 'LEVEL_4', 'LEVEL_5', 'NOT_RELEVANT')),
    planned_training_hours SMALLINT CHECK (planned_training_hours >= 0),
    inverted_vae_contract BOOLEAN,
    diagoriente_invite_sent_at TIMESTAMP,
    CONSTRAINT job_application_job_seeker_sender CHECK (sender_kind <> 'job_seeker' OR sender_id IS NULL OR sender_id = job_seeker_id),
    CONSTRAINT job_application_employer_sender CHECK (sender_kind <> 'employer'
        OR (sender_company_id IS NOT NULL AND sender_prescriber_organization_id IS NULL)),
    CONSTRAINT job_application_prescriber_sender CHECK (sender_kind <> 'prescriber' OR sender_company_id IS NULL),
    CONSTRAINT job_application_geiq_contract CHECK (
        (contract_type IN ('APPRENTICESHIP', 'PROFESSIONAL_TRAINING') AND contract_type_details = '' AND nb_hours_per_week > 0)
        OR (contract_type = 'OTHER' AND contract_type_details <> '' AND nb_hours_per_week > 0)
        OR (contract_type = '' AND contract_type_details = '' AND nb_hours_per_week IS NULL)),
    CONSTRAINT job_application_qualification CHECK (NOT (qualification_type = 'STATE_DIPLOMA' AND qualification_level = 'NOT_RELEVANT')),
    CONSTRAINT job_application_hiring_dates CHECK (hiring_end_at IS NULL OR hiring_start_at IS NULL OR hiring_end_at >= hiring_start_at),
    CONSTRAINT job_application_processed_at CHECK (
        (state IN ('accepted', 'refused', 'cancelled', 'obsolete')) = (processed_at IS NOT NULL)),
    CONSTRAINT job_application_archived CHECK (archived_at IS NULL OR state NOT IN ('accepted', 'prior_to_hire')),
    CONSTRAINT job_application_archived_by CHECK (archived_by_id IS NULL OR archived_at IS NOT NULL),
    CONSTRAINT job_application_accepted_only CHECK (state = 'accepted' OR approval_delivery_mode = '')
);
-- The employer's inbox, newest first, and its state filter.
CREATE INDEX job_application_inbox_idx ON job_application (to_company_id, created_at DESC, id DESC);
CREATE INDEX job_application_inbox_state_idx ON job_application (to_company_id, state, created_at DESC);
CREATE INDEX job_application_company_hiring_idx ON job_application (to_company_id, hiring_start_at);
-- The 24-hour rule, the job seeker's list and the obsolescence at acceptance.
CREATE INDEX job_application_job_seeker_idx ON job_application (job_seeker_id, to_company_id, created_at);
-- The sent lists.
CREATE INDEX job_application_sender_org_idx ON job_application (sender_prescriber_organization_id, created_at DESC)
    WHERE sender_prescriber_organization_id IS NOT NULL;
CREATE INDEX job_application_sender_company_idx ON job_application (sender_company_id, created_at DESC)
    WHERE sender_company_id IS NOT NULL;
CREATE INDEX job_application_sender_idx ON job_application (sender_id, created_at DESC);
-- The automatic refusal and archiving jobs.
CREATE INDEX job_application_untouched_idx ON job_application (state, updated_at) WHERE archived_at IS NULL;
CREATE INDEX job_application_hired_job_idx ON job_application (hired_job_id) WHERE hired_job_id IS NOT NULL;
CREATE INDEX job_application_transferred_by_idx ON job_application (transferred_by_id) WHERE transferred_by_id IS NOT NULL;
CREATE INDEX job_application_archived_by_idx ON job_application (archived_by_id) WHERE archived_by_id IS NOT NULL;

-- "Métiers recherchés": none is a spontaneous application.
CREATE TABLE job_application_selected_job (
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE CASCADE,
    job_description_id BIGINT NOT NULL REFERENCES job_description (id) ON DELETE CASCADE,
    PRIMARY KEY (job_application_id, job_description_id)
);
CREATE INDEX job_application_selected_job_jd_idx ON job_application_selected_job (job_description_id, job_application_id);

-- The timeline (applications.md §1.3): one row per transition, user NULL for the system.
-- details holds what a transition changed beyond the state (JSON: the old and new contract
-- dates, the refusal reason...).
CREATE TABLE job_application_transition_log (
    id INTEGER PRIMARY KEY,
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE CASCADE,
    transition TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    target_company_id BIGINT REFERENCES company (id) ON DELETE SET NULL,
    details TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_application_transition_log_app_idx ON job_application_transition_log (job_application_id, created_at);
CREATE INDEX job_application_transition_log_user_idx ON job_application_transition_log (user_id) WHERE user_id IS NOT NULL;

-- Internal notes of the receiving company's members.
CREATE TABLE job_application_comment (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    message TEXT NOT NULL CHECK (message <> '' AND length(message) <= 2000),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_application_comment_app_idx ON job_application_comment (job_application_id, created_at);

-- GEIQ "actions préalables à l'embauche" (applications.md §1.2).
CREATE TABLE job_application_prior_action (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('PMSMP', 'MRS', 'STAGE', 'OTHER_SITUATION', 'DRS', 'AFPR', 'POE', 'OTHER_QUALIFICATION')),
    start_at DATE NOT NULL,
    end_at DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT job_application_prior_action_dates CHECK (end_at >= start_at)
);
CREATE INDEX job_application_prior_action_app_idx ON job_application_prior_action (job_application_id, start_at);

-- What a professional does not want to receive about one structure (applications.md §2.4):
-- mode 'off' stops a kind of mail, 'weekly' (new candidatures only) replaces one mail per
-- candidature with the weekly digest. structure_type is 'company' or 'prescriber'.
CREATE TABLE job_application_notification_setting (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    structure_type TEXT NOT NULL CHECK (structure_type IN ('company', 'prescriber')),
    structure_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('off', 'weekly')),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, structure_type, structure_id, kind),
    CONSTRAINT job_application_notification_weekly CHECK (mode <> 'weekly' OR kind = 'new_application')
);
CREATE INDEX job_application_notification_structure_idx ON job_application_notification_setting
    (structure_type, structure_id, kind);

-- The state of one tunnel or wizard (apply, refuse, accept...), kept on the server per tunnel:
-- each browser tab has its own, reached by its random key. data is the tunnel's JSON.
CREATE TABLE wizard_session (
    key TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX wizard_session_user_idx ON wizard_session (user_id);
CREATE INDEX wizard_session_expires_idx ON wizard_session (expires_at);

-- +goose Down
DROP TABLE wizard_session;
DROP TABLE job_application_notification_setting;
DROP TABLE job_application_prior_action;
DROP TABLE job_application_comment;
DROP TABLE job_application_transition_log;
DROP TABLE job_application_selected_job;
DROP TABLE job_application;
