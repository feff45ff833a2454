package org

import (
	"context"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestSchema_RefusesHabilitationsAndSIRETsTheRulesForbid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ins := func(kind, status string) error {
			_, err := d.NewRaw("INSERT INTO prescriber_organization (uid, siret, kind, name, authorization_status, created_at, updated_at) VALUES (?, '12345678901234', ?, 'X', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", kind+status, kind, status).Exec(ctx)
			return err
		}
		if err := ins("OTHER", "VALIDATED"); err == nil {
			t.Error("VALIDATED OTHER accepted")
		}
		if err := ins("ML", "NOT_REQUIRED"); err == nil {
			t.Error("NOT_REQUIRED ML accepted")
		}
		if err := ins("ML", "VALIDATED"); err != nil {
			t.Error(err)
		}
		if _, err := d.NewRaw("INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES ('a', '1234567890123A', 'EI', 'X', 'ASP', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Exec(ctx); err == nil {
			t.Error("bad siret accepted")
		}
	})
}
