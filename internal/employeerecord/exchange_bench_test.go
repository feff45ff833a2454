package employeerecord

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// BenchmarkUpload700 builds and uploads a full file (700 fiches) to a real SFTP server on a
// local port, on each engine (PostgreSQL too with TEST_DATABASE_URL; `make bench-asp`): the
// budget is under 1 s. Each round puts the fiches back to READY and empties depot, untimed.
func BenchmarkUpload700(b *testing.B) {
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) { benchUpload(b, dbtest.Open(b, engine)) })
	}
}

func benchUpload(b *testing.B, d *db.DB) {
	f := newExchangeFixture(b, d)
	ctx := context.Background()
	for i := range MaxLines {
		f.ready(fmt.Sprintf("99999%07d", i+1))
	}
	for b.Loop() {
		b.StopTimer()
		f.exec("UPDATE employee_record SET status = 'READY', asp_batch_file = NULL, asp_batch_line_number = NULL")
		for _, name := range f.files(UploadFolder) {
			os.Remove(filepath.Join(f.server.Root, UploadFolder, name))
		}
		b.StartTimer()
		rep, err := f.x.UploadRecords(ctx)
		if err != nil || rep.Sent != MaxLines {
			b.Fatalf("upload %+v %v", rep, err)
		}
	}
}
