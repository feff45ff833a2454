-- +goose Up
-- Each instance keeps the data of the searches and of the public API listing in memory
-- (internal/search, index.go) and checks on every call that it is still current: one row per
-- part of that data, whose value a trigger raises whenever a table the part is built from is
-- written. A search reads the two rows before anything else; a change seen there makes the
-- instance rebuild its index from the database, so it holds every change committed before.
-- SQLite has one writer at a time and no deferred triggers: a plain row trigger per statement
-- kind (the PostgreSQL twin raises the counter once per transaction).
CREATE TABLE search_generation (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL DEFAULT 1
);
INSERT INTO search_generation (name) VALUES ('organizations'), ('places');

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
-- A member counts only while the account is active: only that column of users matters.
-- +goose StatementBegin
CREATE TRIGGER users_search_generation_update AFTER UPDATE OF is_active ON users
WHEN OLD.is_active IS NOT NEW.is_active BEGIN
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
CREATE TRIGGER rome_appellation_search_generation_insert AFTER INSERT ON rome_appellation BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rome_appellation_search_generation_update AFTER UPDATE ON rome_appellation BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rome_appellation_search_generation_delete AFTER DELETE ON rome_appellation BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rome_code_search_generation_insert AFTER INSERT ON rome_code BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rome_code_search_generation_update AFTER UPDATE ON rome_code BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rome_code_search_generation_delete AFTER DELETE ON rome_code BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prescriber_organization_search_generation_insert AFTER INSERT ON prescriber_organization BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prescriber_organization_search_generation_update AFTER UPDATE ON prescriber_organization BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prescriber_organization_search_generation_delete AFTER DELETE ON prescriber_organization BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'organizations';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commune_search_generation_insert AFTER INSERT ON commune BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commune_search_generation_update AFTER UPDATE ON commune BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commune_search_generation_delete AFTER DELETE ON commune BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER department_search_generation_insert AFTER INSERT ON department BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER department_search_generation_update AFTER UPDATE ON department BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER department_search_generation_delete AFTER DELETE ON department BEGIN
    UPDATE search_generation SET value = value + 1 WHERE name = 'places';
END;
-- +goose StatementEnd

-- The searches no longer count fiches in SQL: the covering indexes of 00009 only cost writes.
DROP INDEX job_description_search_company_idx;
DROP INDEX job_description_search_location_idx;

-- +goose Down
CREATE INDEX job_description_search_company_idx ON job_description (company_id, contract_type, appellation_code, updated_at)
    WHERE is_active AND location_code IS NULL;
CREATE INDEX job_description_search_location_idx ON job_description (location_code, company_id, contract_type, appellation_code, updated_at)
    WHERE is_active AND location_code IS NOT NULL;
DROP TRIGGER company_search_generation_insert;
DROP TRIGGER company_search_generation_update;
DROP TRIGGER company_search_generation_delete;
DROP TRIGGER siae_convention_search_generation_insert;
DROP TRIGGER siae_convention_search_generation_update;
DROP TRIGGER siae_convention_search_generation_delete;
DROP TRIGGER company_membership_search_generation_insert;
DROP TRIGGER company_membership_search_generation_update;
DROP TRIGGER company_membership_search_generation_delete;
DROP TRIGGER users_search_generation_update;
DROP TRIGGER job_description_search_generation_insert;
DROP TRIGGER job_description_search_generation_update;
DROP TRIGGER job_description_search_generation_delete;
DROP TRIGGER rome_appellation_search_generation_insert;
DROP TRIGGER rome_appellation_search_generation_update;
DROP TRIGGER rome_appellation_search_generation_delete;
DROP TRIGGER rome_code_search_generation_insert;
DROP TRIGGER rome_code_search_generation_update;
DROP TRIGGER rome_code_search_generation_delete;
DROP TRIGGER prescriber_organization_search_generation_insert;
DROP TRIGGER prescriber_organization_search_generation_update;
DROP TRIGGER prescriber_organization_search_generation_delete;
DROP TRIGGER commune_search_generation_insert;
DROP TRIGGER commune_search_generation_update;
DROP TRIGGER commune_search_generation_delete;
DROP TRIGGER department_search_generation_insert;
DROP TRIGGER department_search_generation_update;
DROP TRIGGER department_search_generation_delete;
DROP TABLE search_generation;
