package evaluation

import (
	"errors"
	"strconv"
	"testing"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

func TestReports(t *testing.T) {
	gf := newGroupFixture(t)
	f := gf.f
	analyst := f.user("analyst")
	f.grant(analyst, gf.other, auth.RoleAnalyst)
	// The coordinator also facilitates the group: a report still suppresses.
	f.member(gf.group, gf.coord, "facilitator", day(2025, 1, 1))
	in := ReportInput{Title: "Laporan semester", From: "2026-01-01", To: "2026-06-30",
		Narrative: "Kelompok bertemu setiap minggu.\nKehadiran naik di bulan Februari.", Groups: []string{strconv.FormatInt(gf.group, 10)}}

	bad := []struct {
		change func(*ReportInput)
		field  string
	}{
		{func(r *ReportInput) { r.Title = "x" }, "title"},
		{func(r *ReportInput) { r.From = "1 Januari" }, "from"},
		{func(r *ReportInput) { r.To = "2025-12-31" }, "to"},
		{func(r *ReportInput) { r.Groups = []string{strconv.FormatInt(f.group(gf.other, "B", "grief"), 10)} }, "groups"},
		{func(r *ReportInput) { r.Narrative = "singkat" }, "narrative"},
	}
	for _, b := range bad {
		r := in
		b.change(&r)
		_, err := f.s.CreateReport(f.as(gf.coord), gf.org, r)
		if fe, ok := valid.As(err); !ok || fe.Field != b.field {
			t.Errorf("%s: %v", b.field, err)
		}
	}
	if _, err := f.s.CreateReport(f.as(analyst), gf.org, in); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("analyst writes a report: %v", err)
	}
	if _, err := f.s.CreateReport(f.as(gf.otherCoord), gf.org, in); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("another organisation's coordinator writes a report: %v", err)
	}
	id, err := f.s.CreateReport(f.as(gf.coord), gf.org, in)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := f.s.Report(f.as(analyst), id)
	if err != nil {
		t.Fatal(err)
	}
	if rv.CanEdit || rv.Report.Title != "Laporan semester" || len(rv.Report.Groups) != 1 || rv.Report.LastDay().Format("2006-01-02") != "2026-06-30" {
		t.Errorf("report %+v", rv.Report)
	}
	d := rv.Dashboard
	if d.Scope.Exempt || !d.Attendance.Months[0].Present.Hidden || d.Reach.Members.Value != 6 {
		t.Errorf("report figures: exempt %v, January %+v, members %+v", d.Scope.Exempt, d.Attendance.Months[0].Present, d.Reach.Members)
	}
	if _, err := f.s.Report(f.as(gf.facil), id); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("facilitator reads the report: %v", err)
	}
	list, more, err := f.s.Reports(f.as(gf.coord), 1)
	if err != nil || len(list) != 1 || more {
		t.Fatalf("reports %v %v %v", list, more, err)
	}
	if list, _, _ := f.s.Reports(f.as(gf.otherCoord), 1); len(list) != 0 {
		t.Errorf("another organisation lists the report")
	}
	in.Title, in.Groups = "Laporan semester pertama", nil
	if err := f.s.UpdateReport(f.as(gf.coord), id, in); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateReport(f.as(analyst), id, in); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("analyst edits: %v", err)
	}
	rv, err = f.s.Report(f.as(gf.coord), id)
	if err != nil || rv.Report.Title != "Laporan semester pertama" || len(rv.Report.GroupIDs) != 0 || !rv.CanEdit {
		t.Fatalf("after update %+v %v", rv.Report, err)
	}
	if err := f.s.DeleteReport(f.as(gf.otherCoord), id); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("another coordinator deletes: %v", err)
	}
	if err := f.s.DeleteReport(f.as(gf.coord), id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Report(f.as(gf.coord), id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleted report: %v", err)
	}
	var n int
	if err := f.d.QueryRow(f.ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'evaluation.report.%' AND target = $1`,
		"report:"+strconv.FormatInt(id, 10)).Scan(&n); err != nil || n != 3 {
		t.Errorf("audit entries %d %v", n, err)
	}
}
