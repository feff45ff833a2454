package approval

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// HelpURL is the help centre, the direct contact of the mails and the certificate (§4).
const HelpURL = "https://aide.emplois.inclusion.beta.gouv.fr/hc/fr"

// MailSettings is what the PASS mails need from the configuration.
type MailSettings struct {
	// BaseURL starts the links (EMPLOIS_BASE_URL, without a trailing slash).
	BaseURL string
	// Support receives the PASS to deliver by hand (EMPLOIS_SUPPORT_EMAIL); empty: no such mail.
	Support string
}

// WithMail sets the mail settings and returns the service.
func (s *Service) WithMail(m MailSettings) *Service {
	s.mail = m
	return s
}

// ErrNoApplication: the candidature a mail is about does not exist.
var ErrNoApplication = fault.NotFound("Cette candidature n'existe pas.")

// hiring is a candidature as the PASS mails, the manual delivery and the certificate read it.
type hiring struct {
	ID               int64      `bun:"id"`
	PublicID         string     `bun:"public_id"`
	JobSeekerID      int64      `bun:"job_seeker_id"`
	CompanyID        int64      `bun:"to_company_id"`
	State            string     `bun:"state"`
	ApprovalID       *int64     `bun:"approval_id"`
	DeliveryMode     string     `bun:"approval_delivery_mode"`
	HiringStartAt    *time.Time `bun:"hiring_start_at"`
	HiringEndAt      *time.Time `bun:"hiring_end_at"`
	DiagnosisID      *int64     `bun:"eligibility_diagnosis_id"`
	RefusedAt        *time.Time `bun:"approval_manually_refused_at"`
	SenderKind       string     `bun:"sender_kind"`
	PrescriberKind   *string    `bun:"prescriber_kind"`
	CompanySIRET     string     `bun:"siret"`
	CompanyKind      string     `bun:"kind"`
	FirstName        string     `bun:"first_name"`
	LastName         string     `bun:"last_name"`
	Birthdate        *time.Time `bun:"birthdate"`
	FranceTravailID  *string    `bun:"pole_emploi_id"`
	AcceptedByUserID *int64     `bun:"accepted_by_id"`
}

// FullName is « Prénom Nom ».
func (h *hiring) FullName() string { return h.FirstName + " " + h.LastName }

func loadHiring(ctx context.Context, idb bun.IDB, applicationID int64) (*hiring, error) {
	h := new(hiring)
	err := idb.NewSelect().TableExpr("job_application AS ja").
		ColumnExpr("ja.id, ja.public_id, ja.job_seeker_id, ja.to_company_id, ja.state, ja.approval_id, ja.approval_delivery_mode").
		ColumnExpr("ja.hiring_start_at, ja.hiring_end_at, ja.eligibility_diagnosis_id, ja.approval_manually_refused_at, ja.sender_kind").
		ColumnExpr("po.kind AS prescriber_kind, c.siret, c.kind, u.first_name, u.last_name, p.birthdate, p.pole_emploi_id").
		ColumnExpr("(SELECT l.user_id FROM job_application_transition_log AS l WHERE l.job_application_id = ja.id AND l.transition = 'accept' ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS accepted_by_id").
		Join("JOIN company AS c ON c.id = ja.to_company_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = ja.job_seeker_id").
		Join("LEFT JOIN prescriber_organization AS po ON po.id = ja.sender_prescriber_organization_id").
		Where("ja.id = ?", applicationID).Scan(ctx, h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoApplication
	}
	if err != nil {
		return nil, fmt.Errorf("approval: candidature %d: %w", applicationID, err)
	}
	return h, nil
}

func loadCompany(ctx context.Context, idb bun.IDB, id int64) (*org.Company, error) {
	co := new(org.Company)
	if err := idb.NewSelect().Model(co).Where("co.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("approval: company %d: %w", id, err)
	}
	return co, nil
}

// recipient is a user a mail goes to.
type recipient struct {
	ID        int64  `bun:"id"`
	Email     string `bun:"email"`
	FirstName string `bun:"first_name"`
}

// employerRecipients are who hears about the PASS of a hire: the employer who accepted it when
// still an active member with an e-mail, else the company's active admins.
func employerRecipients(ctx context.Context, idb bun.IDB, h *hiring) ([]recipient, error) {
	var list []recipient
	q := idb.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.first_name").
		Join("JOIN company_membership AS m ON m.user_id = u.id AND m.organization_id = ? AND m.is_active", h.CompanyID).
		Where("u.is_active AND u.email <> ''")
	if h.AcceptedByUserID != nil {
		if err := q.Where("u.id = ?", *h.AcceptedByUserID).Scan(ctx, &list); err != nil {
			return nil, fmt.Errorf("approval: employer of candidature %d: %w", h.ID, err)
		}
		if len(list) > 0 {
			return list, nil
		}
	}
	err := idb.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.first_name").
		Join("JOIN company_membership AS m ON m.user_id = u.id AND m.organization_id = ? AND m.is_active AND m.is_admin", h.CompanyID).
		Where("u.is_active AND u.email <> ''").OrderExpr("u.id").Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("approval: admins of candidature %d: %w", h.ID, err)
	}
	return list, nil
}

func toEach(ctx context.Context, tx bun.IDB, to []recipient, subject string, b mail.Body) error {
	for _, r := range to {
		b.Greeting = "Bonjour " + r.FirstName + ","
		if err := mail.Enqueue(ctx, tx, mail.Compose(r.Email, subject, b)); err != nil {
			return err
		}
	}
	return nil
}

func dateOrUnknown(t *time.Time) string {
	if t == nil {
		return "Non renseigné"
	}
	return localtime.Date(*t)
}

// MailDelivery tells the employer who accepted the candidature its PASS IAE (§4, last item) and
// records the delivery on the candidature (approval_number_sent_at), in the caller's transaction.
func (s *Service) MailDelivery(ctx context.Context, tx bun.IDB, applicationID int64) error {
	h, err := loadHiring(ctx, tx, applicationID)
	if err != nil {
		return err
	}
	if h.ApprovalID == nil {
		return fmt.Errorf("approval: delivery mail: candidature %d has no PASS", applicationID)
	}
	ap, err := load(ctx, tx, "id = ?", *h.ApprovalID)
	if err != nil {
		return err
	}
	co, err := loadCompany(ctx, tx, h.CompanyID)
	if err != nil {
		return err
	}
	to, err := employerRecipients(ctx, tx, h)
	if err != nil {
		return err
	}
	today := s.today()
	b := mail.Body{Paragraphs: []string{
		"Le PASS IAE de " + h.FullName() + " a été délivré.",
		"Numéro de PASS IAE : " + ap.DisplayNumber() + "\n" +
			"Nombre de jours restants : " + RemainderDisplay(ap.Remainder(today)) + "\n" +
			"Date de début : " + localtime.Date(ap.StartAt),
		"Nom : " + h.LastName + "\nPrénom : " + h.FirstName + "\nDate de naissance : " + dateOrUnknown(h.Birthdate),
		"Date de début du contrat : " + dateOrUnknown(h.HiringStartAt) + "\nDate de fin du contrat : " + dateOrUnknown(h.HiringEndAt),
		"Structure : " + co.DisplayName() + " (" + string(co.Kind) + ")\nAdresse : " + co.Address.OneLine(),
	},
		Action: &mail.Action{Label: "Voir le PASS IAE", URL: s.mail.BaseURL + DetailsPath(ap.PublicID)},
		After:  []string{"Une question ? Contactez-nous en passant par le centre d'aide : " + HelpURL},
	}
	if err := toEach(ctx, tx, to, "PASS IAE pour "+h.FullName(), b); err != nil {
		return err
	}
	_, err = tx.NewUpdate().Table("job_application").Set("approval_number_sent_at = ?", s.now()).Where("id = ?", h.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("approval: delivery of candidature %d: %w", h.ID, err)
	}
	return nil
}

// MailManualRequest tells the support team that the PASS of a hire must be delivered by hand
// (§2.8-6); nothing when no support address is configured.
func (s *Service) MailManualRequest(ctx context.Context, tx bun.IDB, applicationID int64) error {
	h, err := loadHiring(ctx, tx, applicationID)
	if err != nil {
		return err
	}
	if s.mail.Support == "" {
		return nil
	}
	co, err := loadCompany(ctx, tx, h.CompanyID)
	if err != nil {
		return err
	}
	b := mail.Body{Paragraphs: []string{
		"Une candidature a été acceptée sans que l'identité du candidat puisse être vérifiée : son PASS IAE doit être délivré manuellement.",
		"Structure : " + co.DisplayName() + " (" + string(co.Kind) + ")\nDate de début du contrat : " + dateOrUnknown(h.HiringStartAt),
	},
		Action: &mail.Action{Label: "Traiter la demande", URL: s.mail.BaseURL + ManualQueuePath},
	}
	return mail.Enqueue(ctx, tx, mail.Compose(s.mail.Support, "PASS IAE à délivrer manuellement", b))
}

// MailManualRefusal tells the employer that the PASS of the hire was refused by the support team.
func (s *Service) MailManualRefusal(ctx context.Context, tx bun.IDB, applicationID int64) error {
	h, err := loadHiring(ctx, tx, applicationID)
	if err != nil {
		return err
	}
	to, err := employerRecipients(ctx, tx, h)
	if err != nil {
		return err
	}
	b := mail.Body{Paragraphs: []string{
		"Nous n'avons pas pu délivrer de PASS IAE à " + h.FullName() + " : son identité n'a pas pu être vérifiée, ou sa situation ne permet pas un parcours d'insertion par l'activité économique.",
		"L'embauche reste enregistrée, mais elle ne pourra pas être prise en charge par l'aide au poste sans PASS IAE.",
	},
		After: []string{"Une question ? Contactez-nous en passant par le centre d'aide : " + HelpURL},
	}
	return toEach(ctx, tx, to, "PASS IAE refusé pour "+h.FullName(), b)
}

// ManualQueuePath is the staff page of the PASS to deliver by hand.
const ManualQueuePath = "/staff/approvals/manual"
