-- +goose Up
-- The lists of applications.md §4. The inbox under its default filter (not archived; visible:
-- created less than 2 years ago or accepted) counts its rows and finds the ids of a page, newest
-- first, from the first index alone, without reading the table or sorting; the second does the
-- same for one state. The options of the sender filters read the distinct senders of one
-- company's candidatures from the two others.
CREATE INDEX job_application_inbox_count_idx ON job_application (to_company_id, archived_at, created_at DESC, id DESC, state);
CREATE INDEX job_application_inbox_state_count_idx ON job_application (to_company_id, state, archived_at, created_at DESC, id DESC);
CREATE INDEX job_application_inbox_prescriber_idx ON job_application (to_company_id, sender_prescriber_organization_id)
    WHERE sender_prescriber_organization_id IS NOT NULL;
CREATE INDEX job_application_inbox_sender_company_idx ON job_application (to_company_id, sender_company_id)
    WHERE sender_company_id IS NOT NULL;

-- +goose Down
DROP INDEX job_application_inbox_sender_company_idx;
DROP INDEX job_application_inbox_prescriber_idx;
DROP INDEX job_application_inbox_state_count_idx;
DROP INDEX job_application_inbox_count_idx;
