-- +goose Up
-- emplois_fold(text) is searchtext.Normalize in SQL: lowercase ASCII words, accents and
-- ligatures stripped, every other character a space; the name filters compare folded names
-- ("Hélène" is found by "helene"). SQLite has the same function, registered by the driver
-- (internal/platform/db). It uses the unaccent extension wherever the database has it (else in a
-- schema of its own, emplois_ext), named in full since a connection's search_path may leave that
-- schema out; unaccent() is not immutable (it finds its dictionary on the search path), so the
-- dictionary is named too.
-- +goose StatementBegin
DO $$
DECLARE
    ext_schema text;
BEGIN
    SELECT n.nspname INTO ext_schema FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
        WHERE e.extname = 'unaccent';
    IF ext_schema IS NULL THEN
        CREATE SCHEMA IF NOT EXISTS emplois_ext;
        CREATE EXTENSION unaccent SCHEMA emplois_ext;
        ext_schema := 'emplois_ext';
    END IF;
    EXECUTE format('CREATE FUNCTION emplois_fold(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS %L',
        format('SELECT btrim(regexp_replace(lower(%I.unaccent(%L::regdictionary, s)), ''[^a-z0-9]+'', '' '', ''g''))',
            ext_schema, ext_schema || '.unaccent'));
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION emplois_fold(text);
