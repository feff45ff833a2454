-- +goose Up
-- Fiches salarié (approvals.md §1.10, §2.15, §3.3–3.4): what an SIAE declares to the ASP for each
-- employee hired on a PASS IAE, sent over SFTP in batch files and answered line by line.

-- The profile facts a fiche carries that no other screen asks (actors.md §2.2): the address in
-- the ASP's HEXA fields (all or nothing: type, name, post code and commune once any is set), the
-- EITI-only situation, and when the employer last checked the profile for a fiche.
-- SQLite adds one column per statement and no table constraint: the all-or-nothing check rides on
-- the last HEXA column (a column check may read the others), and the Down drops it first.
ALTER TABLE job_seeker_profile ADD COLUMN hexa_lane_number TEXT NOT NULL DEFAULT '' CHECK (length(hexa_lane_number) <= 10);
ALTER TABLE job_seeker_profile ADD COLUMN hexa_std_extension TEXT NOT NULL DEFAULT '' CHECK (hexa_std_extension IN ('', 'B', 'T', 'Q', 'C'));
ALTER TABLE job_seeker_profile ADD COLUMN hexa_lane_type TEXT NOT NULL DEFAULT '' CHECK (length(hexa_lane_type) <= 4);
ALTER TABLE job_seeker_profile ADD COLUMN hexa_lane_name TEXT NOT NULL DEFAULT '' CHECK (length(hexa_lane_name) <= 120);
ALTER TABLE job_seeker_profile ADD COLUMN hexa_additional_address TEXT NOT NULL DEFAULT '' CHECK (length(hexa_additional_address) <= 32);
ALTER TABLE job_seeker_profile ADD COLUMN hexa_post_code TEXT NOT NULL DEFAULT '' CHECK (hexa_post_code = '' OR (length(hexa_post_code) = 5 AND hexa_post_code NOT GLOB '*[^0-9]*'));
ALTER TABLE job_seeker_profile ADD COLUMN hexa_commune_code TEXT NOT NULL DEFAULT '' CHECK (hexa_commune_code = '' OR (length(hexa_commune_code) = 5 AND hexa_commune_code NOT GLOB '*[^0-9AB]*'))
    CONSTRAINT job_seeker_profile_hexa_all_or_nothing CHECK (
        (hexa_lane_number = '' AND hexa_std_extension = '' AND hexa_lane_type = '' AND hexa_lane_name = ''
            AND hexa_additional_address = '' AND hexa_post_code = '' AND hexa_commune_code = '')
        OR (hexa_lane_type <> '' AND hexa_lane_name <> '' AND hexa_post_code <> '' AND hexa_commune_code <> ''));
ALTER TABLE job_seeker_profile ADD COLUMN cape_freelance BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job_seeker_profile ADD COLUMN cesa_freelance BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE job_seeker_profile ADD COLUMN actor_met_for_business_creation TEXT NOT NULL DEFAULT '' CHECK (length(actor_met_for_business_creation) <= 100);
ALTER TABLE job_seeker_profile ADD COLUMN mean_monthly_income_cents BIGINT CHECK (mean_monthly_income_cents BETWEEN 0 AND 9999999);
ALTER TABLE job_seeker_profile ADD COLUMN eiti_contributions TEXT NOT NULL DEFAULT '' CHECK (eiti_contributions IN ('', '01', '02', '03', '04', '05', '06'));
ALTER TABLE job_seeker_profile ADD COLUMN employee_record_checked_at TIMESTAMP;

-- One fiche per PASS per ASP structure: (measure, SIRET of the convention's ASP company, PASS
-- number). The denormalised columns are refreshed at each « ready » (§2.15). archived_json keeps
-- the exact line sent, then the line returned, as text: a JSON column would reformat it.
CREATE TABLE employee_record (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'READY', 'SENT', 'REJECTED', 'PROCESSED', 'DISABLED', 'ARCHIVED')),
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE RESTRICT,
    approval_number TEXT NOT NULL CHECK (length(approval_number) = 12 AND approval_number NOT GLOB '*[^A-Za-z0-9]*'),
    siret TEXT NOT NULL CHECK (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*'),
    asp_measure TEXT NOT NULL CHECK (asp_measure IN ('ACI_DC', 'AI_DC', 'EI_DC', 'EITI_DC', 'ETTI_DC', 'ACI_MP', 'EI_MP', 'FDI_DC')),
    asp_id BIGINT NOT NULL,
    ntt TEXT CHECK (ntt GLOB '[12][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]?*' AND length(ntt) <= 40 AND substr(ntt, 11) NOT GLOB '*[^A-Za-z0-9]*'),
    financial_annex_id BIGINT REFERENCES siae_financial_annex (id) ON DELETE SET NULL,
    processed_at TIMESTAMP,
    processed_as_duplicate BOOLEAN NOT NULL DEFAULT FALSE,
    asp_batch_file TEXT CHECK (asp_batch_file GLOB 'RIAE_FS_[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9].json'),
    asp_batch_line_number INTEGER CHECK (asp_batch_line_number > 0),
    asp_processing_code TEXT NOT NULL DEFAULT '' CHECK (length(asp_processing_code) <= 4),
    asp_processing_label TEXT NOT NULL DEFAULT '' CHECK (length(asp_processing_label) <= 200),
    archived_json TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT employee_record_one_per_pass UNIQUE (asp_measure, siret, approval_number),
    CONSTRAINT employee_record_batch_line UNIQUE (asp_batch_file, asp_batch_line_number),
    CONSTRAINT employee_record_batch_both CHECK ((asp_batch_file IS NULL) = (asp_batch_line_number IS NULL))
);
CREATE INDEX employee_record_job_application_idx ON employee_record (job_application_id);
CREATE INDEX employee_record_status_idx ON employee_record (status, updated_at);
CREATE INDEX employee_record_approval_number_idx ON employee_record (approval_number);
CREATE INDEX employee_record_financial_annex_idx ON employee_record (financial_annex_id);

-- One row per transition (§1.10): who, the ASP exchange of the moment, and whether a recovery
-- run wrote it.
CREATE TABLE employee_record_transition_log (
    id INTEGER PRIMARY KEY,
    employee_record_id BIGINT NOT NULL REFERENCES employee_record (id) ON DELETE CASCADE,
    transition TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    asp_batch_file TEXT,
    asp_batch_line_number INTEGER,
    asp_processing_code TEXT NOT NULL DEFAULT '',
    asp_processing_label TEXT NOT NULL DEFAULT '',
    archived_json TEXT,
    recovered BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX employee_record_transition_log_record_idx ON employee_record_transition_log (employee_record_id, created_at);
CREATE INDEX employee_record_transition_log_user_idx ON employee_record_transition_log (user_id);

-- « M » lines (§3.4): what the ASP must learn of a PASS whose dates changed after its fiche.
CREATE TABLE employee_record_update_notification (
    id INTEGER PRIMARY KEY,
    employee_record_id BIGINT NOT NULL REFERENCES employee_record (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'SENT', 'PROCESSED', 'REJECTED')),
    asp_batch_file TEXT CHECK (asp_batch_file GLOB 'RIAE_FS_[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9].json'),
    asp_batch_line_number INTEGER CHECK (asp_batch_line_number > 0),
    asp_processing_code TEXT NOT NULL DEFAULT '' CHECK (length(asp_processing_code) <= 4),
    asp_processing_label TEXT NOT NULL DEFAULT '' CHECK (length(asp_processing_label) <= 200),
    archived_json TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT employee_record_update_notification_batch_line UNIQUE (asp_batch_file, asp_batch_line_number),
    CONSTRAINT employee_record_update_notification_batch_both CHECK ((asp_batch_file IS NULL) = (asp_batch_line_number IS NULL))
);
CREATE UNIQUE INDEX employee_record_update_notification_one_new ON employee_record_update_notification (employee_record_id)
    WHERE status = 'NEW';
CREATE INDEX employee_record_update_notification_status_idx ON employee_record_update_notification (status, updated_at);

-- Any change of a PASS's dates, whatever the code path (a suspension, a prolongation, a hire that
-- moves a future PASS), queues one NEW notification per fiche the ASP knows (§2.15); a later change
-- only refreshes it.
-- +goose StatementBegin
CREATE TRIGGER approval_dates_notify_employee_records AFTER UPDATE OF start_at, end_at ON approval
WHEN NEW.start_at IS NOT OLD.start_at OR NEW.end_at IS NOT OLD.end_at
BEGIN
    INSERT INTO employee_record_update_notification (employee_record_id, status, created_at, updated_at)
    SELECT er.id, 'NEW', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')
    FROM employee_record AS er
    WHERE er.approval_number = NEW.number AND er.status IN ('PROCESSED', 'SENT', 'DISABLED')
    ON CONFLICT (employee_record_id) WHERE status = 'NEW' DO UPDATE SET updated_at = excluded.updated_at;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER approval_dates_notify_employee_records;
DROP TABLE employee_record_update_notification;
DROP TABLE employee_record_transition_log;
DROP TABLE employee_record;
ALTER TABLE job_seeker_profile DROP COLUMN employee_record_checked_at;
ALTER TABLE job_seeker_profile DROP COLUMN eiti_contributions;
ALTER TABLE job_seeker_profile DROP COLUMN mean_monthly_income_cents;
ALTER TABLE job_seeker_profile DROP COLUMN actor_met_for_business_creation;
ALTER TABLE job_seeker_profile DROP COLUMN cesa_freelance;
ALTER TABLE job_seeker_profile DROP COLUMN cape_freelance;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_commune_code;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_post_code;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_additional_address;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_lane_name;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_lane_type;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_std_extension;
ALTER TABLE job_seeker_profile DROP COLUMN hexa_lane_number;
