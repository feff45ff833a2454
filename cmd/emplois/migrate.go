package main

import (
	"context"
	"fmt"
)

func init() {
	c := command{name: "migrate", usage: "migrate", summary: "Apply the pending database migrations, then stop."}
	c.run = func(ctx context.Context, args []string) error {
		if err := newFlagSet(c).Parse(args); err != nil {
			return err
		}
		_, d, err := openDB(ctx)
		if err != nil {
			return err
		}
		defer d.Close()
		fmt.Printf("migrations applied (%s)\n", d.Engine)
		return nil
	}
	register(c)
}
