-- +goose Up
-- The search index (internal/search) is patched per company instead of rebuilt whole: a write to
-- a company's rows (the company, its convention, its memberships and their users' activity, its
-- fiches de poste, the candidatures it receives and the fiches they select) records the company
-- in search_change under a number taken from the 'companies' counter of search_generation.
-- SQLite has one writer at a time, so numbers are given in commit order; each written row takes
-- its own number (no deferred triggers here; the PostgreSQL twin takes one per transaction).
-- The reference tables (ROME, prescriber organizations; communes and départements) keep raising
-- the 'organizations' and 'places' counters, which still rebuild the whole index: they change
-- rarely. 'changes_purged' is the highest number a purge removed: an instance behind it
-- rebuilds whole.
CREATE TABLE search_change (
    seq INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    -- Seconds since the epoch: the purge keeps the last hour.
    created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
    PRIMARY KEY (seq, company_id)
) WITHOUT ROWID;
INSERT INTO search_generation (name) VALUES ('companies'), ('changes_purged');
UPDATE search_generation SET value = 0 WHERE name = 'changes_purged';

DROP TRIGGER company_search_generation_insert;
DROP TRIGGER company_search_generation_update;
DROP TRIGGER company_search_generation_delete;
DROP TRIGGER siae_convention_search_generation_insert;
DROP TRIGGER siae_convention_search_generation_update;
DROP TRIGGER siae_convention_search_generation_delete;
DROP TRIGGER company_membership_search_generation_insert;
DROP TRIGGER company_membership_search_generation_update;
DROP TRIGGER company_membership_search_generation_delete;
DROP TRIGGER job_description_search_generation_insert;
DROP TRIGGER job_description_search_generation_update;
DROP TRIGGER job_description_search_generation_delete;
DROP TRIGGER users_search_generation_update;

-- +goose StatementBegin
CREATE TRIGGER company_search_change_insert AFTER INSERT ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT NEW.id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_search_change_update AFTER UPDATE ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.id AS id UNION SELECT NEW.id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_search_change_delete AFTER DELETE ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- A convention is shared by a company and its antennas.
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_change_insert AFTER INSERT ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT co.id FROM company co WHERE co.convention_id = NEW.id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_change_update AFTER UPDATE ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT co.id FROM company co WHERE co.convention_id = NEW.id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_change_delete AFTER DELETE ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT co.id FROM company co WHERE co.convention_id = OLD.id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_change_insert AFTER INSERT ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT NEW.organization_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_change_update AFTER UPDATE ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.organization_id AS id UNION SELECT NEW.organization_id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_change_delete AFTER DELETE ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.organization_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- A member counts only while the account is active: the companies of the user's memberships.
-- +goose StatementBegin
CREATE TRIGGER users_search_change_update AFTER UPDATE OF is_active ON users
WHEN OLD.is_active IS NOT NEW.is_active BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT m.organization_id AS id FROM company_membership m WHERE m.user_id = NEW.id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_change_insert AFTER INSERT ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT NEW.company_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_change_update AFTER UPDATE ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.company_id AS id UNION SELECT NEW.company_id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_change_delete AFTER DELETE ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.company_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- Candidatures: the « peu de candidatures » badge and job_app_score count them (actors.md §4.6);
-- a change of state changes neither, so only what moves a candidature in or out of a count is
-- recorded.
-- +goose StatementBegin
CREATE TRIGGER job_application_search_change_insert AFTER INSERT ON job_application BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT NEW.to_company_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_application_search_change_update AFTER UPDATE OF to_company_id, created_at ON job_application BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.to_company_id AS id UNION SELECT NEW.to_company_id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_application_search_change_delete AFTER DELETE ON job_application BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT OLD.to_company_id AS id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- A selected fiche belongs to a company (the fiche's, whatever company the candidature went to).
-- +goose StatementBegin
CREATE TRIGGER job_application_selected_job_search_change_insert AFTER INSERT ON job_application_selected_job BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT j.company_id AS id FROM job_description j WHERE j.id = NEW.job_description_id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_application_selected_job_search_change_update AFTER UPDATE ON job_application_selected_job BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT j.company_id AS id FROM job_description j WHERE j.id IN (OLD.job_description_id, NEW.job_description_id)) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_application_selected_job_search_change_delete AFTER DELETE ON job_application_selected_job BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'companies';
    INSERT OR IGNORE INTO search_change (seq, company_id)
    SELECT g.value, c.id FROM search_generation g, (SELECT j.company_id AS id FROM job_description j WHERE j.id = OLD.job_description_id) c WHERE g.name = 'companies' AND c.id IS NOT NULL;
END;
-- +goose StatementEnd

-- The index reads the candidatures of the last weeks (search/store.go).
CREATE INDEX job_application_created_idx ON job_application (created_at);

-- +goose Down
DROP INDEX job_application_created_idx;
DROP TRIGGER company_search_change_insert;
DROP TRIGGER company_search_change_update;
DROP TRIGGER company_search_change_delete;
DROP TRIGGER siae_convention_search_change_insert;
DROP TRIGGER siae_convention_search_change_update;
DROP TRIGGER siae_convention_search_change_delete;
DROP TRIGGER company_membership_search_change_insert;
DROP TRIGGER company_membership_search_change_update;
DROP TRIGGER company_membership_search_change_delete;
DROP TRIGGER users_search_change_update;
DROP TRIGGER job_description_search_change_insert;
DROP TRIGGER job_description_search_change_update;
DROP TRIGGER job_description_search_change_delete;
DROP TRIGGER job_application_search_change_insert;
DROP TRIGGER job_application_search_change_update;
DROP TRIGGER job_application_search_change_delete;
DROP TRIGGER job_application_selected_job_search_change_insert;
DROP TRIGGER job_application_selected_job_search_change_update;
DROP TRIGGER job_application_selected_job_search_change_delete;
-- +goose StatementBegin
CREATE TRIGGER company_search_generation_insert AFTER INSERT ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_search_generation_update AFTER UPDATE ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_search_generation_delete AFTER DELETE ON company BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_generation_insert AFTER INSERT ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_generation_update AFTER UPDATE ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER siae_convention_search_generation_delete AFTER DELETE ON siae_convention BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_generation_insert AFTER INSERT ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_generation_update AFTER UPDATE ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER company_membership_search_generation_delete AFTER DELETE ON company_membership BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_generation_insert AFTER INSERT ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_generation_update AFTER UPDATE ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_description_search_generation_delete AFTER DELETE ON job_description BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_search_generation_update AFTER UPDATE OF is_active ON users
WHEN OLD.is_active IS NOT NEW.is_active BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
DELETE FROM search_generation WHERE name IN ('companies', 'changes_purged');
DROP TABLE search_change;
