-- +goose Up
-- Background jobs, written in the transaction of the business change (transactional outbox).
-- run_at is when the row is next due for a claim: for a pending job, when it may run; for a
-- running job, the end of its lease (= locked_until), after which another worker reclaims it
-- (its worker died). claimed_by fences late completions.
CREATE TABLE job (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 10,
    locked_until TIMESTAMP,
    claimed_by TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
-- The claim reads the first row of this index (status IN ('pending', 'running') AND run_at <= now,
-- ORDER BY run_at, id): no sort however long the backlog, and finished jobs are not in it.
-- The purge reads finished rows by finished_at.
CREATE INDEX job_due_idx ON job (run_at, id) WHERE status IN ('pending', 'running');
CREATE INDEX job_finished_idx ON job (finished_at) WHERE finished_at IS NOT NULL;

-- Periodic tasks: one row per task; an instance runs a task only after moving next_run_at
-- forward with a conditional UPDATE, so each period runs once across all instances.
CREATE TABLE periodic_task (
    name TEXT PRIMARY KEY,
    next_run_at TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP
);

-- The mail purge (actors.md §19: outgoing mail log kept 62 days) reads rows by creation date.
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at);

-- +goose Down
DROP INDEX mail_outbox_created_idx;
DROP TABLE periodic_task;
DROP TABLE job;
