-- +goose Up
-- Prescriber search reads only habilitated organizations in a bounding box (actors.md §13.2):
-- status first, then the latitude range, so that the planner does not settle for the status
-- index alone (6,000 habilitated organizations at national scale).
CREATE INDEX prescriber_organization_status_position_idx ON prescriber_organization (authorization_status, latitude, longitude);

-- +goose Down
DROP INDEX prescriber_organization_status_position_idx;
