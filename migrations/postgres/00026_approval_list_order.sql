-- +goose Up
-- The employer's PASS IAE list is ordered by the latest hire (internal/approval/list.go): its
-- index carries the hiring day too, so that a page of a big SIAE is chosen from the index alone.
DROP INDEX job_application_hired_approval_idx;
CREATE INDEX job_application_hired_approval_idx ON job_application (to_company_id, approval_id, hiring_start_at)
    WHERE state = 'accepted' AND approval_id IS NOT NULL;

-- +goose Down
DROP INDEX job_application_hired_approval_idx;
CREATE INDEX job_application_hired_approval_idx ON job_application (to_company_id, approval_id)
    WHERE state = 'accepted' AND approval_id IS NOT NULL;
