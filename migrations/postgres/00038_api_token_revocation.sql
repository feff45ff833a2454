-- +goose Up
-- Revoking a département, company or service token keeps its row, marked revoked, so that the
-- back office lists it with who revoked it and when (issue 12 §1); Authenticate reads only rows
-- without revoked_at. User tokens are still deleted when regenerated or removed (one per user).
-- A revoked token's mémo may be given again to a new token.
ALTER TABLE api_token ADD COLUMN revoked_at TIMESTAMPTZ;
ALTER TABLE api_token ADD COLUMN revoked_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
DROP INDEX api_token_label_key;
CREATE UNIQUE INDEX api_token_label_key ON api_token (kind, label) WHERE kind IN ('department', 'company') AND revoked_at IS NULL;

-- +goose Down
DROP INDEX api_token_label_key;
DELETE FROM api_token WHERE revoked_at IS NOT NULL;
CREATE UNIQUE INDEX api_token_label_key ON api_token (kind, label) WHERE kind IN ('department', 'company');
ALTER TABLE api_token DROP COLUMN revoked_by_id;
ALTER TABLE api_token DROP COLUMN revoked_at;
