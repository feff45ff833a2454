-- +goose Up
-- ASP reference data (internal/asp): the communes and départements the State's payment agency
-- knows, each code with validity periods [start_date, end_date) — end_date NULL is the current
-- period — and its countries. The import refuses overlapping periods of one code; a lookup by code
-- and day reads the unique (code, start_date) index backwards from the day.
CREATE TABLE asp_commune (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    ignored BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT asp_commune_period CHECK (end_date IS NULL OR end_date > start_date)
);
CREATE UNIQUE INDEX asp_commune_code_start_idx ON asp_commune (code, start_date);
-- The « commune de naissance » autocomplete: a range of normalized names, then the period.
CREATE INDEX asp_commune_search_idx ON asp_commune (search_name, start_date, end_date) WHERE NOT ignored;

CREATE TABLE asp_department (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    CONSTRAINT asp_department_period CHECK (end_date IS NULL OR end_date > start_date)
);
CREATE UNIQUE INDEX asp_department_code_start_idx ON asp_department (code, start_date);

-- Countries by their three-digit ASP code (the INSEE code 99xxx without 99; France is 100).
CREATE TABLE asp_country (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    group_code TEXT NOT NULL CHECK (group_code IN ('1', '2', '3')),
    department_code TEXT NOT NULL DEFAULT '098'
);

-- +goose Down
DROP TABLE asp_country;
DROP TABLE asp_department;
DROP TABLE asp_commune;
