-- +goose Up
-- The reminder of candidatures waiting for an answer (internal/application/reminders.go): a row
-- per candidature its company's members were reminded of, so that each is reminded once.
CREATE TABLE job_application_reminder (
    job_application_id BIGINT PRIMARY KEY REFERENCES job_application (id) ON DELETE CASCADE,
    sent_at TIMESTAMP NOT NULL
);

-- The weekly digest: the « Nouvelle candidature » mails that a member who chose the weekly mode
-- did not get, one row each, until the digest that lists them is sent.
CREATE TABLE job_application_digest_item (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    structure_type TEXT NOT NULL CHECK (structure_type IN ('company', 'prescriber')),
    structure_id BIGINT NOT NULL,
    job_application_id BIGINT NOT NULL REFERENCES job_application (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, structure_type, structure_id, job_application_id)
);
CREATE INDEX job_application_digest_item_created_idx ON job_application_digest_item (created_at);
CREATE INDEX job_application_digest_item_application_idx ON job_application_digest_item (job_application_id);

-- +goose Down
DROP TABLE job_application_digest_item;
DROP TABLE job_application_reminder;
