package application

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/pdf"
)

// Messages of the CV field (R9).
const (
	msgResumeNotPDF   = "Le fichier doit être un PDF."
	msgResumeTooLarge = "Le fichier ne doit pas dépasser 5 Mo."
)

// CheckResume tells whether data is a genuine PDF of at most 5 MB (R9): the content is read, not
// the name: it must start with the PDF header and end with a trailer whose startxref points
// inside the file, followed by %%EOF.
func CheckResume(data []byte) error {
	if len(data) > MaxResumeBytes {
		return fault.InvalidField("resume", msgResumeTooLarge)
	}
	if !pdf.Valid(data) {
		return fault.InvalidField("resume", msgResumeNotPDF)
	}
	return nil
}

// storeResume writes a checked CV under a new key and returns it.
func (s *Service) storeResume(ctx context.Context, data []byte) (string, error) {
	key, err := s.newResumeKey()
	if err != nil {
		return "", err
	}
	if err := s.blobs.Put(ctx, key, "application/pdf", data); err != nil {
		return "", err
	}
	return key, nil
}

// newResumeKey is a fresh private key: resume-private/<random>.pdf.
func (s *Service) newResumeKey() (string, error) {
	if s.blobs == nil {
		return "", fmt.Errorf("application: no file storage configured")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "resume-private/" + hex.EncodeToString(b) + ".pdf", nil
}

// Resume is a CV to download.
type Resume struct {
	io.ReadCloser
	// Filename is "CV_YYYY_MM_DD_HH_MM.pdf", from the candidature's creation (Paris time).
	Filename string
}

// OpenResume opens the CV of a candidature for the actor (§3.7): the job seeker, the sender,
// the members of the receiving company, of the sender's organization or of the sender company;
// anyone else, or a candidature without CV, gets ErrNotFound.
func (s *Service) OpenResume(ctx context.Context, a actor.Actor, publicID string) (*Resume, error) {
	app, err := s.byPublicID(ctx, s.db, publicID, false)
	if err != nil {
		return nil, err
	}
	ok, err := s.maySeeResume(ctx, a, app)
	if err != nil {
		return nil, err
	}
	if !ok || app.ResumeKey == "" {
		return nil, ErrNotFound
	}
	r, err := s.blobs.Open(ctx, app.ResumeKey)
	if err != nil {
		return nil, fmt.Errorf("application: resume of %s: %w", publicID, err)
	}
	if err := audit.Record(ctx, s.db, a, ActionResumeOpened, object(publicID), nil); err != nil {
		r.Close()
		return nil, err
	}
	name := "CV_" + app.CreatedAt.In(localtime.Paris).Format("2006_01_02_15_04") + ".pdf"
	return &Resume{ReadCloser: r, Filename: name}, nil
}

func (s *Service) maySeeResume(ctx context.Context, a actor.Actor, app *Application) (bool, error) {
	if a.UserID == 0 {
		return false, nil
	}
	if a.UserID == app.JobSeekerID || (app.SenderID != nil && *app.SenderID == a.UserID) {
		return true, nil
	}
	if a.Kind != actor.Professional {
		return false, nil
	}
	for _, c := range []struct {
		table string
		id    *int64
	}{
		{"company_membership", &app.ToCompanyID},
		{"company_membership", app.SenderCompanyID},
		{"prescriber_membership", app.SenderPrescriberOrganizationID},
	} {
		if c.id == nil {
			continue
		}
		ok, err := isMember(ctx, s.db, c.table, a.UserID, *c.id)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// copyResume copies the CV under key for a new candidature (the external transfer keeps the
// original's CV, §3.7) and returns the copy's key: each candidature owns its file.
func (s *Service) copyResume(ctx context.Context, key string) (string, error) {
	dst, err := s.newResumeKey()
	if err != nil {
		return "", err
	}
	if err := s.blobs.Copy(ctx, dst, key); err != nil {
		return "", fmt.Errorf("application: copy resume: %w", err)
	}
	return dst, nil
}

// dropResume deletes a CV stored by a transaction that failed afterwards.
func (s *Service) dropResume(ctx context.Context, key string) {
	if key != "" {
		s.blobs.Delete(context.WithoutCancel(ctx), key)
	}
}
