-- +goose Up
-- The lists of applications.md §4. The inbox counts its rows under the default filters (not
-- archived, visible: created less than 2 years ago or accepted) from this index alone, without
-- reading the table; the options of the sender filters read the distinct senders of one
-- company's candidatures from the two others.
CREATE INDEX job_application_inbox_count_idx ON job_application (to_company_id, archived_at, created_at, state);
CREATE INDEX job_application_inbox_prescriber_idx ON job_application (to_company_id, sender_prescriber_organization_id)
    WHERE sender_prescriber_organization_id IS NOT NULL;
CREATE INDEX job_application_inbox_sender_company_idx ON job_application (to_company_id, sender_company_id)
    WHERE sender_company_id IS NOT NULL;

-- +goose Down
DROP INDEX job_application_inbox_sender_company_idx;
DROP INDEX job_application_inbox_prescriber_idx;
DROP INDEX job_application_inbox_count_idx;
