package staff

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/org"
)

// UserObjectType is the object type of the audit events about an account (account package).
const UserObjectType = "user"

// HistoryLimit: the detail pages show this many events, newest first.
const HistoryLimit = 50

// Event is one line of the "Historique" of an account or an organization.
type Event struct {
	At     time.Time
	Action string
	// Label is the French name of the action ("Habilitation validée"); the action code itself
	// for actions this package does not know yet.
	Label string
	// Actor is who did it: empty for the system (imports, periodic jobs).
	ActorName     string
	ActorPublicID string
	ActorStaff    bool
	ClientIP      string
	Details       []Detail
}

// Detail is one key of an event's details, as text.
type Detail struct{ Key, Value string }

// actionLabels names the audit actions of every package in French.
var actionLabels = map[string]string{
	account.ActionSignup:              "Inscription",
	account.ActionEmailVerified:       "Adresse e-mail confirmée",
	account.ActionLogin:               "Connexion",
	account.ActionLoginFailed:         "Connexion refusée",
	account.ActionLogout:              "Déconnexion",
	account.ActionPasswordChanged:     "Mot de passe modifié",
	account.ActionStaffCreated:        "Compte administrateur créé",
	account.ActionProfessionalCreated: "Compte professionnel créé",
	account.ActionUserDeactivated:     "Compte désactivé",
	account.ActionUserReactivated:     "Compte réactivé",
	org.ActionMemberAdded:             "Membre ajouté",
	org.ActionMemberReactivated:       "Membre de nouveau rattaché",
	org.ActionMemberDeactivated:       "Membre retiré",
	org.ActionAdminGranted:            "Droits d'administrateur accordés",
	org.ActionAdminRevoked:            "Droits d'administrateur retirés",
	org.ActionCompanyCreated:          "Structure créée",
	org.ActionAntennaCreated:          "Antenne créée",
	org.ActionCompanyUpdated:          "Informations de la structure modifiées",
	org.ActionApplicationsBlocked:     "Candidatures bloquées",
	org.ActionApplicationsOpened:      "Candidatures débloquées",
	org.ActionSpontaneousOpened:       "Candidatures spontanées ouvertes",
	org.ActionSpontaneousClosed:       "Candidatures spontanées fermées",
	org.ActionPrescriberCreated:       "Organisation créée",
	org.ActionPrescriberUpdated:       "Informations de l'organisation modifiées",
	org.ActionHabilitationValidate:    "Habilitation validée",
	org.ActionHabilitationRefuse:      "Habilitation refusée",
	org.ActionPrescriberKind:          "Type d'organisation modifié",
	org.ActionInstitutionCreated:      "Institution créée",
}

// ActionLabel is the French name of an audit action, or the action itself when unknown.
func ActionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return action
}

type historyRow struct {
	OccurredAt    time.Time `bun:"occurred_at"`
	Action        string    `bun:"action"`
	ClientIP      string    `bun:"client_ip"`
	Details       string    `bun:"details"`
	ActorPublicID *string   `bun:"actor_public_id"`
	ActorEmail    *string   `bun:"actor_email"`
	ActorFirst    *string   `bun:"actor_first_name"`
	ActorLast     *string   `bun:"actor_last_name"`
	ActorKind     *string   `bun:"actor_kind"`
}

// history returns the newest events about one object with their actors, in one query (the
// audit_event (object_type, object_id, occurred_at) index serves it).
func (s *Service) history(ctx context.Context, objectType, objectID string) ([]Event, error) {
	var rows []historyRow
	err := s.db.NewRaw("SELECT e.occurred_at, e.action, e.client_ip, e.details, u.public_id AS actor_public_id,"+
		" u.email AS actor_email, u.first_name AS actor_first_name, u.last_name AS actor_last_name, u.kind AS actor_kind"+
		" FROM audit_event e LEFT JOIN users u ON u.id = e.actor_user_id"+
		" WHERE e.object_type = ? AND e.object_id = ? ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?",
		objectType, objectID, HistoryLimit).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("staff: history of %s %s: %w", objectType, objectID, err)
	}
	events := make([]Event, len(rows))
	for i, r := range rows {
		e := Event{At: r.OccurredAt, Action: r.Action, Label: ActionLabel(r.Action), ClientIP: r.ClientIP, Details: details(r.Details)}
		if r.ActorPublicID != nil {
			u := account.User{Email: deref(r.ActorEmail), FirstName: deref(r.ActorFirst), LastName: deref(r.ActorLast)}
			e.ActorName, e.ActorPublicID = u.DisplayName(), *r.ActorPublicID
			e.ActorStaff = deref(r.ActorKind) == string(account.Staff)
		}
		events[i] = e
	}
	return events, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// details turns the JSON details of an event into sorted key/value lines; values that are not
// plain text are shown as JSON.
func details(raw string) []Detail {
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil || len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Detail, 0, len(keys))
	for _, k := range keys {
		var v string
		switch x := m[k].(type) {
		case string:
			v = x
		default:
			b, _ := json.Marshal(x)
			v = string(b)
		}
		out = append(out, Detail{Key: k, Value: strings.TrimSpace(v)})
	}
	return out
}
