-- +goose Up
-- Which identity provider set which field of an account, and when (actors.md §2.1
-- external_data_source_history): a JSON list of {"field", "source", "at"}, NULL when no provider
-- ever set one. The fields FranceConnect gave a job seeker are read-only on their profile (§11).
ALTER TABLE users ADD COLUMN external_data_source_history TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN external_data_source_history;
