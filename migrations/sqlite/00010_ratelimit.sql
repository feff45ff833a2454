-- +goose Up
-- Rate limits of anonymous search pages and API calls (issue 4): one fixed-window counter per
-- (key, window). key is the scope and the client address ("api:203.0.113.7"); window_start is
-- the window's first second (Unix time), so that both engines compare integers. Every instance
-- increments the same row, so the limit holds across instances behind a load balancer. Rows
-- live a few minutes: the worker purges past windows (a scan of a table that only ever holds
-- the current windows' clients, so no index beyond the primary key, which every request uses).
CREATE TABLE rate_limit_counter (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE rate_limit_counter;
