-- +goose Up
-- Columns that point at users without an index: deleting a user (RGPD retention, actors.md §19)
-- would scan each of these tables.
CREATE INDEX job_description_status_change_changed_by_idx ON job_description_status_change (changed_by_user_id);
CREATE INDEX company_membership_updated_by_idx ON company_membership (updated_by_id);
CREATE INDEX prescriber_membership_updated_by_idx ON prescriber_membership (updated_by_id);
CREATE INDEX institution_membership_updated_by_idx ON institution_membership (updated_by_id);
CREATE INDEX prescriber_organization_created_by_idx ON prescriber_organization (created_by_id);
CREATE INDEX prescriber_organization_authorization_updated_by_idx ON prescriber_organization (authorization_updated_by_id);
CREATE INDEX siae_convention_reactivated_by_idx ON siae_convention (reactivated_by_id);

-- +goose Down
DROP INDEX siae_convention_reactivated_by_idx;
DROP INDEX prescriber_organization_authorization_updated_by_idx;
DROP INDEX prescriber_organization_created_by_idx;
DROP INDEX institution_membership_updated_by_idx;
DROP INDEX prescriber_membership_updated_by_idx;
DROP INDEX company_membership_updated_by_idx;
DROP INDEX job_description_status_change_changed_by_idx;
