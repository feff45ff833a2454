-- +goose Up
-- Searches a logged-in user saved (actors.md §13.1): a name unique per user (the city's name by
-- default, at most 50 characters), the search page and its query string, canonical (written by
-- internal/search, never as typed). At most 20 per user, checked by internal/savedsearch.
CREATE TABLE saved_search (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> '' AND length(name) <= 50),
    path TEXT NOT NULL CHECK (path IN ('/search/employers', '/search/job-descriptions')),
    query TEXT NOT NULL CHECK (length(query) <= 2000),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, name)
);

-- +goose Down
DROP TABLE saved_search;
