package staff

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"emplois/internal/apitoken"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// « Jetons d'API » (api.md §1.1, issue 12 §1): staff holding the permission api_tokens list the
// département, company and service tokens, create them (the key shown once) and revoke them
// behind a confirmation. The apitoken service checks the permission, validates and audits.

// Paths of the token pages.
const apiTokensPath = "/staff/api-tokens"

func apiTokenNewPath(kind apitoken.Kind) string { return apiTokensPath + "/" + string(kind) + "/new" }
func apiTokenRevokePath(id int64) string {
	return apiTokensPath + "/" + strconv.FormatInt(id, 10) + "/revoke"
}

// apiTokensData is the list of tokens.
type apiTokensData struct {
	Families []apiTokenFamily
}

type apiTokenFamily struct {
	Kind, Title, NewURL, NewLabel string
	// LabelHeader names the label's column: a mémo, or a service token's purpose.
	LabelHeader string
	Tokens      []apiTokenRow
}

// apiTokenRow is a token as the list shows it, every fact ready.
type apiTokenRow struct {
	ID int64
	// Family is the token's family ("Jeton d'API département"); Name is its label, or else
	// its scope.
	Family, Name, LabelName string
	Label, Scope, KeyEnd    string
	Companies               []apiTokenCompany
	CreatedAt, CreatedBy    string
	RevokedAt, RevokedBy    string
	Revoked                 bool
	RevokeURL               string
}

type apiTokenCompany struct {
	URL, Name, SIRET string
}

// byWhom names who did an act: the staff member, or the command line when no one is recorded.
func byWhom(name string) string {
	if name == "" {
		return "ligne de commande"
	}
	return name
}

func apiTokenRowOf(t *apitoken.Token) apiTokenRow {
	kind := t.Kind.Label()
	row := apiTokenRow{ID: t.ID, Family: strings.ToUpper(kind[:1]) + kind[1:], LabelName: labelName(t.Kind), Label: t.Label, KeyEnd: t.KeySuffix, CreatedAt: localtime.DateTime(t.CreatedAt),
		CreatedBy: byWhom(t.CreatedBy), Revoked: t.Revoked(), RevokeURL: apiTokenRevokePath(t.ID)}
	switch t.Kind {
	case apitoken.DepartmentToken:
		row.Scope = "Département " + t.Department
	case apitoken.ServiceToken:
		row.Scope = t.Service.Label()
	}
	var names []string
	for _, c := range t.Companies {
		row.Companies = append(row.Companies, apiTokenCompany{URL: orgPath(c.UID), Name: c.Name, SIRET: c.SIRET})
		names = append(names, c.Name)
	}
	if t.Kind == apitoken.CompanyToken {
		row.Scope = strings.Join(names, ", ")
	}
	row.Name = cmp.Or(row.Label, row.Scope)
	if t.Revoked() {
		row.RevokedAt, row.RevokedBy = localtime.DateTime(*t.RevokedAt), byWhom(t.RevokedBy)
	}
	return row
}

// labelName names a token's label: a mémo, or a service token's purpose (api.md §1.1).
func labelName(k apitoken.Kind) string {
	if k == apitoken.ServiceToken {
		return "Utilisation"
	}
	return "Mémo"
}

// familyTitle is the heading of a family in the list and of its creation form.
func familyTitle(k apitoken.Kind) string {
	switch k {
	case apitoken.DepartmentToken:
		return "Jetons d'API département"
	case apitoken.CompanyToken:
		return "Jetons d'API entreprise"
	}
	return "Jetons d'API services"
}

func (h *Handler) apiTokens(w http.ResponseWriter, r *http.Request) {
	list, err := h.tokens.List(r.Context(), h.kit.ActorOf(r), "")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	var d apiTokensData
	for _, k := range apitoken.Kinds {
		f := apiTokenFamily{Kind: string(k), Title: familyTitle(k), NewURL: apiTokenNewPath(k), NewLabel: "Créer un " + k.Label(), LabelHeader: labelName(k)}
		for _, t := range list {
			if t.Kind == k {
				f.Tokens = append(f.Tokens, apiTokenRowOf(t))
			}
		}
		d.Families = append(d.Families, f)
	}
	h.tpl.Render(w, r, http.StatusOK, "api_tokens.html", "Jetons d'API", d)
}

// apiTokenNewData is the creation form of a family, or, once created, the key shown once.
type apiTokenNewData struct {
	Kind, Title string
	Form        *page.Form
	// Key is the key of the token just made; Token describes it.
	Key   string
	Token apiTokenRow
}

func apiTokenForm(kind apitoken.Kind) *page.Form {
	label := &page.Field{Name: "label", Label: "Mémo", Required: true, Autocomplete: "off",
		Hint: "Mémo permettant d'identifier l'usage du jeton, unique, " + strconv.Itoa(apitoken.MaxLabelLength) + " caractères au plus."}
	switch kind {
	case apitoken.DepartmentToken:
		return page.NewForm(&page.Field{Name: "department", Label: "Département", Required: true}, label)
	case apitoken.CompanyToken:
		return page.NewForm(&page.Field{Name: "companies", Label: "Entreprises", Required: true,
			Hint: "Une entreprise par ligne : son numéro SIRET (14 chiffres) ou, si plusieurs entreprises ont ce SIRET, son identifiant unique."}, label)
	}
	options := make([]page.Choice, len(apitoken.Partners))
	for i, p := range apitoken.Partners {
		options[i] = page.Choice{Value: string(p), Label: p.Label()}
	}
	return page.NewForm(&page.Field{Name: "service", Label: "Service", Required: true, Options: options},
		&page.Field{Name: "label", Label: "Utilisation du jeton", Autocomplete: "off", Hint: "Facultatif : à quoi sert ce jeton."})
}

// apiTokenKind reads the family of the path; ok is false for anything else.
func apiTokenKind(r *http.Request) (apitoken.Kind, bool) {
	k := apitoken.Kind(r.PathValue("kind"))
	return k, slices.Contains(apitoken.Kinds, k)
}

func (h *Handler) renderAPITokenNew(w http.ResponseWriter, r *http.Request, status int, d apiTokenNewData) {
	title := "Créer un " + apitoken.Kind(d.Kind).Label()
	if d.Key != "" {
		title = "Jeton d'API créé"
	}
	// A key shown must not stay in a cache or the browser's history.
	w.Header().Set("Cache-Control", "no-store")
	h.tpl.Render(w, r, status, "api_token_new.html", title, d)
}

// departmentOptions fills the département select from the reference list.
func (h *Handler) departmentOptions(r *http.Request, f *page.Form) error {
	fld, ok := f.Fields["department"]
	if !ok {
		return nil
	}
	depts, err := h.cities.Departments(r.Context())
	if err != nil {
		return err
	}
	for _, d := range depts {
		fld.Options = append(fld.Options, page.Choice{Value: d.Code, Label: d.Code + " - " + d.Name})
	}
	return nil
}

func (h *Handler) apiTokenNewPage(w http.ResponseWriter, r *http.Request) {
	kind, ok := apiTokenKind(r)
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	if err := h.tokens.Allow(r.Context(), h.kit.ActorOf(r)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := apiTokenForm(kind)
	if err := h.departmentOptions(r, f); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderAPITokenNew(w, r, http.StatusOK, apiTokenNewData{Kind: string(kind), Title: familyTitle(kind), Form: f})
}

func (h *Handler) createAPIToken(w http.ResponseWriter, r *http.Request) {
	kind, ok := apiTokenKind(r)
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	a := h.kit.ActorOf(r)
	if err := h.tokens.Allow(r.Context(), a); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := apiTokenForm(kind)
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	if err := h.departmentOptions(r, f); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := apiTokenNewData{Kind: string(kind), Title: familyTitle(kind), Form: f}
	v := func(name string) string {
		if fld, ok := f.Fields[name]; ok {
			return fld.Value
		}
		return ""
	}
	in := apitoken.FamilyInput{Kind: kind, Label: v("label"), Department: v("department"), Service: apitoken.Partner(v("service"))}
	for _, line := range strings.FieldsFunc(v("companies"), func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if line = strings.TrimSpace(line); line != "" {
			in.Companies = append(in.Companies, line)
		}
	}
	// The département must be one of the reference list the select offers; the other fields'
	// errors show with that one.
	if dept := f.Fields["department"]; dept != nil && dept.Value != "" &&
		!slices.ContainsFunc(dept.Options, func(c page.Choice) bool { return c.Value == dept.Value }) {
		f.Show(apitoken.ValidateFamily(in))
		dept.Error = "Choisissez un département dans la liste."
	}
	if f.HasErrors() {
		h.renderAPITokenNew(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	out, err := h.tokens.CreateFamily(r.Context(), a, in)
	if err != nil {
		if !f.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderAPITokenNew(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	t, err := h.tokens.Get(r.Context(), a, out.Token.ID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d.Key, d.Token = out.Key, apiTokenRowOf(t)
	h.renderAPITokenNew(w, r, http.StatusOK, d)
}

// apiTokenRevokeData is the confirmation of a revocation.
type apiTokenRevokeData struct {
	Family string
	Token  apiTokenRow
	Error  string
}

func (h *Handler) apiTokenByPath(w http.ResponseWriter, r *http.Request) (*apitoken.Token, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.kit.Error(w, r, http.StatusNotFound)
		return nil, false
	}
	t, err := h.tokens.Get(r.Context(), h.kit.ActorOf(r), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	return t, true
}

func (h *Handler) renderAPITokenRevoke(w http.ResponseWriter, r *http.Request, status int, t *apitoken.Token, msg string) {
	d := apiTokenRevokeData{Family: t.Kind.Label(), Token: apiTokenRowOf(t), Error: msg}
	h.tpl.Render(w, r, status, "api_token_revoke.html", "Révoquer un "+t.Kind.Label(), d)
}

func (h *Handler) apiTokenRevokePage(w http.ResponseWriter, r *http.Request) {
	t, ok := h.apiTokenByPath(w, r)
	if !ok {
		return
	}
	msg := ""
	if t.Revoked() {
		msg = apitoken.ErrAlreadyRevoked.Error()
	}
	h.renderAPITokenRevoke(w, r, http.StatusOK, t, msg)
}

func (h *Handler) revokeAPIToken(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	t, ok := h.apiTokenByPath(w, r)
	if !ok {
		return
	}
	if err := h.tokens.Revoke(r.Context(), h.kit.ActorOf(r), t.ID); err != nil {
		if errors.Is(err, apitoken.ErrAlreadyRevoked) {
			h.renderAPITokenRevoke(w, r, http.StatusConflict, t, err.Error())
			return
		}
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Le "+t.Kind.Label()+" « "+apiTokenRowOf(t).Name+" » est révoqué : sa clé ne donne plus accès à l'API.")
	http.Redirect(w, r, apiTokensPath, http.StatusSeeOther)
}
