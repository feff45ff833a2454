-- +goose Up
-- Search around a city (actors.md §13.1-13.2, internal/search). A search reads the companies in a
-- bounding box (company_position_idx), then counts the open fiches de poste of those companies
-- and of the communes in the box, and loads one page of them. These partial indexes hold every
-- column those counts read, so that they never visit the table: fiches without a commune of
-- their own sit at their company, the others at their commune's centre. The position of a fiche
-- is joined at query time rather than copied onto job_description, so that nothing has to follow
-- a company that moves.
CREATE INDEX job_description_search_company_idx ON job_description (company_id, contract_type, appellation_code, updated_at)
    WHERE is_active AND location_code IS NULL;
CREATE INDEX job_description_search_location_idx ON job_description (location_code, company_id, contract_type, appellation_code, updated_at)
    WHERE is_active AND location_code IS NOT NULL;
-- The communes in a box with their département, from the index alone (commune is a WITHOUT
-- ROWID table: reading one more column from it is a second B-tree search per commune). It
-- replaces commune_position_idx, of which it is an extension.
CREATE INDEX commune_search_position_idx ON commune (latitude, longitude, department_code);
DROP INDEX commune_position_idx;

-- +goose Down
CREATE INDEX commune_position_idx ON commune (latitude, longitude);
DROP INDEX commune_search_position_idx;
DROP INDEX job_description_search_location_idx;
DROP INDEX job_description_search_company_idx;
