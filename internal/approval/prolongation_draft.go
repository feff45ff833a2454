package approval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/wizard"
)

// A declaration goes form → preview → save (§2.11). Between the preview and the save it is a
// draft kept on the server in a wizard row of the employer's, with the key of the report file
// stored at the preview: the page carries only the draft's random key, which the wizard binds
// to its user, so no one can swap in another file's key.

const (
	draftKind = "prolongation"
	// DraftTTL is how long a preview may wait for its « Valider ».
	DraftTTL = 2 * time.Hour
)

// ProlongationDraft is a previewed declaration of the PASS PublicID.
type ProlongationDraft struct {
	Key        string `json:"-"`
	PublicID   string
	Input      ProlongationInput
	ReportName string
}

// ProlongationPreview is what the preview page recalls: the draft, the PASS and its holder,
// and for a request the prescriber and organization it goes to.
type ProlongationPreview struct {
	Draft            *ProlongationDraft
	Approval         *Approval
	Holder           Holder
	PrescriberName   string
	OrganizationName string
}

// loadDraft reads the actor's draft of this key for the PASS publicID; any other is not found.
func (s *Service) loadDraft(ctx context.Context, idb bun.IDB, a actor.Actor, publicID, key string) (*ProlongationDraft, error) {
	d := &ProlongationDraft{}
	err := wizard.Load(ctx, idb, a.UserID, draftKind, key, s.now(), d)
	if errors.Is(err, wizard.ErrNotFound) || (err == nil && d.PublicID != publicID) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.Key = key
	return d, nil
}

// PreviewProlongation checks a declaration as the save would, stores its report file (when
// one is given, replacing the draft's) and keeps it as a draft: draftKey, when not empty, is
// the draft the form was changed from (« Modifier »), which keeps its file if none is given.
// A refusal writes nothing (the draft, if any, stays as it was). It returns the draft's key.
func (s *Service) PreviewProlongation(ctx context.Context, a actor.Actor, publicID string, in ProlongationInput,
	report []byte, reportName, draftKey string) (string, error) {
	d := &ProlongationDraft{PublicID: publicID}
	if draftKey != "" {
		prev, err := s.loadDraft(ctx, s.db, a, publicID, draftKey)
		if err != nil {
			return "", err
		}
		d = prev
	}
	if report != nil {
		if err := CheckReport(report); err != nil {
			return "", err
		}
	}
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return "", err
	}
	if _, err := s.checkDeclaration(ctx, s.db, a, ap, &in); err != nil {
		return "", err
	}
	in.ReportFileKey = d.Input.ReportFileKey
	if report != nil {
		key, err := s.StoreReport(ctx, report)
		if err != nil {
			return "", err
		}
		s.DropReport(ctx, in.ReportFileKey)
		in.ReportFileKey, d.ReportName = key, reportName
	}
	d.Input = in
	if d.Key != "" {
		return d.Key, wizard.Save(ctx, s.db, a.UserID, d.Key, d)
	}
	key, err := wizard.Start(ctx, s.db, a.UserID, draftKind, d, s.now(), DraftTTL)
	if err != nil {
		s.DropReport(ctx, in.ReportFileKey)
		return "", err
	}
	return key, nil
}

// ProlongationDraftOf returns the actor's draft of this key for the PASS publicID (not found
// otherwise, nor when the actor may no longer prolong the PASS), with what the preview recalls.
func (s *Service) ProlongationDraftOf(ctx context.Context, a actor.Actor, publicID, key string) (*ProlongationPreview, error) {
	d, err := s.loadDraft(ctx, s.db, a, publicID, key)
	if err != nil {
		return nil, err
	}
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return nil, err
	}
	if _, _, err := prolonger(ctx, s.db, a, ap); err != nil {
		return nil, err
	}
	p := &ProlongationPreview{Draft: d, Approval: ap}
	if p.Holder, err = holderOf(ctx, s, ap.UserID); err != nil {
		return nil, err
	}
	if d.Input.Reason.NeedsPrescriber() {
		// The rules ran at the preview; a prescriber gone since is told at the save.
		if assignee, orgID, err := habilitatedPrescriber(ctx, s.db, d.Input.PrescriberEmail, d.Input.PrescriberOrganizationID); err == nil {
			if p.PrescriberName, p.OrganizationName, err = prescriberNames(ctx, s.db, assignee, orgID); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func prescriberNames(ctx context.Context, idb bun.IDB, userID, orgID int64) (person, organization string, err error) {
	var r struct {
		FirstName string `bun:"first_name"`
		LastName  string `bun:"last_name"`
		Name      string `bun:"name"`
	}
	err = idb.NewSelect().TableExpr("users AS u").ColumnExpr("u.first_name, u.last_name, o.name").
		Join("JOIN prescriber_organization AS o ON o.id = ?", orgID).Where("u.id = ?", userID).Scan(ctx, &r)
	if err != nil {
		return "", "", fmt.Errorf("approval: prescriber names: %w", err)
	}
	return r.FirstName + " " + r.LastName, r.Name, nil
}

// ConfirmProlongation saves the actor's draft (« Valider »), every rule checked again: the
// declaration and the draft's end are one transaction. A refusal drops the draft and its
// report file, and changes nothing else.
func (s *Service) ConfirmProlongation(ctx context.Context, a actor.Actor, publicID, key string) (Declared, error) {
	var out Declared
	var d *ProlongationDraft
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if d, err = s.loadDraft(ctx, tx, a, publicID, key); err != nil {
			return err
		}
		if out, err = s.prolongIn(ctx, tx, a, publicID, d.Input); err != nil {
			return err
		}
		return wizard.Delete(ctx, tx, key)
	})
	if err != nil && d != nil {
		s.DropReport(ctx, d.Input.ReportFileKey)
		if derr := wizard.Delete(context.WithoutCancel(ctx), s.db, key); derr != nil {
			return out, errors.Join(err, derr)
		}
	}
	return out, err
}

// PurgeProlongationDrafts deletes the drafts expired at now and their report files (a draft
// saved is deleted with its save, so its file is never one a declaration holds).
func (s *Service) PurgeProlongationDrafts(ctx context.Context, now time.Time) (int, error) {
	return wizard.Purge(ctx, s.db, draftKind, now, func(data []byte) error {
		var d ProlongationDraft
		if err := json.Unmarshal(data, &d); err == nil {
			s.DropReport(ctx, d.Input.ReportFileKey)
		}
		return nil
	})
}
