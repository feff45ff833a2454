-- +goose Up
-- The employer's PASS IAE list (internal/approval/list.go): the PASS of a company's accepted
-- candidatures, read from the index alone whatever the number of PASS in the country.
CREATE INDEX job_application_hired_approval_idx ON job_application (to_company_id, approval_id)
    WHERE state = 'accepted' AND approval_id IS NOT NULL;

-- +goose Down
DROP INDEX job_application_hired_approval_idx;
