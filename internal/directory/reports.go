package directory

import (
	"context"
	"errors"
	"strconv"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// ReportsPerPage is how many reports a page of the queue shows.
const ReportsPerPage = 20

// ReportProblem records that someone found something wrong with a
// listing. Anyone may report, signed in or not, within the limits of
// limiter.go; the report waits in the curators' queue.
func (s *Service) ReportProblem(ctx context.Context, serviceID string, in ReportInput) error {
	if err := checkID(serviceID); err != nil {
		return err
	}
	sv, err := s.store.Service(ctx, serviceID)
	if err != nil {
		return notFound(err)
	}
	reason, fe := valid.OneOf("reason", in.Reason, Reasons)
	if fe != nil {
		return fe
	}
	minNote := 0
	if reason == ReasonOther {
		minNote = 5
	}
	note, fe := valid.Text("note", in.Note, minNote, 1000, true)
	if fe != nil {
		return fe
	}
	p := auth.FromContext(ctx)
	now := s.now()
	limits := map[string]int{"ip:" + audit.IPFrom(ctx): reportsPerAddress}
	keys := []string{"ip:" + audit.IPFrom(ctx)}
	var reporter int64
	if p != nil {
		reporter = p.UserID
		key := "user:" + strconv.FormatInt(p.UserID, 10)
		limits[key] = reportsPerAccount
		keys = append(keys, key)
	} else {
		limits["strangers"] = reportsStrangers
		keys = append(keys, "strangers")
	}
	if w := s.lim.wait(now, limits); w > 0 {
		return &RateLimitedError{Wait: w}
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		id, err := insertReport(ctx, tx, s.secrets, Report{ServiceID: sv.ID, ServiceName: sv.Name, Reason: reason, Note: note, CreatedAt: now.UTC()}, reporter)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, "directory.report", "directory_report:"+strconv.FormatInt(id, 10), "service:"+sv.ID+" reason:"+reason)
	})
	if err != nil {
		return err
	}
	s.lim.add(now, keys...)
	return nil
}

// Reports returns a page of the curators' queue: open reports, or those
// already handled, with the people's notes unsealed. Curators only; the
// read of notes is audited.
func (s *Service) Reports(ctx context.Context, status string, page int) ([]Report, int, error) {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return nil, 0, err
	}
	if status != ReportOpen {
		status = "handled"
	}
	out, total, err := listReports(ctx, s.db, status, max(page, 1), ReportsPerPage)
	if err != nil {
		return nil, 0, err
	}
	notes := 0
	for i := range out {
		if out[i].Note != "" {
			notes++
		}
		if err := openNote(s.secrets, &out[i]); err != nil {
			return nil, 0, err
		}
		out[i].CreatedAt = out[i].CreatedAt.In(s.Zone)
		if h := out[i].HandledAt; h != nil {
			t := h.In(s.Zone)
			out[i].HandledAt = &t
		}
	}
	if notes > 0 {
		// People's notes are sealed; curators reading them is on the record.
		if err := s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "directory.report.read",
			Target: "directory_reports:" + status, Detail: strconv.Itoa(notes) + " notes", IP: audit.IPFrom(ctx)}); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// ErrHandled means the report was already resolved or dismissed (perhaps
// by another curator meanwhile).
var ErrHandled = errors.New("directory: report already handled")

// HandleReport resolves a report (the listing was put right; a note says
// how) or dismisses it (nothing to change; the note is optional).
// Curators only; audited.
func (s *Service) HandleReport(ctx context.Context, id int64, resolve bool, answer string) error {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return err
	}
	minLen := 0
	if resolve {
		minLen = 3
	}
	answer, fe := valid.Text("answer", answer, minLen, 1000, true)
	if fe != nil {
		return fe
	}
	status, action := ReportDismissed, "directory.report.dismiss"
	if resolve {
		status, action = ReportResolved, "directory.report.resolve"
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := reportByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status != ReportOpen {
			return ErrHandled
		}
		if _, err := tx.Exec(ctx, `UPDATE directory_reports SET status = $1, answer = $2, handled_by = $3, handled_at = $4 WHERE id = $5 AND status = 'open'`,
			status, answer, p.UserID, now, id); err != nil {
			return err
		}
		return s.record(ctx, tx, action, "directory_report:"+strconv.FormatInt(id, 10), "service:"+r.ServiceID)
	})
}
