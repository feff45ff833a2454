// Package migrations embeds the versioned SQL schema, one folder per engine, numbered the same.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
