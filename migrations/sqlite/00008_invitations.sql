-- +goose Up
-- Invitations to join an organization (actors.md §7). One table for the three types: the target
-- is one of three foreign keys, the one matching the type, so that deleting an organization
-- deletes its invitations. uid is the random identifier of the link mailed to the invitee.
-- expires_at is computed when the invitation is sent (midnight, Paris time, starting the day
-- sent_at + validity_days: valid while sent_at's date > today - validity_days) and brought
-- forward to the moment an invitation is cancelled, or expired by the deactivation of its sender
-- or invitee, so that "pending" is one indexed comparison: accepted_at IS NULL AND expires_at > now.
CREATE TABLE invitation (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('prescriber', 'employer', 'labor_inspector')),
    email TEXT NOT NULL CHECK (email <> '' AND email = lower(email) AND length(email) <= 254),
    first_name TEXT NOT NULL CHECK (length(first_name) <= 150),
    last_name TEXT NOT NULL CHECK (length(last_name) <= 150),
    validity_days INTEGER NOT NULL DEFAULT 14 CHECK (validity_days BETWEEN 1 AND 90),
    sender_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    company_id BIGINT REFERENCES company (id) ON DELETE CASCADE,
    prescriber_organization_id BIGINT REFERENCES prescriber_organization (id) ON DELETE CASCADE,
    institution_id BIGINT REFERENCES institution (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    CONSTRAINT invitation_target_matches_kind CHECK (
        (kind = 'employer' AND company_id IS NOT NULL AND prescriber_organization_id IS NULL AND institution_id IS NULL)
        OR (kind = 'prescriber' AND prescriber_organization_id IS NOT NULL AND company_id IS NULL AND institution_id IS NULL)
        OR (kind = 'labor_inspector' AND institution_id IS NOT NULL AND company_id IS NULL AND prescriber_organization_id IS NULL)
    )
);
-- Pending invitations of an organization (the 50 limit, the "Collaborateurs" page).
CREATE INDEX invitation_company_pending_idx ON invitation (company_id, expires_at) WHERE accepted_at IS NULL AND company_id IS NOT NULL;
CREATE INDEX invitation_prescriber_pending_idx ON invitation (prescriber_organization_id, expires_at) WHERE accepted_at IS NULL AND prescriber_organization_id IS NOT NULL;
CREATE INDEX invitation_institution_pending_idx ON invitation (institution_id, expires_at) WHERE accepted_at IS NULL AND institution_id IS NOT NULL;
-- Pending invitations of an e-mail (accepted at each login of a professional).
CREATE INDEX invitation_email_idx ON invitation (email, expires_at) WHERE accepted_at IS NULL;
CREATE INDEX invitation_sender_idx ON invitation (sender_id) WHERE sender_id IS NOT NULL;

-- Values the service generates for itself and keeps across restarts and instances: in
-- development, the key signing the employer signup links when EMPLOIS_SECRET_KEY is empty.
CREATE TABLE setting (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE setting;
DROP TABLE invitation;
