-- +goose Up
-- The search index (internal/search) is patched per company instead of rebuilt whole: a write to
-- a company's rows (the company, its convention, its memberships and their users' activity, its
-- fiches de poste, the candidatures it receives and the fiches they select) records the company
-- in search_change under the transaction's number, taken from the 'companies' counter of
-- search_generation. That counter is raised at commit by deferred constraint triggers, like the
-- others of 00013: a writer takes its row lock last and keeps it until it commits, so the
-- numbers are given in commit order, and an instance that read the counter at N and then reads
-- the changes above its last applied number sees every change up to N. The reference tables
-- (ROME, prescriber organizations; communes and départements) keep raising the 'organizations'
-- and 'places' counters, which still rebuild the whole index: they change rarely.
-- 'changes_purged' is the highest number a purge removed: an instance behind it rebuilds whole.
CREATE TABLE search_change (
    seq BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    -- Seconds since the epoch: the purge keeps the last hour.
    created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now())::bigint),
    PRIMARY KEY (seq, company_id)
);
INSERT INTO search_generation (name) VALUES ('companies'), ('changes_purged');
UPDATE search_generation SET value = 0 WHERE name = 'changes_purged';

-- +goose StatementBegin
CREATE FUNCTION record_search_changes(companies BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF array_position(companies, NULL) IS NOT NULL THEN
        companies := array_remove(companies, NULL);
    END IF;
    IF cardinality(companies) = 0 THEN
        RETURN;
    END IF;
    UPDATE search_generation SET value = value + 1, tx = txid_current()
    WHERE name = 'companies' AND tx IS DISTINCT FROM txid_current();
    INSERT INTO search_change (seq, company_id)
    SELECT g.value, c FROM search_generation g, unnest(companies) c WHERE g.name = 'companies'
    ON CONFLICT DO NOTHING;
END
$$;
-- +goose StatementEnd

-- The company a row belongs to is in the column TG_ARGV[0] (before and after the write).
-- +goose StatementBegin
CREATE FUNCTION company_row_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before BIGINT;
    after BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        before := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        after := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    PERFORM record_search_changes(ARRAY[before, after]);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A convention is shared by a company and its antennas.
-- +goose StatementBegin
CREATE FUNCTION siae_convention_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    conv BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN conv := OLD.id; ELSE conv := NEW.id; END IF;
    PERFORM record_search_changes(ARRAY(SELECT co.id FROM company co WHERE co.convention_id = conv));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A member counts only while the account is active: the companies of the user's memberships.
-- +goose StatementBegin
CREATE FUNCTION users_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM record_search_changes(ARRAY(SELECT m.organization_id FROM company_membership m WHERE m.user_id = NEW.id));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A selected fiche belongs to a company (the fiche's, whatever company the candidature went to).
-- +goose StatementBegin
CREATE FUNCTION selected_job_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    jd BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN jd := OLD.job_description_id; ELSE jd := NEW.job_description_id; END IF;
    PERFORM record_search_changes(ARRAY(SELECT j.company_id FROM job_description j WHERE j.id = jd));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER company_search_generation ON company;
DROP TRIGGER siae_convention_search_generation ON siae_convention;
DROP TRIGGER company_membership_search_generation ON company_membership;
DROP TRIGGER users_search_generation ON users;
DROP TRIGGER job_description_search_generation ON job_description;

CREATE CONSTRAINT TRIGGER company_search_change AFTER INSERT OR UPDATE OR DELETE ON company
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_row_search_change('id');
CREATE CONSTRAINT TRIGGER siae_convention_search_change AFTER INSERT OR UPDATE OR DELETE ON siae_convention
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION siae_convention_search_change();
CREATE CONSTRAINT TRIGGER company_membership_search_change AFTER INSERT OR UPDATE OR DELETE ON company_membership
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_row_search_change('organization_id');
CREATE CONSTRAINT TRIGGER users_search_change AFTER UPDATE OF is_active ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION users_search_change();
CREATE CONSTRAINT TRIGGER job_description_search_change AFTER INSERT OR UPDATE OR DELETE ON job_description
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_row_search_change('company_id');
-- Candidatures: the « peu de candidatures » badge and job_app_score count them (actors.md §4.6);
-- a change of state changes neither, so only what moves a candidature in or out of a count is
-- recorded.
CREATE CONSTRAINT TRIGGER job_application_search_change AFTER INSERT OR DELETE OR UPDATE OF to_company_id, created_at
    ON job_application DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_row_search_change('to_company_id');
CREATE CONSTRAINT TRIGGER job_application_selected_job_search_change AFTER INSERT OR UPDATE OR DELETE ON job_application_selected_job
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION selected_job_search_change();

-- The index reads the candidatures of the last weeks (search/store.go).
CREATE INDEX job_application_created_idx ON job_application (created_at);

-- +goose Down
DROP INDEX job_application_created_idx;
DROP TRIGGER job_application_selected_job_search_change ON job_application_selected_job;
DROP TRIGGER job_application_search_change ON job_application;
DROP TRIGGER job_description_search_change ON job_description;
DROP TRIGGER users_search_change ON users;
DROP TRIGGER company_membership_search_change ON company_membership;
DROP TRIGGER siae_convention_search_change ON siae_convention;
DROP TRIGGER company_search_change ON company;
CREATE CONSTRAINT TRIGGER company_search_generation AFTER INSERT OR UPDATE OR DELETE ON company
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER siae_convention_search_generation AFTER INSERT OR UPDATE OR DELETE ON siae_convention
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER company_membership_search_generation AFTER INSERT OR UPDATE OR DELETE ON company_membership
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER users_search_generation AFTER UPDATE OF is_active ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION raise_search_generation('organizations');
CREATE CONSTRAINT TRIGGER job_description_search_generation AFTER INSERT OR UPDATE OR DELETE ON job_description
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_search_generation('organizations');
DROP FUNCTION selected_job_search_change();
DROP FUNCTION users_search_change();
DROP FUNCTION siae_convention_search_change();
DROP FUNCTION company_row_search_change();
DROP FUNCTION record_search_changes(BIGINT[]);
DELETE FROM search_generation WHERE name IN ('companies', 'changes_purged');
DROP TABLE search_change;
