package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// NotificationKind is a class of mail a professional may turn off per structure (§2.4).
type NotificationKind string

const (
	NotifyNewApplication NotificationKind = "new_application" // employer side; may be weekly
	NotifySent           NotificationKind = "sent"            // proxy's copy of a submission
	NotifyPostponed      NotificationKind = "postponed"
	NotifyPool           NotificationKind = "pool"
	NotifyAccepted       NotificationKind = "accepted"
	NotifyRefused        NotificationKind = "refused"
	NotifyCancelled      NotificationKind = "cancelled"
	NotifyTransferred    NotificationKind = "transferred"
	NotifyReminder       NotificationKind = "reminder"
)

// NotificationKinds are the manageable kinds with their French names, in the settings' order.
var NotificationKinds = []struct {
	Kind  NotificationKind
	Label string
}{
	{NotifyNewApplication, "Nouvelle candidature reçue"},
	{NotifySent, "Confirmation d'envoi de candidature"},
	{NotifyPostponed, "Candidature mise en attente"},
	{NotifyPool, "Candidature ajoutée au vivier"},
	{NotifyAccepted, "Candidature acceptée"},
	{NotifyRefused, "Candidature déclinée"},
	{NotifyCancelled, "Embauche annulée"},
	{NotifyTransferred, "Candidature transférée"},
	{NotifyReminder, "Rappel des candidatures en attente"},
}

// Notification modes: a mail each time, none, or (new candidatures only) one weekly digest
// listing them (reminders.go).
const (
	ModeOn     = ""
	ModeOff    = "off"
	ModeWeekly = "weekly"
)

// structure is the organization a professional recipient is mailed about.
type structure struct {
	Type string // "company" or "prescriber"
	ID   int64
}

func (st structure) membershipTable() string {
	if st.Type == "company" {
		return "company_membership"
	}
	return "prescriber_membership"
}

// mode is the recipient's setting for this kind and structure.
func mode(ctx context.Context, idb bun.IDB, userID int64, st structure, kind NotificationKind) (string, error) {
	var modes []string
	err := idb.NewSelect().Table("job_application_notification_setting").Column("mode").
		Where("user_id = ?", userID).Where("structure_type = ?", st.Type).Where("structure_id = ?", st.ID).
		Where("kind = ?", kind).Scan(ctx, &modes)
	if err != nil {
		return "", fmt.Errorf("application: notification setting: %w", err)
	}
	if len(modes) == 0 {
		return ModeOn, nil
	}
	return modes[0], nil
}

// admins are the active admins of a structure with an e-mail.
func admins(ctx context.Context, idb bun.IDB, st structure) ([]*person, error) {
	var list []*person
	err := idb.NewSelect().Model(&list).
		Join("JOIN "+st.membershipTable()+" AS m ON m.user_id = u.id").
		Where("m.organization_id = ?", st.ID).Where("m.is_active").Where("m.is_admin").Where("u.is_active").
		OrderExpr("u.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: admins: %w", err)
	}
	return list, nil
}

// companyMembers are the active members of a company.
func companyMembers(ctx context.Context, idb bun.IDB, companyID int64) ([]*person, error) {
	var list []*person
	err := idb.NewSelect().Model(&list).
		Join("JOIN company_membership AS m ON m.user_id = u.id").
		Where("m.organization_id = ?", companyID).Where("m.is_active").Where("u.is_active").
		OrderExpr("u.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: members: %w", err)
	}
	return list, nil
}

// toProfessional mails a professional about a structure: skipped when the account is inactive,
// without e-mail or when the kind is off (or weekly) for that structure; when the recipient left
// the structure, its admins get a copy (R36).
func (s *Service) toProfessional(ctx context.Context, tx bun.IDB, p *person, st structure, kind NotificationKind, subject string, body func(greeting string) mail.Body) error {
	if p == nil {
		return nil
	}
	if p.IsActive && p.Email != "" {
		m, err := mode(ctx, tx, p.ID, st, kind)
		if err != nil {
			return err
		}
		if m == ModeOn {
			if err := mail.Enqueue(ctx, tx, mail.Compose(p.Email, subject, body("Bonjour "+p.FirstName+","))); err != nil {
				return err
			}
		}
	}
	if st.ID == 0 {
		return nil
	}
	member, err := isMember(ctx, tx, st.membershipTable(), p.ID, st.ID)
	if err != nil || member {
		return err
	}
	list, err := admins(ctx, tx, st)
	if err != nil {
		return err
	}
	for _, ad := range list {
		if ad.ID == p.ID || ad.Email == "" {
			continue
		}
		if err := mail.Enqueue(ctx, tx, mail.Compose(ad.Email, subject, body("Bonjour "+ad.FirstName+","))); err != nil {
			return err
		}
	}
	return nil
}

// toJobSeeker mails the job seeker (skipped when inactive or without e-mail).
func toJobSeeker(ctx context.Context, tx bun.IDB, p *person, subject string, b mail.Body) error {
	if p == nil || !p.IsActive || p.Email == "" {
		return nil
	}
	b.Greeting = "Bonjour " + p.FirstName + ","
	return mail.Enqueue(ctx, tx, mail.Compose(p.Email, subject, b))
}

// mailContext is what the mails of one candidature need, loaded once.
type mailContext struct {
	app        *Application
	company    *org.Company
	jobSeeker  *person
	sender     *person
	senderOrg  structure
	senderName string // the sender's structure (org or company) name
	authorized bool   // sender acts for an authorized prescriber organization
	jobs       string
}

// masked reports whether the proxy may not see the job seeker's name (R35).
func (m *mailContext) masked() bool {
	return m.app.SenderKind == SenderPrescriber && !m.authorized &&
		!(m.sender != nil && m.jobSeeker.CreatedByID != nil && *m.jobSeeker.CreatedByID == m.sender.ID)
}

// jobSeekerNameForProxy is the job seeker's name as the proxy may see it.
func (m *mailContext) jobSeekerNameForProxy() string {
	if m.masked() {
		return jobseeker.MaskedName(m.jobSeeker.FirstName, m.jobSeeker.LastName)
	}
	return m.jobSeeker.FullName()
}

func (s *Service) loadMailContext(ctx context.Context, tx bun.IDB, app *Application, co *org.Company) (*mailContext, error) {
	m := &mailContext{app: app, company: co}
	var err error
	if m.company == nil {
		if m.company, err = companyByID(ctx, tx, app.ToCompanyID); err != nil {
			return nil, err
		}
	}
	if m.jobSeeker, err = personByID(ctx, tx, app.JobSeekerID); err != nil {
		return nil, err
	}
	if app.SenderID != nil {
		if m.sender, err = personByID(ctx, tx, *app.SenderID); err != nil {
			return nil, err
		}
	}
	switch {
	case app.SenderCompanyID != nil:
		m.senderOrg = structure{"company", *app.SenderCompanyID}
		sc, err := companyByID(ctx, tx, *app.SenderCompanyID)
		if err != nil {
			return nil, err
		}
		m.senderName = sc.DisplayName()
	case app.SenderPrescriberOrganizationID != nil:
		m.senderOrg = structure{"prescriber", *app.SenderPrescriberOrganizationID}
		po, err := prescriberByID(ctx, tx, *app.SenderPrescriberOrganizationID)
		if err != nil {
			return nil, err
		}
		m.senderName, m.authorized = po.Name, po.IsAuthorized()
	}
	names, err := selectedJobNames(ctx, tx, []int64{app.ID})
	if err != nil {
		return nil, err
	}
	m.jobs = "Candidature spontanée"
	if l := names[app.ID]; len(l) > 0 {
		m.jobs = strings.Join(l, ", ")
	}
	return m, nil
}

// selectedJobNames are the titles of the chosen fiches of each candidature.
func selectedJobNames(ctx context.Context, idb bun.IDB, appIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(appIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		AppID  int64  `bun:"job_application_id"`
		Custom string `bun:"custom_name"`
		Label  string `bun:"label"`
	}
	err := idb.NewSelect().TableExpr("job_application_selected_job AS sj").
		ColumnExpr("sj.job_application_id, jd.custom_name, COALESCE(ra.label, jd.appellation_code) AS label").
		Join("JOIN job_description AS jd ON jd.id = sj.job_description_id").
		Join("LEFT JOIN rome_appellation AS ra ON ra.code = jd.appellation_code").
		Where("sj.job_application_id IN (?)", bun.List(appIDs)).OrderExpr("sj.job_application_id, jd.ui_rank, jd.id").
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: selected jobs: %w", err)
	}
	for _, r := range rows {
		name := r.Custom
		if name == "" {
			name = r.Label
		}
		out[r.AppID] = append(out[r.AppID], name)
	}
	return out, nil
}

func (s *Service) link(path string) *mail.Action {
	return &mail.Action{Label: "Voir la candidature", URL: s.baseURL + path}
}

// notifySubmitted sends the mails of a new candidature (§2.4, first row): the job seeker, the
// proxy (not for a job seeker's own candidature), and every active member of the company that
// did not turn these mails off; members who chose the weekly digest get it in there instead.
func (s *Service) notifySubmitted(ctx context.Context, tx bun.IDB, app *Application, co *org.Company, _ []*jobdesc.JobDescription) error {
	m, err := s.loadMailContext(ctx, tx, app, co)
	if err != nil {
		return err
	}
	company := m.company.DisplayName()
	if app.SenderKind == SenderJobSeeker {
		err = toJobSeeker(ctx, tx, m.jobSeeker, "Candidature chez "+company+" envoyée", mail.Body{Paragraphs: []string{
			"Votre candidature chez " + company + " a bien été envoyée.",
			"Métiers recherchés : " + m.jobs,
			"Votre message :\n" + app.Message,
		}, Action: s.link(SenderDetailsPath(app.PublicID))})
	} else {
		err = toJobSeeker(ctx, tx, m.jobSeeker, m.sender.FullName()+" a envoyé votre candidature chez "+company, mail.Body{Paragraphs: []string{
			m.sender.FullName() + " (" + m.senderName + ") a envoyé votre candidature chez " + company + ".",
			"Métiers recherchés : " + m.jobs,
		}})
		if err == nil {
			name := m.jobSeekerNameForProxy()
			err = s.toProfessional(ctx, tx, m.sender, m.senderOrg, NotifySent, "Confirmation d'envoi de candidature pour "+name,
				func(g string) mail.Body {
					return mail.Body{Greeting: g, Paragraphs: []string{
						"La candidature de " + name + " a bien été envoyée chez " + company + ".",
						"Métiers recherchés : " + m.jobs,
					}, Action: s.link(SenderDetailsPath(app.PublicID))}
				})
		}
	}
	if err != nil {
		return err
	}
	members, err := companyMembers(ctx, tx, app.ToCompanyID)
	if err != nil {
		return err
	}
	st := structure{"company", app.ToCompanyID}
	for _, p := range members {
		if p.Email == "" {
			continue
		}
		md, err := mode(ctx, tx, p.ID, st, NotifyNewApplication)
		if err != nil {
			return err
		}
		if md == ModeWeekly {
			if err := s.collectForDigest(ctx, tx, p.ID, st, app); err != nil {
				return err
			}
			continue
		}
		if md != ModeOn {
			continue
		}
		paras := []string{
			"Vous avez reçu une nouvelle candidature de " + m.jobSeeker.FullName() + ".",
			"Métiers recherchés : " + m.jobs,
			"Envoyée par : " + s.senderLabel(m),
		}
		if app.Message != "" {
			paras = append(paras, "Message de candidature :\n"+app.Message)
		}
		if app.ResumeKey != "" {
			paras = append(paras, "Un CV est joint à la candidature.")
		}
		if m.company.Kind.IsSIAE() {
			paras = append(paras, "Pour embaucher ce candidat, un PASS IAE sera nécessaire : vérifiez son éligibilité avant l'embauche.")
		}
		msg := mail.Compose(p.Email, "Nouvelle candidature", mail.Body{Greeting: "Bonjour " + p.FirstName + ",",
			Paragraphs: paras, Action: s.link(DetailsPath(app.PublicID))})
		if err := mail.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) senderLabel(m *mailContext) string {
	switch {
	case m.app.SenderKind == SenderJobSeeker:
		return "le candidat lui-même"
	case m.sender == nil:
		return m.senderName
	case m.senderName != "":
		return m.sender.FullName() + " (" + DisplayedSenderKind(m.app.SenderKind, m.authorized) + ", " + m.senderName + ")"
	}
	return m.sender.FullName()
}

// employerLabel is "<kind> <company>" as the mails to job seekers name the employer.
func employerLabel(co *org.Company) string { return "l'employeur " + co.DisplayName() }

// notifyTransition sends the mails of a transition by the employer (§2.4): postpone, pool,
// accept, refuse, cancel and internal transfer. by is the employer who acted (nil: the system).
func (s *Service) notifyTransition(ctx context.Context, tx bun.IDB, n TransitionName, app *Application, by *person, origin *org.Company) error {
	m, err := s.loadMailContext(ctx, tx, app, origin)
	if err != nil {
		return err
	}
	company := m.company.DisplayName()
	proxy := app.IsSentByProxy() && m.sender != nil
	name := m.jobSeekerNameForProxy()
	withAnswer := func(paras []string) []string {
		if app.Answer != "" {
			paras = append(paras, "Message de l'employeur :\n"+app.Answer)
		}
		return paras
	}
	toProxy := func(kind NotificationKind, subject string, paras []string) error {
		if !proxy {
			return nil
		}
		return s.toProfessional(ctx, tx, m.sender, m.senderOrg, kind, subject, func(g string) mail.Body {
			return mail.Body{Greeting: g, Paragraphs: paras, Action: s.link(SenderDetailsPath(app.PublicID))}
		})
	}
	switch n {
	case TPostpone:
		if err := toJobSeeker(ctx, tx, m.jobSeeker, "Votre candidature mise en attente par "+employerLabel(m.company),
			mail.Body{Paragraphs: withAnswer([]string{"Votre candidature chez " + company + " a été mise en attente."})}); err != nil {
			return err
		}
		return toProxy(NotifyPostponed, "Candidature de "+name+" mise en attente par "+employerLabel(m.company),
			withAnswer([]string{"La candidature de " + name + " chez " + company + " a été mise en attente."}))
	case TAddToPool:
		if err := toJobSeeker(ctx, tx, m.jobSeeker, "Votre candidature a été ajoutée au vivier de l’entreprise "+company,
			mail.Body{Paragraphs: withAnswer([]string{"Votre candidature a été ajoutée au vivier de " + company + "."})}); err != nil {
			return err
		}
		return toProxy(NotifyPool, "Candidature de "+name+" ajoutée au vivier par "+employerLabel(m.company),
			withAnswer([]string{"La candidature de " + name + " a été ajoutée au vivier de " + company + "."}))
	case TAccept:
		if err := toJobSeeker(ctx, tx, m.jobSeeker, "Candidature acceptée",
			mail.Body{Paragraphs: withAnswer([]string{"Votre candidature chez " + company + " a été acceptée."})}); err != nil {
			return err
		}
		paras := []string{"La candidature de " + name + " chez " + company + " a été acceptée.", contractDates(app)}
		return toProxy(NotifyAccepted, "Candidature acceptée", withAnswer(paras))
	case TRefuse:
		paras := []string{"Votre candidature chez " + company + " a été déclinée."}
		if app.RefusalReasonShared {
			paras = append(paras, "Motif de refus : "+app.RefusalReason.Label())
		}
		if err := toJobSeeker(ctx, tx, m.jobSeeker, "Candidature déclinée", mail.Body{Paragraphs: withAnswer(paras)}); err != nil {
			return err
		}
		if app.RefusalReason == ReasonAuto {
			return nil // R24
		}
		shared := "non transmis au candidat"
		if app.RefusalReasonShared {
			shared = "transmis au candidat"
		}
		pp := withAnswer([]string{"La candidature de " + name + " chez " + company + " a été déclinée.",
			"Motif de refus : " + app.RefusalReason.Label() + " (" + shared + ")"})
		if app.AnswerToPrescriber != "" {
			pp = append(pp, "Message de l'employeur (non transmis au candidat) :\n"+app.AnswerToPrescriber)
		}
		return toProxy(NotifyRefused, "Candidature déclinée", pp)
	case TCancel:
		paras := []string{"L'embauche de " + m.jobSeeker.FullName() + " chez " + company + " a été annulée."}
		if by != nil {
			if err := s.toProfessional(ctx, tx, by, structure{"company", app.ToCompanyID}, NotifyCancelled, "Embauche annulée",
				func(g string) mail.Body { return mail.Body{Greeting: g, Paragraphs: paras} }); err != nil {
				return err
			}
		}
		if proxy && (by == nil || m.sender.ID != by.ID) {
			return toProxy(NotifyCancelled, "Embauche annulée",
				[]string{"L'embauche de " + name + " chez " + company + " a été annulée."})
		}
	case TTransfer:
		if err := toJobSeeker(ctx, tx, m.jobSeeker, "Votre candidature a été transférée à une autre structure",
			mail.Body{Paragraphs: []string{"Votre candidature chez " + origin.DisplayName() + " a été transférée à " + company + "."}}); err != nil {
			return err
		}
		members, err := companyMembers(ctx, tx, origin.ID)
		if err != nil {
			return err
		}
		for _, p := range members {
			if err := s.toProfessional(ctx, tx, p, structure{"company", origin.ID}, NotifyTransferred,
				"La candidature de "+m.jobSeeker.FullName()+" a été transférée",
				func(g string) mail.Body {
					return mail.Body{Greeting: g, Paragraphs: []string{"La candidature de " + m.jobSeeker.FullName() +
						" a été transférée de " + origin.DisplayName() + " à " + company + "."}}
				}); err != nil {
				return err
			}
		}
		if app.SenderCompanyID == nil || *app.SenderCompanyID != origin.ID {
			return toProxy(NotifyTransferred, "Candidature de "+name+" transférée",
				[]string{"La candidature de " + name + " a été transférée de " + origin.DisplayName() + " à " + company + "."})
		}
	}
	return nil
}

func contractDates(app *Application) string {
	s := "Date de début du contrat : " + dateLabel(app.HiringStartAt)
	if app.HiringEndAt != nil {
		s += "\nDate prévisionnelle de fin du contrat : " + dateLabel(app.HiringEndAt)
	}
	return s
}

func dateLabel(t *time.Time) string {
	if t == nil {
		return "non renseignée"
	}
	return t.UTC().Format("02/01/2006")
}

// SetNotification sets the actor's mode for a kind of mail about the organization they act for:
// ModeOn, ModeOff, or ModeWeekly (new candidatures only, employers only).
func (s *Service) SetNotification(ctx context.Context, a actor.Actor, kind NotificationKind, m string) error {
	return s.SetNotifications(ctx, a, map[NotificationKind]string{kind: m})
}

// SetNotifications sets several modes at once (the settings page): all are checked first, then
// written in one transaction, so a refused choice writes nothing.
func (s *Service) SetNotifications(ctx context.Context, a actor.Actor, modes map[NotificationKind]string) error {
	st, err := s.notificationStructure(ctx, a)
	if err != nil {
		return err
	}
	var errs fault.Fields
	for kind, m := range modes {
		if !ModeAllowed(kind, st.Type, m) {
			errs.Add(string(kind), "Ce choix n'est pas possible.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for kind, m := range modes {
			if _, err := tx.NewDelete().Table("job_application_notification_setting").Where("user_id = ?", a.UserID).
				Where("structure_type = ?", st.Type).Where("structure_id = ?", st.ID).Where("kind = ?", kind).Exec(ctx); err != nil {
				return fmt.Errorf("application: notification setting: %w", err)
			}
			if m == ModeOn {
				continue
			}
			_, err := tx.NewInsert().Table("job_application_notification_setting").Model(&map[string]any{
				"user_id": a.UserID, "structure_type": st.Type, "structure_id": st.ID, "kind": string(kind), "mode": m,
				"updated_at": s.now()}).Exec(ctx)
			if err != nil {
				return fmt.Errorf("application: notification setting: %w", err)
			}
		}
		return nil
	})
}

// EmployerOnly reports whether only the members of a company receive this kind of mail: the new
// candidatures and the reminders of unanswered ones.
func (k NotificationKind) EmployerOnly() bool {
	return k == NotifyNewApplication || k == NotifyReminder
}

// ModeAllowed reports whether mode m is a choice for kind in a structure of this type
// ("company", "prescriber"): a known kind (employers' kinds for companies only), on or off, and
// weekly for new candidatures only.
func ModeAllowed(kind NotificationKind, structureType string, m string) bool {
	known := false
	for _, k := range NotificationKinds {
		known = known || k.Kind == kind
	}
	switch {
	case !known || (kind.EmployerOnly() && structureType != "company"):
		return false
	case m == ModeOn || m == ModeOff:
		return true
	}
	return m == ModeWeekly && kind == NotifyNewApplication
}

// Notifications returns the actor's mode of every kind they may receive for the organization they
// act for (the employers' kinds for a company only).
func (s *Service) Notifications(ctx context.Context, a actor.Actor) (map[NotificationKind]string, error) {
	st, err := s.notificationStructure(ctx, a)
	if err != nil {
		return nil, err
	}
	out := map[NotificationKind]string{}
	for _, k := range NotificationKinds {
		if k.Kind.EmployerOnly() && st.Type != "company" {
			continue
		}
		m, err := mode(ctx, s.db, a.UserID, st, k.Kind)
		if err != nil {
			return nil, err
		}
		out[k.Kind] = m
	}
	return out, nil
}

func (s *Service) notificationStructure(ctx context.Context, a actor.Actor) (structure, error) {
	var st structure
	switch {
	case companyOf(a) != 0:
		st = structure{"company", companyOf(a)}
	case prescriberOf(a) != 0:
		st = structure{"prescriber", prescriberOf(a)}
	default:
		return st, ErrForbidden
	}
	ok, err := isMember(ctx, s.db, st.membershipTable(), a.UserID, st.ID)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, ErrForbidden
	}
	return st, nil
}
