package evaluation

import (
	"reflect"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/outcomes"
)

type outcomesChange = outcomes.Change

// keptRows counts the rows of evaluation_kept.
func (f *fx) keptRows() int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, `SELECT count(*) FROM evaluation_kept`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// The job works out the network's standard views ahead; a network
// administrator opening the dashboard gets those figures, with the job's
// time, until they go stale, and fresh ones after.
func TestKeptNetworkFigures(t *testing.T) {
	f := newFx(t)
	org := f.org("a")
	admin := f.user("admin")
	f.exec(`UPDATE users SET site_admin = TRUE WHERE id = $1`, admin)
	g := f.group(org, "Ruang", "depression")
	s := f.session(g, day(2026, 1, 5))
	var people []int64
	for i, n := range []string{"a", "b", "c", "d", "e", "f"} {
		p := f.user("p-" + n)
		people = append(people, p)
		f.member(g, p, "member", day(2026, 1, 2))
		f.attend(s, day(2026, 6, 1), p, true)
		b := f.response(p, org, g, "phq9", "baseline", float64(12+i), 0, day(2026, 1, 3))
		f.response(p, org, g, "phq9", "followup", float64(5+i), b, day(2026, 6, 2))
		f.response(p, org, g, "who5", "baseline", 12, 0, day(2026, 6, 3))
	}

	std, err := f.s.ParseFilter("", "", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	fresh := f.s.WithClock(func() time.Time { return clock })
	fresh.CacheFor = 0
	live, err := fresh.Dashboard(f.as(admin), std)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Keep(f.ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.keptRows(); n != 1+len(f.s.Topics) {
		t.Fatalf("kept %d views, want the network and each of %d topics", n, len(f.s.Topics))
	}
	// A meeting recorded after the job ran is not in the kept figures.
	f.attend(s, day(2026, 6, 8), people[0], true)
	d, err := f.s.Dashboard(f.as(admin), std)
	if err != nil {
		t.Fatal(err)
	}
	if d.Scope.Level != LevelNetwork || d.KeptFor != int(KeepEvery/time.Minute) || !d.Computed.Equal(clock) {
		t.Fatalf("scope %+v, kept for %d, computed %v", d.Scope, d.KeptFor, d.Computed)
	}
	if d.Attendance.Present.Value != 6 || d.Attendance.Meetings != 1 {
		t.Fatalf("kept attendance %+v", d.Attendance)
	}
	o := outcomeOf(t, d, "phq9")
	if o.Instrument == nil || o.Instrument.Code != "phq9" || o.N.Value != 6 || o.MeanChange.Value != -7 || o.Method != "rci" {
		t.Fatalf("kept outcome %+v", o)
	}
	// Every figure is as computed: the kept copy lacks only the raw change
	// statistics, which the page does not show.
	for i := range live.Outcomes {
		live.Outcomes[i].Change = outcomesChange{}
	}
	d.KeptFor, live.KeptFor = 0, 0
	if !reflect.DeepEqual(d, live) {
		t.Fatalf("kept figures differ from computed ones:\n%+v\n%+v", d, live)
	}
	// A topic's view was worked out too.
	dep := std
	dep.Topic = "depression"
	if d, err := f.s.Dashboard(f.as(admin), dep); err != nil || d.Attendance.Present.Value != 6 || !d.Computed.Equal(clock) {
		t.Fatalf("kept topic view: %+v %v", d, err)
	}

	// Half an hour later the job's figures are stale: computed afresh, with
	// the new meeting, and kept for CacheFor.
	later := clock.Add(2*KeepEvery + time.Second)
	s2 := f.s.WithClock(func() time.Time { return later })
	d, err = s2.Dashboard(f.as(admin), std)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Computed.Equal(later) || d.Attendance.Present.Value != 7 || d.Attendance.Meetings != 2 || d.KeptFor != 5 {
		t.Fatalf("after the job's figures went stale: computed %v, attendance %+v, kept for %d", d.Computed, d.Attendance, d.KeptFor)
	}

	// A day after going stale, the next run removes the figures.
	f.exec(`DELETE FROM evaluation_kept`)
	if err := f.s.Keep(f.ctx, nil); err != nil {
		t.Fatal(err)
	}
	s3 := f.s.WithClock(func() time.Time { return clock.Add(2*KeepEvery + keptDrop + time.Minute) })
	if err := s3.Keep(f.ctx, nil); err != nil {
		t.Fatal(err)
	}
	var old int
	if err := f.d.QueryRow(f.ctx, `SELECT count(*) FROM evaluation_kept WHERE computed_at = $1`, clock).Scan(&old); err != nil || old != 0 {
		t.Fatalf("stale figures left: %d (%v)", old, err)
	}
}

// A facilitator sees their own group's small cells: those figures are
// never kept; nor is anything when CacheFor is 0.
func TestKeptNeverSmallCells(t *testing.T) {
	f := newFx(t)
	org := f.org("a")
	facil, coord := f.user("facil"), f.user("coord")
	f.grant(facil, org, auth.RoleFacilitator)
	f.grant(coord, org, auth.RoleCoordinator)
	g := f.group(org, "Ruang", "anxiety")
	f.member(g, facil, "facilitator", day(2025, 1, 1))
	p := f.user("p")
	f.member(g, p, "member", day(2026, 2, 1))
	d, err := f.s.Dashboard(f.as(facil), period())
	if err != nil || !d.Scope.Exempt || d.KeptFor != 0 || d.Reach.Members.Hidden {
		t.Fatalf("facilitator's dashboard: %+v %v", d, err)
	}
	if n := f.keptRows(); n != 0 {
		t.Fatalf("a facilitator's figures were kept (%d rows)", n)
	}
	// The coordinator's figures (small cells hidden) are kept.
	d, err = f.s.Dashboard(f.as(coord), period())
	if err != nil || !d.Reach.Members.Hidden || f.keptRows() != 1 {
		t.Fatalf("coordinator's dashboard: %+v %v, %d kept", d.Reach, err, f.keptRows())
	}
	f.s.CacheFor = 0
	f.exec(`DELETE FROM evaluation_kept`)
	if _, err := f.s.Dashboard(f.as(coord), period()); err != nil || f.keptRows() != 0 {
		t.Fatalf("kept with CacheFor 0: %d (%v)", f.keptRows(), err)
	}
}
