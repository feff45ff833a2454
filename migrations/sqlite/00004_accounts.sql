-- +goose Up
-- Accounts (actors.md §2.1). Three stored kinds; a professional's role comes from the organization
-- selected in the session, not from this table. email is stored trimmed and lowercased by the
-- account package, so the plain UNIQUE constraint is case-insensitive; NULL only for anonymised
-- professionals (actors.md §19). password_hash is a PHC argon2id string, '' for accounts without a
-- usable password (SSO, created by proxy). session_version grows at every password change and
-- deactivation: sessions opened before are logged out.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE CHECK (email = lower(email)),
    kind TEXT NOT NULL CHECK (kind IN ('job_seeker', 'professional', 'itou_staff')),
    identity_provider TEXT NOT NULL DEFAULT 'DJANGO' CHECK (identity_provider IN ('DJANGO', 'FC', 'PC', 'FTC')),
    password_hash TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '' CHECK (title IN ('', 'M', 'MME')),
    first_name TEXT NOT NULL DEFAULT '' CHECK (length(first_name) <= 150),
    last_name TEXT NOT NULL DEFAULT '' CHECK (length(last_name) <= 150),
    phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 20),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    email_verified_at TIMESTAMP,
    date_joined TIMESTAMP NOT NULL,
    last_login TIMESTAMP,
    first_login TIMESTAMP,
    password_changed_at TIMESTAMP,
    session_version INTEGER NOT NULL DEFAULT 0,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- DJANGO (e-mail and password) fits any kind; FranceConnect and France Travail Connect are for
    -- job seekers only, ProConnect for professionals only (actors.md §2.1).
    CONSTRAINT users_identity_provider_kind CHECK (
        identity_provider = 'DJANGO'
        OR (identity_provider IN ('FC', 'FTC') AND kind = 'job_seeker')
        OR (identity_provider = 'PC' AND kind = 'professional')
    )
);
CREATE INDEX users_created_by_idx ON users (created_by_id) WHERE created_by_id IS NOT NULL;

-- One-time links sent by e-mail. Only the SHA-256 of the token is stored, so a database leak
-- gives no usable link.
CREATE TABLE user_token (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX user_token_user_idx ON user_token (user_id, purpose, created_at);
CREATE INDEX user_token_expires_idx ON user_token (expires_at);

-- Failed logins, for throttling across every instance. account_key is the SHA-256 of the
-- normalized e-mail typed, known or not, so that the throttle neither stores unknown e-mails nor
-- tells which ones exist. A successful login deletes its account's rows.
CREATE TABLE login_attempt (
    id INTEGER PRIMARY KEY,
    attempted_at TIMESTAMP NOT NULL,
    account_key TEXT NOT NULL,
    client_ip TEXT NOT NULL
);
CREATE INDEX login_attempt_account_idx ON login_attempt (account_key, attempted_at);
CREATE INDEX login_attempt_ip_idx ON login_attempt (client_ip, attempted_at);
CREATE INDEX login_attempt_time_idx ON login_attempt (attempted_at);

-- +goose Down
DROP TABLE login_attempt;
DROP TABLE user_token;
DROP TABLE users;
