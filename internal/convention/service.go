package convention

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// « Mes annexes financières » (actors.md §4.4): what an SIAE admin sees of its convention, and the
// convention an antenna may choose.

// AnnexesPath is the page's address.
const AnnexesPath = "/company/financial-annexes"

// ActionConventionSwitched is the audit action of an antenna that chose another convention.
const ActionConventionSwitched = "company_convention_switched"

var (
	// ErrForbidden: only the admins of an SIAE following an ASP convention reach the page.
	ErrForbidden = fault.Forbidden("Cette page est réservée aux administrateurs d'une SIAE conventionnée.")
	// ErrAnnexNotFound: the annex is not one the antenna may choose.
	ErrAnnexNotFound = fault.NotFound("Cette annexe financière n'existe pas ou ne peut pas être choisie pour votre structure.")
)

// Service serves the page.
type Service struct {
	db  *db.DB
	Now func() time.Time
}

// NewService builds the service.
func NewService(d *db.DB) *Service { return &Service{db: d, Now: time.Now} }

// AnnexLine is one annex as the page shows it.
type AnnexLine struct {
	org.FinancialAnnex
	Active bool
}

// Prefix is the number without its amendment suffix, spaced: "ACI 054 18 0019".
func (a AnnexLine) Prefix() string { return DisplayPrefix(a.Number) }

// Suffix is the amendment, spaced: "A0 M1".
func (a AnnexLine) Suffix() string {
	_, r, m, ok := splitNumber(a.Number)
	if !ok {
		return ""
	}
	return fmt.Sprintf("A%d M%d", r, m)
}

// AnnexesView is the page's content.
type AnnexesView struct {
	Company *org.Company
	// Annexes are those of the company's convention, one per number prefix.
	Annexes []AnnexLine
	// Choices, for an antenna only: the annexes of the conventions it may take (same kind, signed
	// by its SIREN), one per prefix, those of its current convention included.
	Choices   []AnnexLine
	CanSwitch bool
}

var suffixRe = regexp.MustCompile(`A([0-9]+)M([0-9]+)$`)

// splitNumber cuts an annex number into its prefix and its renewal and modification numbers.
func splitNumber(number string) (prefix string, renewal, modification int, ok bool) {
	m := suffixRe.FindStringSubmatchIndex(number)
	if m == nil {
		return number, 0, 0, false
	}
	renewal, _ = strconv.Atoi(number[m[2]:m[3]])
	modification, _ = strconv.Atoi(number[m[4]:m[5]])
	return number[:m[0]], renewal, modification, true
}

// DisplayPrefix spaces an annex number's prefix: measure, département, year, order.
func DisplayPrefix(number string) string {
	prefix, _, _, _ := splitNumber(number)
	if len(prefix) < 10 {
		return prefix
	}
	n := len(prefix)
	return prefix[:n-9] + " " + prefix[n-9:n-6] + " " + prefix[n-6:n-4] + " " + prefix[n-4:]
}

// OnePerPrefix keeps one annex per number prefix: the active one, else the latest amendment
// (renewal, then modification). The result is in prefix order.
func OnePerPrefix(annexes []org.FinancialAnnex, now time.Time) []AnnexLine {
	best := map[string]AnnexLine{}
	for _, a := range annexes {
		line := AnnexLine{FinancialAnnex: a, Active: org.AnnexActive(a.State, a.EndAt, now)}
		prefix, r, m, _ := splitNumber(a.Number)
		cur, ok := best[prefix]
		if ok {
			_, cr, cm, _ := splitNumber(cur.Number)
			newer := r > cr || (r == cr && m > cm)
			if cur.Active && !line.Active || (cur.Active == line.Active && !newer) {
				continue
			}
		}
		best[prefix] = line
	}
	out := make([]AnnexLine, 0, len(best))
	for _, l := range best {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b AnnexLine) int { return strings.Compare(a.Number, b.Number) })
	return out
}

// company loads the admin's company, if it is an SIAE following an ASP convention.
func (s *Service) company(ctx context.Context, idb bun.IDB, a actor.Actor) (*org.Company, error) {
	o := a.Organization
	if o == nil || o.Type != string(org.TypeCompany) || !o.IsAdmin {
		return nil, ErrForbidden
	}
	var c org.Company
	if err := idb.NewSelect().Model(&c).Relation("Convention").Where("co.id = ?", o.ID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("convention: company %d: %w", o.ID, err)
	}
	if !c.Kind.IsSIAE() || (c.Source != org.SourceASP && c.Source != org.SourceUserCreated) {
		return nil, ErrForbidden
	}
	return &c, nil
}

// choices are the annexes an antenna may take: of its kind, on a convention signed by its SIREN.
func choices(ctx context.Context, idb bun.IDB, c *org.Company) ([]org.FinancialAnnex, error) {
	var list []org.FinancialAnnex
	siren := org.SIREN(c.SIRET)
	err := idb.NewSelect().Model(&list).Join("JOIN siae_convention AS cv ON cv.id = af.convention_id").
		Where("cv.kind = ?", c.Kind).Where("cv.siret_signature BETWEEN ? AND ?", siren+"00000", siren+"99999").
		OrderExpr("af.number").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("convention: choices of company %d: %w", c.ID, err)
	}
	return list, nil
}

// Annexes is the page of the acting admin's company.
func (s *Service) Annexes(ctx context.Context, a actor.Actor) (*AnnexesView, error) {
	c, err := s.company(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	v := &AnnexesView{Company: c, CanSwitch: c.Source == org.SourceUserCreated}
	if c.ConventionID != nil {
		var own []org.FinancialAnnex
		if err := s.db.NewSelect().Model(&own).Where("convention_id = ?", *c.ConventionID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("convention: annexes of company %d: %w", c.ID, err)
		}
		v.Annexes = OnePerPrefix(own, now)
	}
	if v.CanSwitch {
		list, err := choices(ctx, s.db, c)
		if err != nil {
			return nil, err
		}
		v.Choices = OnePerPrefix(list, now)
	}
	return v, nil
}

// SwitchConvention moves the acting admin's antenna to the convention of the annex number.
func (s *Service) SwitchConvention(ctx context.Context, a actor.Actor, number string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.company(ctx, tx, a)
		if err != nil {
			return err
		}
		if c.Source != org.SourceUserCreated {
			return ErrForbidden
		}
		list, err := choices(ctx, tx, c)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(an org.FinancialAnnex) bool { return an.Number == number })
		if i < 0 {
			return ErrAnnexNotFound
		}
		target := list[i].ConventionID
		if c.ConventionID != nil && *c.ConventionID == target {
			return nil
		}
		before := any(nil)
		if c.ConventionID != nil {
			before = *c.ConventionID
		}
		c.ConventionID, c.UpdatedAt = &target, s.Now().UTC()
		if err := updateCompany(ctx, tx, c, "convention_id"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionConventionSwitched, audit.Object{Type: "company", ID: c.UID},
			map[string]any{"annex": number, "convention_before": before, "convention_after": target})
	})
}
