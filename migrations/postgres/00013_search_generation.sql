-- +goose Up
-- Each instance keeps the data of the searches and of the public API listing in memory
-- (internal/search, index.go) and checks on every call that it is still current: one row per
-- part of that data, whose value a trigger raises in every transaction that writes a table the
-- part is built from. A search reads the two rows before anything else; a change seen there
-- makes the instance rebuild its index from the database, so it holds every change committed
-- before. The counter is raised at commit (deferred constraint triggers), so a reader that sees
-- the new value also sees the data, and a writer takes the counter's row lock last, after every
-- other lock of its transaction: two writers never wait on each other through it in a cycle.
-- `tx` makes a transaction raise the counter once, however many rows it writes.
CREATE TABLE search_generation (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL DEFAULT 1,
    tx BIGINT
);
INSERT INTO search_generation (name) VALUES ('organizations'), ('places');

-- +goose StatementBegin
CREATE FUNCTION raise_search_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_generation SET value = value + 1, tx = txid_current()
    WHERE name = TG_ARGV[0] AND tx IS DISTINCT FROM txid_current();
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER company_search_generation AFTER INSERT OR UPDATE OR DELETE ON company
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER siae_convention_search_generation AFTER INSERT OR UPDATE OR DELETE ON siae_convention
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER company_membership_search_generation AFTER INSERT OR UPDATE OR DELETE ON company_membership
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
-- A member counts only while the account is active: only that column of users matters.
CREATE CONSTRAINT TRIGGER users_search_generation AFTER UPDATE OF is_active ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER job_description_search_generation AFTER INSERT OR UPDATE OR DELETE ON job_description
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER rome_appellation_search_generation AFTER INSERT OR UPDATE OR DELETE ON rome_appellation
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER rome_code_search_generation AFTER INSERT OR UPDATE OR DELETE ON rome_code
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER prescriber_organization_search_generation AFTER INSERT OR UPDATE OR DELETE ON prescriber_organization
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER commune_search_generation AFTER INSERT OR UPDATE OR DELETE ON commune
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('places');
CREATE CONSTRAINT TRIGGER department_search_generation AFTER INSERT OR UPDATE OR DELETE ON department
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('places');

-- The searches no longer count fiches in SQL: the covering indexes of 00009 only cost writes.
DROP INDEX job_description_search_company_idx;
DROP INDEX job_description_search_location_idx;

-- +goose Down
CREATE INDEX job_description_search_company_idx ON job_description (company_id, contract_type, appellation_code, updated_at, id)
    WHERE is_active AND location_code IS NULL;
CREATE INDEX job_description_search_location_idx ON job_description (location_code COLLATE "C", company_id, contract_type, appellation_code, updated_at, id)
    WHERE is_active AND location_code IS NOT NULL;
DROP TRIGGER department_search_generation ON department;
DROP TRIGGER commune_search_generation ON commune;
DROP TRIGGER prescriber_organization_search_generation ON prescriber_organization;
DROP TRIGGER rome_code_search_generation ON rome_code;
DROP TRIGGER rome_appellation_search_generation ON rome_appellation;
DROP TRIGGER job_description_search_generation ON job_description;
DROP TRIGGER users_search_generation ON users;
DROP TRIGGER company_membership_search_generation ON company_membership;
DROP TRIGGER siae_convention_search_generation ON siae_convention;
DROP TRIGGER company_search_generation ON company;
DROP FUNCTION raise_search_generation();
DROP TABLE search_generation;
