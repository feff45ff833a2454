-- +goose Up
-- The named permissions of staff accounts (actors.md §20: each self-service page of the back
-- office is behind one), granted and revoked from the command line (emplois user grant|revoke).
-- A permission is a code the application knows (account.Permissions); only staff hold them,
-- which the application checks when it grants and again when it reads.
CREATE TABLE staff_permission (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission TEXT NOT NULL CHECK (length(permission) BETWEEN 1 AND 50),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, permission)
);

-- +goose Down
DROP TABLE staff_permission;
