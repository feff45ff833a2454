package importfile

import (
	"context"
	"fmt"
	"io"
	"io/fs"
)

// Step imports one file of a set.
type Step struct {
	File string
	Load func(context.Context, io.Reader) (Result, error)
}

// ImportFS runs the steps in order, each on its file of fsys (the demo extracts of the reference
// data, embedded in their packages).
func ImportFS(ctx context.Context, fsys fs.FS, steps []Step) error {
	for _, step := range steps {
		f, err := fsys.Open(step.File)
		if err != nil {
			return err
		}
		_, err = step.Load(ctx, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", step.File, err)
		}
	}
	return nil
}
