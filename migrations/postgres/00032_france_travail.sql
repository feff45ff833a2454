-- +goose Up
-- The France Travail partner API (asp.md §4, §6.1): its OAuth2 tokens, cached in the database so
-- that every instance and the worker share one token per client until it expires; and the
-- geocoding score the agencies sync sets with their coordinates (0.8 when present, else NULL).
CREATE TABLE partner_token (
    key TEXT PRIMARY KEY,
    -- the Authorization header value, "<token_type> <access_token>"
    header TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE prescriber_organization ADD COLUMN geocoding_score DOUBLE PRECISION CHECK (geocoding_score BETWEEN 0 AND 1);

-- +goose Down
ALTER TABLE prescriber_organization DROP COLUMN geocoding_score;
DROP TABLE partner_token;
