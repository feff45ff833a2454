-- +goose Up
-- Reference data: geography (régions, départements, communes) and jobs (ROME, appellations, NAF).
-- Autocomplete (see internal/platform/searchtext): *_search holds the keys a row is found by
-- (its normalized name from each word on, its codes), matched by a range scan
-- key >= q AND key < q || '~' in byte order;
-- *_search_top holds the first 10 answers of the frequent prefixes ("sa", "saint", "69"), too
-- many rows to sort at each keystroke. Both are rebuilt by the importers.
CREATE TABLE region (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    chef_lieu_insee_code TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL CHECK (zone IN ('metro', 'drom', 'com'))
);

CREATE TABLE department (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES region (code),
    chef_lieu_insee_code TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL CHECK (zone IN ('metro', 'drom', 'com'))
);
CREATE INDEX department_region_idx ON department (region_code);

-- A commune, or a municipal arrondissement when parent_code is set (Paris, Lyon, Marseille).
CREATE TABLE commune (
    insee_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    department_code TEXT NOT NULL REFERENCES department (code),
    postal_codes TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    population INTEGER NOT NULL DEFAULT 0,
    parent_code TEXT REFERENCES commune (insee_code)
) WITHOUT ROWID;
CREATE INDEX commune_department_idx ON commune (department_code);
CREATE INDEX commune_parent_idx ON commune (parent_code);
-- Searches around a point start with a latitude band.
CREATE INDEX commune_position_idx ON commune (latitude, longitude);

CREATE TABLE commune_search (
    search_key TEXT NOT NULL,
    insee_code TEXT NOT NULL REFERENCES commune (insee_code) ON DELETE CASCADE,
    -- copies of the commune's columns that filter and rank the matches, so that a range scan
    -- needs no join (codes: its postal codes and lowercase INSEE code, space-separated)
    search_name TEXT NOT NULL,
    codes TEXT NOT NULL,
    population INTEGER NOT NULL,
    PRIMARY KEY (search_key, insee_code)
) WITHOUT ROWID;
CREATE INDEX commune_search_commune_idx ON commune_search (insee_code);

CREATE TABLE commune_search_top (
    prefix TEXT NOT NULL,
    position INTEGER NOT NULL,
    insee_code TEXT NOT NULL REFERENCES commune (insee_code) ON DELETE CASCADE,
    PRIMARY KEY (prefix, position)
) WITHOUT ROWID;
CREATE INDEX commune_search_top_commune_idx ON commune_search_top (insee_code);

CREATE TABLE rome_code (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL
);

CREATE TABLE rome_appellation (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    search_text TEXT NOT NULL,
    rome_code TEXT NOT NULL REFERENCES rome_code (code)
) WITHOUT ROWID;
CREATE INDEX rome_appellation_rome_idx ON rome_appellation (rome_code);

CREATE TABLE rome_appellation_search (
    search_key TEXT NOT NULL,
    appellation_code TEXT NOT NULL REFERENCES rome_appellation (code) ON DELETE CASCADE,
    -- copies of the appellation's columns that filter and rank the matches, so that a range
    -- scan needs no join
    search_text TEXT NOT NULL,
    label_length INTEGER NOT NULL,
    PRIMARY KEY (search_key, appellation_code)
) WITHOUT ROWID;
CREATE INDEX rome_appellation_search_appellation_idx ON rome_appellation_search (appellation_code);

CREATE TABLE rome_appellation_search_top (
    prefix TEXT NOT NULL,
    position INTEGER NOT NULL,
    appellation_code TEXT NOT NULL REFERENCES rome_appellation (code) ON DELETE CASCADE,
    PRIMARY KEY (prefix, position)
) WITHOUT ROWID;
CREATE INDEX rome_appellation_search_top_appellation_idx ON rome_appellation_search_top (appellation_code);

CREATE TABLE naf_code (
    code TEXT PRIMARY KEY,
    code_compact TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL CHECK (level IN ('division', 'groupe', 'classe', 'sous-classe')),
    label TEXT NOT NULL
);

-- +goose Down
DROP TABLE naf_code;
DROP TABLE rome_appellation_search_top;
DROP TABLE rome_appellation_search;
DROP TABLE rome_appellation;
DROP TABLE rome_code;
DROP TABLE commune_search_top;
DROP TABLE commune_search;
DROP TABLE commune;
DROP TABLE department;
DROP TABLE region;
