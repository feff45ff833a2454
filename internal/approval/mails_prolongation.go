package approval

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// The mails of prolongation requests (§2.11, §3.2): the assigned prescriber is told of a new
// request (and reminded, reminder.go), the declaring employer and the job seeker of the
// decision. They are written to the outbox in the transaction of the change.

// RequestPath is the page of a prolongation request for its prescriber organization.
func RequestPath(id int64) string { return fmt.Sprintf("/approvals/prolongation/request/%d", id) }

// requestPeople are the names and addresses the mails of one request need, read in one query.
type requestPeople struct {
	JobSeekerFirst string `bun:"js_first"`
	JobSeekerLast  string `bun:"js_last"`
	JobSeekerEmail string `bun:"js_email"`
	DeclarerFirst  string `bun:"declarer_first"`
	DeclarerEmail  string `bun:"declarer_email"`
	CompanyName    string `bun:"company_name"`
	CompanyKind    string `bun:"company_kind"`
	AssigneeFirst  string `bun:"assignee_first"`
	AssigneeEmail  string `bun:"assignee_email"`
	OrgName        string `bun:"org_name"`
}

func (p requestPeople) jobSeeker() string {
	return strings.TrimSpace(p.JobSeekerFirst + " " + p.JobSeekerLast)
}

func loadPeople(ctx context.Context, idb bun.IDB, ap *Approval, f *prolongationFields, assignee *int64) (requestPeople, error) {
	var p requestPeople
	err := idb.NewRaw(`SELECT js.first_name AS js_first, js.last_name AS js_last, COALESCE(js.email, '') AS js_email,
		COALESCE(d.first_name, '') AS declarer_first, COALESCE(d.email, '') AS declarer_email,
		COALESCE(c.name, '') AS company_name, COALESCE(c.kind, '') AS company_kind,
		COALESCE(a.first_name, '') AS assignee_first, COALESCE(a.email, '') AS assignee_email, COALESCE(o.name, '') AS org_name
		FROM users AS js
		LEFT JOIN users AS d ON d.id = ?
		LEFT JOIN company AS c ON c.id = ?
		LEFT JOIN users AS a ON a.id = ?
		LEFT JOIN prescriber_organization AS o ON o.id = ?
		WHERE js.id = ?`, f.DeclaredByID, f.DeclaredByCompanyID, assignee, f.PrescriberOrganizationID, ap.UserID).Scan(ctx, &p)
	if err != nil {
		return p, fmt.Errorf("approval: people of a prolongation of %s: %w", ap.PublicID, err)
	}
	return p, nil
}

func (s *Service) action(label, path string) *mail.Action {
	return &mail.Action{Label: label, URL: s.mail.BaseURL + path}
}

func greeting(first string) string {
	if first == "" {
		return "Bonjour,"
	}
	return "Bonjour " + first + ","
}

// requestSummary is the paragraph naming what was asked.
func requestSummary(ap *Approval, f *prolongationFields) string {
	return fmt.Sprintf("PASS IAE n° %s, prolongation du %s au %s (motif : %s).", ap.DisplayNumber(),
		localtime.Date(f.StartAt), localtime.Date(f.EndAt), f.Reason.Label())
}

// mailRequested tells the assigned prescriber of a new request.
func (s *Service) mailRequested(ctx context.Context, tx bun.IDB, ap *Approval, req *ProlongationRequest) error {
	p, err := loadPeople(ctx, tx, ap, &req.prolongationFields, req.AssignedToID)
	if err != nil || p.AssigneeEmail == "" {
		return err
	}
	body := mail.Body{Greeting: greeting(p.AssigneeFirst),
		Paragraphs: []string{
			fmt.Sprintf("La structure %s demande la prolongation du PASS IAE de %s. En tant que prescripteur habilité de %s, vous êtes invité à l'accepter ou à la refuser.",
				p.CompanyName, p.jobSeeker(), p.OrgName),
			requestSummary(ap, &req.prolongationFields),
		},
		Action: s.action("Voir la demande de prolongation", RequestPath(req.ID)),
		After:  []string{"Tous les membres de votre organisation peuvent traiter cette demande depuis la liste des demandes de prolongation."}}
	return mail.Enqueue(ctx, tx, mail.Compose(p.AssigneeEmail, "Demande de prolongation du PASS IAE de "+p.jobSeeker(), body))
}

// mailDecided tells the declaring employer (when their structure is an SIAE) and the job seeker
// that the request was granted or denied; deny is nil for a grant.
func (s *Service) mailDecided(ctx context.Context, tx bun.IDB, ap *Approval, req *ProlongationRequest, deny *DenyInput) error {
	p, err := loadPeople(ctx, tx, ap, &req.prolongationFields, req.AssignedToID)
	if err != nil {
		return err
	}
	verdict, subject := "acceptée", "Prolongation du PASS IAE de "+p.jobSeeker()+" acceptée"
	if deny != nil {
		verdict, subject = "refusée", "Prolongation du PASS IAE de "+p.jobSeeker()+" refusée"
	}
	if p.DeclarerEmail != "" && org.CompanyKind(p.CompanyKind).IsSIAE() {
		paras := []string{
			fmt.Sprintf("%s a %s la demande de prolongation du PASS IAE de %s.", orgOrPrescriber(p.OrgName), verdict, p.jobSeeker()),
			requestSummary(ap, &req.prolongationFields),
		}
		if deny == nil {
			paras = append(paras, "Le PASS IAE est désormais valide jusqu'au "+localtime.Date(ap.EndAt)+".")
		} else {
			paras = append(paras, "Motif du refus : "+deny.Reason.Label()+".", "Explication : "+deny.ReasonExplanation)
			paras = append(paras, proposedActions(deny)...)
		}
		msg := mail.Compose(p.DeclarerEmail, subject, mail.Body{Greeting: greeting(p.DeclarerFirst), Paragraphs: paras,
			Action: s.action("Voir le PASS IAE", DetailsPath(ap.PublicID))})
		if err := mail.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
	}
	if p.JobSeekerEmail == "" {
		return nil
	}
	paras := []string{fmt.Sprintf("La demande de prolongation de votre PASS IAE faite par %s a été %s par %s.",
		orDefault(p.CompanyName, "votre employeur"), verdict, orgOrPrescriber(p.OrgName))}
	if deny == nil {
		paras = append(paras, "Votre PASS IAE n° "+ap.DisplayNumber()+" est désormais valide jusqu'au "+localtime.Date(ap.EndAt)+".")
	} else {
		paras = append(paras, "Motif du refus : "+deny.Reason.Label()+".")
		paras = append(paras, proposedActions(deny)...)
	}
	msg := mail.Compose(p.JobSeekerEmail, strings.Replace(subject, "du PASS IAE de "+p.jobSeeker(), "de votre PASS IAE", 1),
		mail.Body{Greeting: greeting(p.JobSeekerFirst), Paragraphs: paras, Action: s.action("Voir mon PASS IAE", DetailsPath(ap.PublicID))})
	return mail.Enqueue(ctx, tx, msg)
}

func proposedActions(deny *DenyInput) []string {
	if len(deny.ProposedActions) == 0 {
		return nil
	}
	labels := make([]string, len(deny.ProposedActions))
	for i, a := range deny.ProposedActions {
		labels[i] = a.Label()
	}
	return []string{"Actions proposées : " + strings.Join(labels, ", ") + ".", "Précisions : " + deny.ProposedActionsExplanation}
}

func orgOrPrescriber(name string) string { return orDefault(name, "Le prescripteur habilité") }

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
