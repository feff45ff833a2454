-- +goose Up
-- Directory of the other inclusion services (api.md §8): Dora and the Marché push their users,
-- structures and memberships through the nexus routes. Ids are '<service prefix>--<source id>'
-- (e.g. 'dora--my-id'), so two services never share a row; source is the pushing service's
-- code (the service token's). updated_at is the last push of the row: after a full sync of a
-- source, rows not refreshed since its start (nexus_sync.valid_since) are ignored by reads.
CREATE TABLE nexus_user (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('data-inclusion', 'dora', 'les-emplois', 'le-marche', 'mon-recap', 'pilotage')),
    source_id TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('', 'GUIDE', 'FACILITY_MANAGER')),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL CHECK (length(phone) <= 20),
    last_login TIMESTAMP,
    auth TEXT NOT NULL CHECK (auth IN ('DJANGO', 'MAGIC_LINK', 'INCLUSION_CONNECT', 'PRO_CONNECT')),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source, source_id)
);
-- dropdown-status looks users up by e-mail, whatever its case.
CREATE INDEX nexus_user_email_idx ON nexus_user (lower(email));

CREATE TABLE nexus_structure (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('data-inclusion', 'dora', 'les-emplois', 'le-marche', 'mon-recap', 'pilotage')),
    source_id TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    kind TEXT NOT NULL,
    siret TEXT CHECK (siret IS NULL OR length(siret) = 14),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    address_line_1 TEXT NOT NULL,
    address_line_2 TEXT NOT NULL,
    post_code TEXT NOT NULL,
    city TEXT NOT NULL,
    department TEXT NOT NULL,
    website TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    description TEXT NOT NULL,
    source_link TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source, source_id)
);

-- A user's membership of a structure, both of the same source; deleting either deletes it.
CREATE TABLE nexus_membership (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('data-inclusion', 'dora', 'les-emplois', 'le-marche', 'mon-recap', 'pilotage')),
    source_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES nexus_user (id) ON DELETE CASCADE,
    structure_id TEXT NOT NULL REFERENCES nexus_structure (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('ADMINISTRATOR', 'COLLABORATOR')),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX nexus_membership_user_idx ON nexus_membership (user_id);
CREATE INDEX nexus_membership_structure_idx ON nexus_membership (structure_id);

-- Full syncs of a source: started_at is the sync in progress (sync-start), valid_since the start
-- of the last completed one (sync-completed), the threshold below which its rows are stale.
CREATE TABLE nexus_sync (
    source TEXT PRIMARY KEY CHECK (source IN ('data-inclusion', 'dora', 'les-emplois', 'le-marche', 'mon-recap', 'pilotage')),
    started_at TIMESTAMP,
    valid_since TIMESTAMP
);

-- +goose Down
DROP TABLE nexus_sync;
DROP TABLE nexus_membership;
DROP TABLE nexus_structure;
DROP TABLE nexus_user;
