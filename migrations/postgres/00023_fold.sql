-- +goose Up
-- emplois_fold(text) is searchtext.Normalize in SQL: lowercase ASCII words, accents and
-- ligatures stripped, every other character a space; the name filters compare folded names
-- ("Hélène" is found by "helene"). SQLite has the same function, registered by the driver
-- (internal/platform/db). unaccent() is not immutable (it reads a dictionary found on the search
-- path), so the dictionary is named.
CREATE EXTENSION IF NOT EXISTS unaccent;
-- +goose StatementBegin
CREATE FUNCTION emplois_fold(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT btrim(regexp_replace(lower(unaccent('unaccent'::regdictionary, s)), '[^a-z0-9]+', ' ', 'g'))
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION emplois_fold(text);
