package eligibility

import (
	"net/http"
	"time"

	"emplois/internal/eligibility"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// criteriaForm is the one criteria form of the room (§2.3, §2.6): the IAE criteria grouped by
// level or the GEIQ ones by annex, each a checkbox named by its key, with the domain's errors
// (on a criterion, or on the criteria as a whole) and the certification badges of a diagnosis
// being updated.
type criteriaForm struct {
	Form   *page.Form // one field per criterion key, and eligibility.CriteriaField
	Groups []criteriaGroup
	keys   []string // every key of the form, in order
	// Shrouded: a valid diagnosis exists; its criteria change only when Revealed (§2.2).
	Shrouded, Revealed bool
	// Prefilled: the criteria were ticked from a profile checked less than 24 hours ago.
	Prefilled bool
}

type criteriaGroup struct {
	Legend string
	Items  []criterionItem
}

type criterionItem struct {
	Field   *page.Field
	Checked bool
	Badge   string
}

// revealField is the checkbox that opens the criteria of a valid diagnosis to a change.
const revealField = "reveal"

// criteriaFieldLabel names the criteria as a whole in the error summary.
const criteriaFieldLabel = "Critères administratifs"

func newCriteriaForm() *criteriaForm {
	return &criteriaForm{}
}

// add appends a criterion to the group of legend (groups keep their first appearance's order).
func (c *criteriaForm) add(legend, key, name string, checked bool, badge string) {
	f := &page.Field{Name: key, Label: name}
	c.keys = append(c.keys, key)
	if n := len(c.Groups); n == 0 || c.Groups[n-1].Legend != legend {
		c.Groups = append(c.Groups, criteriaGroup{Legend: legend})
	}
	g := &c.Groups[len(c.Groups)-1]
	g.Items = append(g.Items, criterionItem{Field: f, Checked: checked, Badge: badge})
}

// finish builds the page.Form of the criteria, for the error summary.
func (c *criteriaForm) finish() *criteriaForm {
	fields := []*page.Field{{Name: eligibility.CriteriaField, Label: criteriaFieldLabel}}
	for _, g := range c.Groups {
		for _, it := range g.Items {
			fields = append(fields, it.Field)
		}
	}
	c.Form = page.NewForm(fields...)
	return c
}

// iaeCriteria is the IAE form with the criteria of these keys ticked; badges name the
// certification of a criterion by key.
func iaeCriteria(cat *eligibility.Catalog, checked []string, badges map[string]string) *criteriaForm {
	on := set(checked)
	c := newCriteriaForm()
	for _, cr := range cat.IAE {
		c.add("Critères administratifs de "+levelLabel(cr.Level), cr.Key(), cr.Name, on[cr.Key()], badges[cr.Key()])
	}
	return c.finish()
}

func levelLabel(l eligibility.Level) string {
	if l == eligibility.Level1 {
		return "niveau 1"
	}
	return "niveau 2"
}

// geiqCriteria is the GEIQ form with the criteria of these keys ticked, by annex.
func geiqCriteria(cat *eligibility.Catalog, checked []string) *criteriaForm {
	on := set(checked)
	c := newCriteriaForm()
	for _, annex := range []eligibility.Annex{eligibility.Annex2, eligibility.Annex1And2, eligibility.Annex1, eligibility.AnnexNone} {
		for _, cr := range cat.GEIQ {
			if cr.Annex == annex {
				legend := annex.Label()
				if cr.Level != "" {
					legend += " – " + levelLabel(cr.Level)
				}
				c.add(legend, cr.Key(), cr.Name, on[cr.Key()], "")
			}
		}
	}
	return c.finish()
}

// read ticks the criteria posted (the body is parsed) and returns their keys.
func (c *criteriaForm) read(r *http.Request) []string {
	var keys []string
	for gi := range c.Groups {
		for ii := range c.Groups[gi].Items {
			it := &c.Groups[gi].Items[ii]
			it.Checked = r.PostForm.Get(it.Field.Name) != ""
			if it.Checked {
				keys = append(keys, it.Field.Name)
			}
		}
	}
	c.Revealed = r.PostForm.Get(revealField) != ""
	return keys
}

func set(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// diagnosisView is a diagnosis as the pages show it: ready French values.
type diagnosisView struct {
	ID                   int64
	Author, Organization string
	AuthorKind           string
	CreatedOn, ExpiresOn string
	Valid                bool
	Criteria             []criterionView
	Allowance            string // GEIQ only
	URL, UpdateURL       string
}

type criterionView struct{ Name, Badge string }

// iaeView shows an IAE diagnosis on today, with the certification badge of each criterion.
func iaeView(d *eligibility.Diagnosis, author eligibility.Author, today time.Time) *diagnosisView {
	v := baseView(&d.DiagnosisBase, author, today)
	v.URL = eligibility.DiagnosisPath(d.ID)
	for _, s := range d.Criteria {
		v.Criteria = append(v.Criteria, criterionView{Name: s.Criterion.Name, Badge: badge(s, d.ExpiresAt, today)})
	}
	return v
}

// badge is the certification badge of a selected criterion (§2.5): « en cours » until an API
// has answered, then what it said.
func badge(s eligibility.Selected[eligibility.Criterion], expiresAt, today time.Time) string {
	return eligibility.CertificationBadge(s.Criterion.Kind, s, nil, expiresAt, today).Label()
}

// geiqView shows a GEIQ diagnosis with its allowance; the informational criteria of annex 0
// are left out (§1.2).
func geiqView(d *eligibility.GEIQDiagnosis, author eligibility.Author, today time.Time) *diagnosisView {
	v := baseView(&d.DiagnosisBase, author, today)
	v.URL = eligibility.GEIQDiagnosisPath(d.ID)
	for _, s := range d.Criteria {
		if !s.Criterion.Informational() {
			v.Criteria = append(v.Criteria, criterionView{Name: s.Criterion.Name})
		}
	}
	v.Allowance = eligibility.AllowanceLabel(d.Allowance())
	return v
}

func baseView(d *eligibility.DiagnosisBase, author eligibility.Author, today time.Time) *diagnosisView {
	return &diagnosisView{ID: d.ID, Author: author.Name, Organization: author.Organization, AuthorKind: d.AuthorKind.Label(),
		CreatedOn: localtime.Date(d.CreatedAt), ExpiresOn: localtime.Date(d.ExpiresAt.AddDate(0, 0, -1)), Valid: d.IsValid(today)}
}
