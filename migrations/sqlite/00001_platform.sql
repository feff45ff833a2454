-- +goose Up
CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor_user_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    client_ip TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, occurred_at);
CREATE INDEX audit_event_object_idx ON audit_event (object_type, object_id, occurred_at);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);

CREATE TABLE http_session (
    token TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX http_session_expiry_idx ON http_session (expiry);

-- +goose Down
DROP TABLE http_session;
DROP TABLE mail_outbox;
DROP TABLE audit_event;
