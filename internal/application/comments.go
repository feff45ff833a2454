package application

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// CommentView is a comment as the candidature page shows it.
type CommentView struct {
	Comment
	AuthorName string
	Mine       bool // written by the viewer: they may delete it
}

// memberOf loads a candidature (locked when lock) and checks that the actor is an active member
// of its receiving company acting as an employer: others do not learn it exists (§1.3).
func (s *Service) memberOf(ctx context.Context, idb bun.IDB, a actor.Actor, publicID string, lock bool) (*Application, error) {
	if a.UserID == 0 || a.Kind != actor.Professional || companyOf(a) == 0 {
		return nil, ErrNotFound
	}
	app, err := s.byPublicID(ctx, idb, publicID, lock)
	if err != nil {
		return nil, err
	}
	if !VisibleToEmployer(app.State, app.CreatedAt, s.now()) {
		return nil, ErrNotFound // R31
	}
	ok, err := isCompanyMember(ctx, idb, a.UserID, app.ToCompanyID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return app, nil
}

// AddComment writes an internal note of the receiving company's members (§1.3, §3.7): required,
// at most 2000 characters. The comment belongs to the company receiving the candidature now.
func (s *Service) AddComment(ctx context.Context, a actor.Actor, publicID, message string) (*Comment, error) {
	message = strings.TrimSpace(message)
	switch {
	case message == "":
		return nil, fault.InvalidField("message", "Ce champ est obligatoire.")
	case utf8.RuneCountInString(message) > MaxCommentLength:
		return nil, fault.InvalidField("message", fmt.Sprintf("Le commentaire ne doit pas dépasser %d caractères.", MaxCommentLength))
	}
	var out *Comment
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.memberOf(ctx, tx, a, publicID, true)
		if err != nil {
			return err
		}
		by := a.UserID
		c := &Comment{PublicID: uuid.NewString(), JobApplicationID: app.ID, CompanyID: app.ToCompanyID,
			CreatedByID: &by, Message: message, CreatedAt: s.now()}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("application: add comment: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// DeleteComment removes a comment; only its author may (§3.7). A comment of another candidature
// or of another company is not found.
func (s *Service) DeleteComment(ctx context.Context, a actor.Actor, publicID, commentID string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.memberOf(ctx, tx, a, publicID, true)
		if err != nil {
			return err
		}
		c := new(Comment)
		err = tx.NewSelect().Model(c).Where("public_id = ?", commentID).
			Where("job_application_id = ?", app.ID).Where("company_id = ?", app.ToCompanyID).Scan(ctx)
		if err != nil {
			return fault.NotFound("Ce commentaire n'existe pas.")
		}
		if c.CreatedByID == nil || *c.CreatedByID != a.UserID {
			return fault.Forbidden("Vous ne pouvez supprimer que vos propres commentaires.")
		}
		if _, err := tx.NewDelete().Model(c).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("application: delete comment: %w", err)
		}
		return audit.Record(ctx, tx, a, ActionCommentDeleted, object(app.PublicID), map[string]any{"comment": c.PublicID})
	})
}

// Comments lists the comments of the receiving company on a candidature, newest first, for its
// members only.
func (s *Service) Comments(ctx context.Context, a actor.Actor, publicID string) ([]CommentView, error) {
	app, err := s.memberOf(ctx, s.db, a, publicID, false)
	if err != nil {
		return nil, err
	}
	return s.comments(ctx, a, app)
}

// comments reads the comments of the company receiving app now, with their authors, in one query.
func (s *Service) comments(ctx context.Context, a actor.Actor, app *Application) ([]CommentView, error) {
	var rows []struct {
		Comment
		FirstName *string `bun:"first_name"`
		LastName  *string `bun:"last_name"`
	}
	err := s.db.NewSelect().Model((*Comment)(nil)).ColumnExpr("jac.*, u.first_name, u.last_name").
		Join("LEFT JOIN users AS u ON u.id = jac.created_by_id").
		Where("jac.job_application_id = ?", app.ID).Where("jac.company_id = ?", app.ToCompanyID).
		OrderExpr("jac.created_at DESC, jac.id DESC").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: comments: %w", err)
	}
	out := make([]CommentView, len(rows))
	for i, c := range rows {
		out[i] = CommentView{Comment: c.Comment}
		if c.FirstName != nil {
			out[i].AuthorName = joinName(*c.FirstName, *c.LastName)
		}
		if c.CreatedByID != nil {
			out[i].Mine = *c.CreatedByID == a.UserID
		}
	}
	return out, nil
}
