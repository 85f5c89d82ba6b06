package help

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Service reads and edits the crisis lines.
type Service struct {
	db    *db.DB
	audit *audit.Log
	now   func() time.Time
}

// NewService returns the help service.
func NewService(d *db.DB, a *audit.Log) *Service { return &Service{db: d, audit: a, now: time.Now} }

// Lines lists the lines of a region for anyone, signed in or not: help must
// never sit behind a sign-in.
func (s *Service) Lines(ctx context.Context, region string) ([]Line, error) {
	return listLines(ctx, s.db, region)
}

// AllLines lists every region's lines for the editor.
func (s *Service) AllLines(ctx context.Context) ([]Line, error) {
	if _, err := auth.Require(ctx, auth.PermEditHelp, 0); err != nil {
		return nil, err
	}
	return listLines(ctx, s.db, "")
}

// Line returns one line for the editor.
func (s *Service) Line(ctx context.Context, id int64) (Line, error) {
	if _, err := auth.Require(ctx, auth.PermEditHelp, 0); err != nil {
		return Line{}, err
	}
	return lineByID(ctx, s.db, id)
}

// LineInput is the editor's form.
type LineInput struct {
	Region, Name, Contact, URL, Hours, NoteEN, NoteID, SortOrder, LastVerified string
}

func (s *Service) check(in LineInput) (Line, error) {
	var l Line
	var fe *valid.Error
	if l.Region, fe = valid.OneOf("region", strings.ToUpper(strings.TrimSpace(in.Region)), Regions); fe != nil {
		return l, fe
	}
	if l.Name, fe = valid.Name("name", in.Name, 2, 120); fe != nil {
		return l, fe
	}
	if l.Contact, fe = valid.Name("contact", in.Contact, 2, 120); fe != nil {
		return l, fe
	}
	if l.URL, fe = valid.Text("url", in.URL, 0, 300, false); fe != nil {
		return l, fe
	}
	if l.URL != "" {
		u, err := url.Parse(l.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return l, valid.Field("url", "form.url")
		}
	}
	if l.Hours, fe = valid.Name("hours", in.Hours, 0, 60); fe != nil {
		return l, fe
	}
	if l.NoteEN, fe = valid.Text("note_en", in.NoteEN, 0, 600, true); fe != nil {
		return l, fe
	}
	if l.NoteID, fe = valid.Text("note_id", in.NoteID, 0, 600, true); fe != nil {
		return l, fe
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.SortOrder))
	if strings.TrimSpace(in.SortOrder) == "" {
		n, err = 0, nil
	}
	if err != nil || n < 0 || n > 10000 {
		return l, valid.Field("sort_order", "form.number", "min", 0, "max", 10000)
	}
	l.SortOrder = n
	d, err := time.Parse("2006-01-02", strings.TrimSpace(in.LastVerified))
	if err != nil {
		return l, valid.Field("last_verified", "form.date")
	}
	if d.After(s.now().UTC()) {
		return l, valid.Field("last_verified", "help.future_date")
	}
	l.LastVerified = d.UTC()
	l.UpdatedAt = s.now().UTC()
	return l, nil
}

// Create adds a line.
func (s *Service) Create(ctx context.Context, in LineInput) (int64, error) {
	p, err := auth.Require(ctx, auth.PermEditHelp, 0)
	if err != nil {
		return 0, err
	}
	l, err := s.check(in)
	if err != nil {
		return 0, err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if l.ID, err = insertLine(ctx, tx, l); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "help.line.create", l)
	})
	return l.ID, err
}

// Update changes a line.
func (s *Service) Update(ctx context.Context, id int64, in LineInput) error {
	p, err := auth.Require(ctx, auth.PermEditHelp, 0)
	if err != nil {
		return err
	}
	l, err := s.check(in)
	if err != nil {
		return err
	}
	l.ID = id
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := updateLine(ctx, tx, l); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "help.line.update", l)
	})
}

// Delete removes a line.
func (s *Service) Delete(ctx context.Context, id int64) error {
	p, err := auth.Require(ctx, auth.PermEditHelp, 0)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		l, err := lineByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := deleteLine(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "help.line.delete", l)
	})
}

func (s *Service) record(ctx context.Context, q db.Querier, p *auth.Principal, action string, l Line) error {
	return s.audit.Record(ctx, q, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: action,
		Target: fmt.Sprintf("crisis_line:%d", l.ID), Detail: l.Region + " " + l.Name + ": " + l.Contact, IP: audit.IPFrom(ctx)})
}
