package staff

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/localtime"
	"emplois/internal/staff"
	"emplois/internal/web/page"
)

// userData is an account's page.
type userData struct {
	*staff.UserDetail
	Facts       page.Facts
	Memberships []membershipRow
	History     []eventRow
	// ActionURL and ActionLabel: deactivate an active account, reactivate an inactive one ("" on
	// one's own account).
	ActionURL, ActionLabel string
}

type membershipRow struct {
	URL, Name, Type, Role, JoinedAt string
	IsAdmin, IsActive               bool
}

// eventRow is one line of a history.
type eventRow struct {
	At, Label, Actor, ActorURL, ClientIP string
	Details                              []staff.Detail
}

func events(events []staff.Event) []eventRow {
	rows := make([]eventRow, len(events))
	for i, e := range events {
		row := eventRow{At: localtime.DateTime(e.At), Label: e.Label, Actor: e.ActorName, ClientIP: e.ClientIP, Details: e.Details}
		if e.ActorPublicID != "" {
			row.ActorURL = userPath(e.ActorPublicID)
		}
		if row.Actor == "" && e.ActorPublicID == "" {
			row.Actor = "Système"
		}
		rows[i] = row
	}
	return rows
}

// Account actions, as they appear in URLs.
const (
	actionDeactivate = "deactivate"
	actionReactivate = "reactivate"
)

func (h *Handler) user(w http.ResponseWriter, r *http.Request) {
	u, err := h.staff.User(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := userData{UserDetail: u, Facts: page.Facts{ID: "staff-facts"}, History: events(u.History)}
	usr := u.User
	add := d.Facts.Add
	add("Type de compte", usr.Kind.Label())
	add("Adresse e-mail", usr.Email)
	add("Civilité", usr.Title.Label())
	add("Prénom", usr.FirstName)
	add("Nom", usr.LastName)
	add("Téléphone", usr.Phone)
	add("Mode de connexion", usr.IdentityProvider.Label())
	add("Identifiant", usr.PublicID)
	add("Inscrit le", localtime.Date(usr.DateJoined))
	verified, lastLogin := "Non", "Jamais"
	if usr.EmailVerifiedAt != nil {
		verified = "Oui, le " + localtime.Date(*usr.EmailVerifiedAt)
	}
	if usr.LastLogin != nil {
		lastLogin = localtime.DateTime(*usr.LastLogin)
	}
	add("Adresse e-mail confirmée", verified)
	add("Dernière connexion", lastLogin)
	for _, m := range u.Memberships {
		a := org.Affiliation{Ref: m.Organization, IsAdmin: m.IsAdmin}
		d.Memberships = append(d.Memberships, membershipRow{URL: orgPath(m.Organization.UID), Name: m.Organization.Name,
			Type: m.Organization.Type.Label(), Role: a.RoleLabel(), JoinedAt: localtime.Date(m.JoinedAt), IsAdmin: m.IsAdmin, IsActive: m.IsActive})
	}
	switch {
	case u.IsViewer:
	case usr.IsActive:
		d.ActionURL, d.ActionLabel = userPath(usr.PublicID)+"/"+actionDeactivate, "Désactiver le compte"
	default:
		d.ActionURL, d.ActionLabel = userPath(usr.PublicID)+"/"+actionReactivate, "Réactiver le compte"
	}
	h.tpl.Render(w, r, http.StatusOK, "user.html", usr.DisplayName(), d)
}

// confirmData is the confirmation page of a back office action.
type confirmData struct {
	Title, Subtitle, Explanation, Submit string
	FormAction, CancelURL                string
	Error                                string
	// Impossible: the action cannot be done now (Error says why): no submit button.
	Impossible bool
}

func userConfirm(u *account.User, action string) (confirmData, bool) {
	d := confirmData{Subtitle: u.Email, FormAction: userPath(u.PublicID) + "/" + action, CancelURL: userPath(u.PublicID)}
	name := u.DisplayName()
	switch action {
	case actionDeactivate:
		d.Title = "Désactiver le compte de " + name
		d.Explanation = name + " ne pourra plus se connecter et ses sessions ouvertes prendront fin immédiatement. Le compte, ses rattachements et son historique sont conservés : vous pourrez le réactiver."
		d.Submit = "Désactiver le compte"
	case actionReactivate:
		d.Title = "Réactiver le compte de " + name
		d.Explanation = name + " pourra de nouveau se connecter. Ses rattachements à des organisations sont inchangés."
		d.Submit = "Réactiver le compte"
	default:
		return d, false
	}
	return d, true
}

func (h *Handler) userConfirmPage(w http.ResponseWriter, r *http.Request) {
	u, err := h.staff.User(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d, ok := userConfirm(u.User, r.PathValue("action"))
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	if u.IsViewer && r.PathValue("action") == actionDeactivate {
		d.Error, d.Impossible = account.ErrDeactivateSelf.Error(), true
	}
	h.tpl.Render(w, r, http.StatusOK, "confirm.html", d.Title, d)
}

func (h *Handler) userAction(w http.ResponseWriter, r *http.Request) {
	publicID, action := r.PathValue("public_id"), r.PathValue("action")
	var u *account.User
	var err error
	var msg string
	switch action {
	case actionDeactivate:
		u, err = h.accounts.DeactivateUser(r.Context(), h.kit.ActorOf(r), publicID)
		msg = "Le compte est désactivé : ses sessions ouvertes ont pris fin."
	case actionReactivate:
		u, err = h.accounts.ReactivateUser(r.Context(), h.kit.ActorOf(r), publicID)
		msg = "Le compte est réactivé."
	default:
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	if errors.Is(err, account.ErrDeactivateSelf) {
		target, lerr := h.accounts.ByPublicID(r.Context(), publicID)
		if lerr != nil {
			h.kit.Fail(w, r, lerr)
			return
		}
		d, _ := userConfirm(target, action)
		d.Error, d.Impossible = err.Error(), true
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "confirm.html", d.Title, d)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, msg)
	http.Redirect(w, r, userPath(u.PublicID), http.StatusSeeOther)
}
