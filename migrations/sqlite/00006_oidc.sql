-- +goose Up
-- Pending OpenID Connect logins (ProConnect, actors.md §11). One row per click on the ProConnect
-- button: the state comes back from the browser, so only its SHA-256 is stored (it is the lookup
-- key); the nonce and the PKCE verifier never leave the server and are sent to the provider in
-- clear, so they are stored as is. A row is used once (used_at), refused after expires_at, and
-- deleted by a periodic purge.
CREATE TABLE oidc_state (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    state_hash TEXT NOT NULL UNIQUE,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX oidc_state_created_idx ON oidc_state (created_at);

-- The identity provider's subject (OpenID `sub`) of SSO accounts, "username" in les-emplois
-- (actors.md §2.1); NULL for password accounts. One account per (provider, sub).
ALTER TABLE users ADD COLUMN username TEXT CHECK (length(username) <= 255);
CREATE UNIQUE INDEX users_provider_username_idx ON users (identity_provider, username) WHERE username IS NOT NULL;

-- +goose Down
DROP INDEX users_provider_username_idx;
ALTER TABLE users DROP COLUMN username;
DROP TABLE oidc_state;
