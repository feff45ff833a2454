package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// The searches of organizations across the three families (one UNION per search).

// searchOrganizations finds organizations of every family: by SIRET (or SIREN) prefix when q is
// digits, else by name (case-insensitive substring). At most limit rows, by name.
func searchOrganizations(ctx context.Context, idb bun.IDB, q string, limit int) ([]refRow, error) {
	digits := NormalizeSIRET(q)
	parts := make([]string, 0, len(Types))
	var args []any
	for _, t := range Types {
		sel := "SELECT " + orgColumns(t) + " FROM " + orgFrom(t)
		switch {
		case allDigits(digits) && t != TypeInstitution:
			lo, hi := sirenRange(digits)
			sel += " WHERE o.siret >= ? AND o.siret < ?"
			args = append(args, lo, hi)
		case allDigits(digits):
			continue
		default:
			sel += " WHERE lower(o.name) LIKE ? ESCAPE '\\'"
			args = append(args, "%"+likeEscape(strings.ToLower(q))+"%")
			if t == TypeCompany {
				sel += " OR lower(o.brand) LIKE ? ESCAPE '\\'"
				args = append(args, "%"+likeEscape(strings.ToLower(q))+"%")
			}
		}
		parts = append(parts, sel)
	}
	var rows []refRow
	query := "SELECT * FROM (" + strings.Join(parts, " UNION ALL ") + ") found ORDER BY lower(name), id LIMIT ?"
	args = append(args, limit)
	if err := idb.NewRaw(query, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("org: search: %w", err)
	}
	return rows, nil
}

// searchForStaff returns one page of the organizations matching q (see Service.SearchForStaff)
// and how many match in all.
func searchForStaff(ctx context.Context, idb bun.IDB, q string, offset, limit int) ([]refRow, int, error) {
	digits := NormalizeSIRET(q)
	_, uuidErr := uuid.Parse(q)
	parts := make([]string, 0, len(Types))
	var args []any
	for _, t := range Types {
		sel := "SELECT " + orgColumns(t) + " FROM " + orgFrom(t)
		switch {
		case uuidErr == nil:
			sel += " WHERE o.uid = ?"
			args = append(args, strings.ToLower(q))
		case allDigits(digits) && t == TypeInstitution:
			continue
		case allDigits(digits):
			lo, hi := sirenRange(digits)
			sel += " WHERE (o.siret >= ? AND o.siret < ?"
			args = append(args, lo, hi)
			if t == TypePrescriber && SAFIRProblem(digits) == "" {
				sel += " OR o.code_safir = ?"
				args = append(args, digits)
			}
			sel += ")"
		default:
			like := "%" + likeEscape(strings.ToLower(q)) + "%"
			sel += ` WHERE (lower(o.name) LIKE ? ESCAPE '\'`
			args = append(args, like)
			if t == TypeCompany {
				sel += ` OR lower(o.brand) LIKE ? ESCAPE '\'`
				args = append(args, like)
			}
			sel += ")"
		}
		parts = append(parts, sel)
	}
	union := strings.Join(parts, " UNION ALL ")
	var total int
	if err := idb.NewRaw("SELECT COUNT(*) FROM ("+union+") found", args...).Scan(ctx, &total); err != nil {
		return nil, 0, fmt.Errorf("org: count staff search: %w", err)
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	var rows []refRow
	err := idb.NewRaw("SELECT * FROM ("+union+") found ORDER BY lower(name), org_type, id LIMIT ? OFFSET ?",
		append(args, limit, offset)...).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("org: staff search: %w", err)
	}
	return rows, total, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
