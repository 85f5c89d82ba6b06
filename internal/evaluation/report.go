package evaluation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Report is a report for sponsors and partners: a period, the groups it
// covers (none listed: all of the organisation's) and the coordinator's
// narrative. Its figures are computed when it is shown, always with small
// cells suppressed, because it leaves the organisation.
type Report struct {
	ID        int64
	OrgID     int64
	OrgName   string
	Title     string
	From, To  time.Time // the period [From, To)
	GroupIDs  []int64
	Groups    []Option // the groups named, for display
	Narrative string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LastDay is the last day the report covers.
func (r Report) LastDay() time.Time { return r.To.AddDate(0, 0, -1) }

// ReportInput is the report form.
type ReportInput struct {
	Title, From, To, Narrative string
	Groups                     []string
}

// canManageReports: an organisation's coordinators and administrators (and
// network administrators) write its reports.
func canManageReports(p *auth.Principal, orgID int64) bool {
	return p.Can(auth.PermManageGroups, orgID) && p.Can(auth.PermViewOutcomes, orgID)
}

// ReportOrgs lists the organisations whose reports the caller may write.
func (s *Service) ReportOrgs(ctx context.Context) ([]Option, error) {
	p, err := requireUser(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if p.SiteAdmin {
		return s.options(ctx, `SELECT id, name FROM organisations ORDER BY name`)
	}
	for _, id := range p.OrgsWith(auth.PermManageGroups) {
		if canManageReports(p, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.options(ctx, db.IDList("o", ids)+`SELECT id, name FROM organisations WHERE id IN (SELECT value FROM o) ORDER BY name`)
}

// OrgGroups lists an organisation's groups, for the report form.
func (s *Service) OrgGroups(ctx context.Context, orgID int64) ([]Option, error) {
	p, err := requireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !canManageReports(p, orgID) {
		return nil, auth.ErrForbidden
	}
	return s.options(ctx, `SELECT id, name FROM support_groups WHERE org_id = $1 ORDER BY name`, orgID)
}

func (s *Service) checkReport(ctx context.Context, orgID int64, in ReportInput) (Report, error) {
	r := Report{OrgID: orgID}
	title, fe := valid.Name("title", in.Title, 3, 120)
	if fe != nil {
		return r, fe
	}
	r.Title = title
	from, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.From), s.Zone)
	if err != nil {
		return r, valid.Field("from", "form.date")
	}
	to, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.To), s.Zone)
	if err != nil {
		return r, valid.Field("to", "form.date")
	}
	r.From, r.To = from, to.AddDate(0, 0, 1)
	if !r.From.Before(r.To) {
		return r, valid.Field("to", "evaluation.period_order")
	}
	if r.To.Sub(r.From) > MaxPeriod {
		return r, valid.Field("from", "evaluation.period_long")
	}
	seen := map[int64]bool{}
	for _, g := range in.Groups {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id <= 0 {
			return r, valid.Field("groups", "form.choose")
		}
		var org int64
		err = s.db.QueryRow(ctx, `SELECT org_id FROM support_groups WHERE id = $1`, id).Scan(&org)
		if errors.Is(err, db.ErrNotFound) || err == nil && org != orgID {
			return r, valid.Field("groups", "form.choose")
		}
		if err != nil {
			return r, err
		}
		if !seen[id] {
			seen[id] = true
			r.GroupIDs = append(r.GroupIDs, id)
		}
	}
	narrative, fe := valid.Text("narrative", in.Narrative, 20, 20000, true)
	if fe != nil {
		return r, fe
	}
	r.Narrative = narrative
	return r, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// CreateReport adds a report to an organisation the caller coordinates.
func (s *Service) CreateReport(ctx context.Context, orgID int64, in ReportInput) (int64, error) {
	p, err := requireUser(ctx)
	if err != nil {
		return 0, err
	}
	if !canManageReports(p, orgID) {
		return 0, auth.ErrForbidden
	}
	r, err := s.checkReport(ctx, orgID, in)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_reports (org_id, title, period_from, period_to, group_ids, narrative, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			orgID, r.Title, r.From.UTC(), r.To.UTC(), joinIDs(r.GroupIDs), r.Narrative, p.UserID, now).Scan(&id); err != nil {
			return fmt.Errorf("evaluation: create report: %w", err)
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "evaluation.report.create",
			Target: fmt.Sprintf("report:%d", id), Detail: fmt.Sprintf("org:%d", orgID), IP: audit.IPFrom(ctx)})
	})
	return id, err
}

// UpdateReport changes a report.
func (s *Service) UpdateReport(ctx context.Context, id int64, in ReportInput) error {
	p, cur, err := s.manageReport(ctx, id)
	if err != nil {
		return err
	}
	r, err := s.checkReport(ctx, cur.OrgID, in)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outcome_reports SET title = $1, period_from = $2, period_to = $3, group_ids = $4, narrative = $5, updated_at = $6
			WHERE id = $7`, r.Title, r.From.UTC(), r.To.UTC(), joinIDs(r.GroupIDs), r.Narrative, s.now().UTC(), id); err != nil {
			return fmt.Errorf("evaluation: update report: %w", err)
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "evaluation.report.update",
			Target: fmt.Sprintf("report:%d", id), Detail: fmt.Sprintf("org:%d", cur.OrgID), IP: audit.IPFrom(ctx)})
	})
}

// DeleteReport removes a report (its figures stay in the data they came from).
func (s *Service) DeleteReport(ctx context.Context, id int64) error {
	p, cur, err := s.manageReport(ctx, id)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM outcome_reports WHERE id = $1`, id); err != nil {
			return fmt.Errorf("evaluation: delete report: %w", err)
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "evaluation.report.delete",
			Target: fmt.Sprintf("report:%d", id), Detail: fmt.Sprintf("org:%d", cur.OrgID), IP: audit.IPFrom(ctx)})
	})
}

func (s *Service) manageReport(ctx context.Context, id int64) (*auth.Principal, Report, error) {
	p, err := requireUser(ctx)
	if err != nil {
		return nil, Report{}, err
	}
	r, err := s.loadReport(ctx, id)
	if err != nil {
		return nil, r, err
	}
	if !canManageReports(p, r.OrgID) {
		return nil, r, auth.ErrForbidden
	}
	return p, r, nil
}

const reportCols = `r.id, r.org_id, o.name, r.title, r.period_from, r.period_to, r.group_ids, r.narrative, r.created_at, r.updated_at`

func scanReport(sc interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var groups string
	err := sc.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.Title, &r.From, &r.To, &groups, &r.Narrative, &r.CreatedAt, &r.UpdatedAt)
	r.GroupIDs = splitIDs(groups)
	return r, err
}

func (s *Service) loadReport(ctx context.Context, id int64) (Report, error) {
	r, err := scanReport(s.db.QueryRow(ctx, `SELECT `+reportCols+` FROM outcome_reports r JOIN organisations o ON o.id = r.org_id WHERE r.id = $1`, id))
	if err != nil {
		return r, err
	}
	r.From, r.To = r.From.In(s.Zone), r.To.In(s.Zone)
	if len(r.GroupIDs) > 0 {
		r.Groups, err = s.options(ctx, db.IDList("g", r.GroupIDs)+`SELECT id, name FROM support_groups WHERE id IN (SELECT value FROM g) ORDER BY name`)
	}
	return r, err
}

// Reports lists the reports of the organisations whose evaluation the caller
// sees, newest first, a page at a time.
func (s *Service) Reports(ctx context.Context, page int) ([]Report, bool, error) {
	a, err := s.viewer(ctx)
	if err != nil {
		return nil, false, err
	}
	if !a.network && len(a.orgs) == 0 {
		return nil, false, auth.ErrForbidden
	}
	const per = 25
	if page < 1 {
		page = 1
	}
	where, prefix := "", ""
	if !a.network {
		prefix = db.IDList("o", a.orgs)
		where = ` WHERE r.org_id IN (SELECT value FROM o)`
	}
	rows, err := s.db.Query(ctx, prefix+`SELECT `+reportCols+` FROM outcome_reports r JOIN organisations o ON o.id = r.org_id`+where+`
		ORDER BY r.created_at DESC, r.id DESC LIMIT $1 OFFSET $2`, per+1, (page-1)*per)
	if err != nil {
		return nil, false, fmt.Errorf("evaluation: reports: %w", err)
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, false, err
		}
		r.From, r.To = r.From.In(s.Zone), r.To.In(s.Zone)
		out = append(out, r)
	}
	more := len(out) > per
	if more {
		out = out[:per]
	}
	return out, more, rows.Err()
}

// ReportView is a report with its figures.
type ReportView struct {
	Report    Report
	Dashboard *Dashboard
	CanEdit   bool
}

// Report returns a report with its figures computed now, small cells
// suppressed for every reader.
func (s *Service) Report(ctx context.Context, id int64) (ReportView, error) {
	a, err := s.viewer(ctx)
	if err != nil {
		return ReportView{}, err
	}
	r, err := s.loadReport(ctx, id)
	if err != nil {
		return ReportView{}, err
	}
	if !a.hasOrg(r.OrgID) {
		return ReportView{}, auth.ErrForbidden
	}
	sc := Scope{Level: LevelOrg, OrgIDs: []int64{r.OrgID}, GroupIDs: r.GroupIDs}
	if len(r.GroupIDs) == 1 {
		sc.Level = LevelGroup
	}
	d, err := s.figures(ctx, sc, Filter{From: r.From, To: r.To, OrgID: r.OrgID})
	if err != nil {
		return ReportView{}, err
	}
	return ReportView{Report: r, Dashboard: d, CanEdit: canManageReports(a.p, r.OrgID)}, nil
}

// EditReport returns a report for its edit form.
func (s *Service) EditReport(ctx context.Context, id int64) (Report, error) {
	_, r, err := s.manageReport(ctx, id)
	return r, err
}
