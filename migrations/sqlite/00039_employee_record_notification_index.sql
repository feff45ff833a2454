-- +goose Up
-- employee-record-notifications/ (api.md §7) reads the notifications of a company's fiches:
-- from its candidatures to their fiches, then to each fiche's notifications, by this index
-- (the partial unique index covers only the NEW ones).
CREATE INDEX employee_record_update_notification_record_idx ON employee_record_update_notification (employee_record_id, created_at);

-- +goose Down
DROP INDEX employee_record_update_notification_record_idx;
