-- +goose Up
-- Credentials of the partner API (api.md §1.1): one table for the four families. Keys are never
-- stored: key_hash is the hex SHA-256 of the key (keys are random, 160 bits and more, so a plain
-- hash is enough to look them up and useless to whoever reads the table), key_suffix its last 3
-- characters, the only part the pages show again (§1.2, §10 Q12).
-- A user token (kind 'user', one per user) keeps key_seed: its key is an HMAC of the seed under
-- the instance's secret key, so that token-auth can answer the same key again (§1.3) while the
-- table alone does not give it away. Department and company tokens carry a label (≤ 60, unique
-- per family), service tokens a service and a free-text purpose (also in label).
-- Revoking a token deletes its row (the original deletes it too); the audit trail keeps the act.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'department', 'company', 'service')),
    key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    key_suffix TEXT NOT NULL CHECK (length(key_suffix) = 3),
    key_seed TEXT CHECK ((kind = 'user') = (key_seed IS NOT NULL)),
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE CHECK ((kind = 'user') = (user_id IS NOT NULL)),
    department TEXT NOT NULL DEFAULT '' CHECK ((kind = 'department') = (department <> '')),
    service TEXT NOT NULL DEFAULT '' CHECK (service IN ('', 'data-inclusion', 'dora', 'les-emplois', 'le-marche', 'mon-recap', 'pilotage')
        AND (kind = 'service') = (service <> '')),
    label TEXT NOT NULL DEFAULT '' CHECK (kind NOT IN ('department', 'company') OR (label <> '' AND length(label) <= 60)),
    created_at TIMESTAMP NOT NULL,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX api_token_label_key ON api_token (kind, label) WHERE kind IN ('department', 'company');

-- The companies a company token reads (a GEIQ federation's list, api.md §6).
CREATE TABLE api_token_company (
    token_id BIGINT NOT NULL REFERENCES api_token (id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, company_id)
);
CREATE INDEX api_token_company_company_idx ON api_token_company (company_id);

-- +goose Down
DROP TABLE api_token_company;
DROP TABLE api_token;
