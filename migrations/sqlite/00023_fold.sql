-- +goose Up
-- emplois_fold(text), searchtext.Normalize in SQL, is registered with the SQLite driver
-- (internal/platform/db); PostgreSQL defines it in this migration. Nothing to create here.
SELECT 1;

-- +goose Down
SELECT 1;
