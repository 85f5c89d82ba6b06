package evaluation

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
)

// groupFixture is one group with seven people whose joining, meetings and
// board posts give the figures worked out in TestReachAttendanceRetention.
type groupFixture struct {
	f                 *fx
	org, other        int64
	group, otherGroup int64
	coord, facil      int64
	otherCoord        int64
	member            int64 // a member with no role
}

func newGroupFixture(t *testing.T) *groupFixture {
	f := newFx(t)
	gf := &groupFixture{f: f, org: f.org("a"), other: f.org("b")}
	gf.coord, gf.facil, gf.otherCoord = f.user("coord"), f.user("facil"), f.user("coordb")
	f.grant(gf.coord, gf.org, auth.RoleCoordinator)
	f.grant(gf.facil, gf.org, auth.RoleFacilitator)
	f.grant(gf.otherCoord, gf.other, auth.RoleCoordinator)
	gf.group = f.group(gf.org, "Ruang", "anxiety")
	gf.otherGroup = f.group(gf.org, "Lain", "grief")
	f.member(gf.group, gf.facil, "facilitator", day(2025, 1, 1))

	people := map[string]int64{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		people[n] = f.user("person-" + n)
	}
	gf.member = people["a"]
	join := map[string]time.Time{"a": day(2025, 11, 10), "b": day(2026, 1, 5), "c": day(2026, 1, 20), "d": day(2026, 1, 25),
		"e": day(2026, 3, 2), "f": day(2026, 2, 1), "g": day(2025, 6, 1)}
	for n, at := range join {
		f.member(gf.group, people[n], "member", at)
	}
	f.left(gf.group, people["f"], day(2026, 2, 20))
	f.left(gf.group, people["g"], day(2025, 10, 1))
	s := f.session(gf.group, day(2026, 1, 12))
	marks := []struct {
		at      time.Time
		who     string
		present bool
	}{
		{day(2026, 1, 12), "b", true}, {day(2026, 1, 12), "a", false},
		{day(2026, 1, 26), "c", true},
		{day(2026, 2, 9), "a", true}, {day(2026, 2, 9), "b", true}, {day(2026, 2, 9), "f", true},
		{day(2026, 3, 9), "e", true},
		{day(2026, 4, 6), "b", true}, {day(2026, 4, 6), "e", false},
		{day(2025, 12, 1), "a", true}, // before the period
	}
	for _, m := range marks {
		f.attend(s, m.at, people[m.who], m.present)
	}
	f.post(gf.group, people["d"], day(2026, 3, 1))
	f.post(gf.group, people["g"], day(2025, 9, 1)) // before the period
	return gf
}

// TestReachAttendanceRetention checks the group figures against the
// fixture, worked out by hand:
//
//	members in the period: a b c d e f (g left before it) = 6; new: b c d e f = 5;
//	active (present or posted): a b c d e f = 6
//	marks in the period: 9, of which 7 present, at 5 meetings, by 5 people
//	present by month: Jan 2 (b c), Feb 3 (a b f), Mar 1 (e), Apr 1 (b)
//	cohorts: Jan b c d (b last present in Apr): after 1 month 1/3, after 3 1/3, after 6 not yet;
//	         Feb f (last present Feb): 0/1, 0/1; Mar e (last present Mar): 0/1, 0/1
func TestReachAttendanceRetention(t *testing.T) {
	gf := newGroupFixture(t)
	f := gf.f
	d, err := f.s.Dashboard(f.as(gf.facil), period())
	if err != nil {
		t.Fatal(err)
	}
	if d.Scope.Level != LevelMine || !d.Scope.Exempt {
		t.Fatalf("facilitator's scope %+v", d.Scope)
	}
	check := func(name string, c Cell, want float64) {
		t.Helper()
		if c.Value != want || c.Hidden {
			t.Errorf("%s = %+v, want %v shown", name, c, want)
		}
	}
	check("members", d.Reach.Members, 6)
	check("new", d.Reach.New, 5)
	check("active", d.Reach.Active, 6)
	if d.Attendance.Meetings != 5 {
		t.Errorf("meetings %d, want 5", d.Attendance.Meetings)
	}
	check("present", d.Attendance.Present, 7)
	check("people", d.Attendance.People, 5)
	near(t, "rate", d.Attendance.Rate.Value, 7.0/9, 1e-9)
	wantMonths := []float64{2, 3, 1, 1, 0, 0}
	if len(d.Attendance.Months) != 6 {
		t.Fatalf("%d months", len(d.Attendance.Months))
	}
	for i, m := range d.Attendance.Months {
		check(m.Month.Format("Jan"), m.Present, wantMonths[i])
	}
	if len(d.Retention) != 6 {
		t.Fatalf("%d cohorts", len(d.Retention))
	}
	jan, feb, mar, apr := d.Retention[0], d.Retention[1], d.Retention[2], d.Retention[3]
	check("January cohort", jan.Size, 3)
	near(t, "January after 1", jan.After[0].Share.Value, 1.0/3, 1e-9)
	near(t, "January after 3", jan.After[1].Share.Value, 1.0/3, 1e-9)
	if !jan.After[2].NotYet || jan.After[1].NotYet {
		t.Errorf("January: after 6 months must be not yet, after 3 known: %+v", jan.After)
	}
	check("February cohort", feb.Size, 1)
	check("February after 1", feb.After[0].Share, 0)
	check("March cohort", mar.Size, 1)
	if mar.After[1].NotYet || mar.After[1].Share.Value != 0 {
		t.Errorf("March after 3 months: %+v", mar.After[1])
	}
	if apr.Size.Value != 0 || !apr.After[1].NotYet || apr.After[0].NotYet || !apr.After[0].Share.Empty() {
		t.Errorf("April cohort: %+v", apr)
	}
}

// TestSmallCellsSuppressed: the coordinator sees figures from fewer than 5
// people as hidden, the group's own facilitator sees them.
func TestSmallCellsSuppressed(t *testing.T) {
	gf := newGroupFixture(t)
	f := gf.f
	fl := period()
	fl.GroupID = gf.group
	d, err := f.s.Dashboard(f.as(gf.coord), fl)
	if err != nil {
		t.Fatal(err)
	}
	if d.Scope.Level != LevelGroup || d.Scope.Exempt {
		t.Fatalf("coordinator's scope %+v", d.Scope)
	}
	if d.Reach.Members.Hidden || d.Attendance.People.Hidden {
		t.Error("counts of 6 and 5 people hidden")
	}
	if !d.Attendance.Months[0].Present.Hidden || !d.Attendance.Months[1].Present.Hidden {
		t.Error("months with 2 and 3 people shown")
	}
	if !d.Retention[0].Size.Hidden || !d.Retention[0].After[0].Share.Hidden {
		t.Error("a cohort of 3 shown")
	}
	d, err = f.s.Dashboard(f.as(gf.facil), fl)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Scope.Exempt || d.Attendance.Months[0].Present.Hidden || d.Retention[0].Size.Hidden {
		t.Errorf("the group's facilitator gets suppressed figures: %+v", d.Scope)
	}
}

// TestWhoSeesWhat: facilitators their groups, coordinators their
// organisation, nobody else's.
func TestWhoSeesWhat(t *testing.T) {
	gf := newGroupFixture(t)
	f := gf.f
	deny := func(name string, user int64, fl Filter) {
		t.Helper()
		if _, err := f.s.Dashboard(f.as(user), fl); !errors.Is(err, auth.ErrForbidden) {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
	fl := period()
	fl.GroupID = gf.otherGroup
	deny("facilitator, another group", gf.facil, fl)
	fl = period()
	fl.OrgID = gf.org
	deny("facilitator, the organisation", gf.facil, fl)
	deny("another organisation's coordinator", gf.otherCoord, fl)
	deny("a member", gf.member, period())
	fl.GroupID = gf.group
	deny("another organisation's coordinator, a group", gf.otherCoord, fl)
	if _, err := f.s.Dashboard(f.ctx, period()); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("stranger: %v", err)
	}
	// Exports: never for a facilitator alone.
	if _, _, err := f.s.exportScope(f.as(gf.facil), period()); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("facilitator export: %v", err)
	}
	if _, err := f.s.StartExport(f.as(gf.member), period(), FormatLong); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("member export: %v", err)
	}
	// The coordinator's group list is their organisation's.
	_, groups, err := f.s.Options(f.as(gf.coord), Filter{})
	if err != nil || len(groups) != 2 {
		t.Errorf("coordinator's groups %v %v", groups, err)
	}
}

// TestParseFilter: dates in the deployment's zone, a default of twelve
// months, and clear errors.
func TestParseFilter(t *testing.T) {
	f := newFx(t)
	fl, err := f.s.ParseFilter("", "", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !fl.To.Equal(time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC)) || !fl.From.Equal(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("default period %v – %v", fl.From, fl.To)
	}
	for _, c := range []struct{ from, to, topic, field, key string }{
		{"2026-13-01", "", "", "from", "form.date"},
		{"2026-05-01", "2026-04-01", "", "to", "evaluation.period_order"},
		{"2015-01-01", "2026-01-01", "", "from", "evaluation.period_long"},
		{"", "", "astrology", "topic", "form.choose"},
	} {
		_, err := f.s.ParseFilter(c.from, c.to, "", "", c.topic)
		if fe, ok := err.(interface{ Error() string }); !ok || fe.Error() != c.field+": "+c.key {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// TestComplementarySuppression: when one month's figure is hidden and the
// total is shown, another month is hidden too, so the hidden one cannot be
// worked out by subtraction; the same for the cohorts' sizes.
func TestComplementarySuppression(t *testing.T) {
	f := newFx(t)
	org := f.org("a")
	coord := f.user("coord")
	f.grant(coord, org, auth.RoleCoordinator)
	g := f.group(org, "Ruang", "anxiety")
	s := f.session(g, day(2026, 1, 5))
	var people []int64
	for i := 0; i < 8; i++ {
		p := f.user("p" + strconv.Itoa(i))
		people = append(people, p)
		joined := day(2026, 1, 2) // cohorts: January 6, February 2
		if i >= 6 {
			joined = day(2026, 2, 2)
		}
		f.member(g, p, "member", joined)
	}
	// Present: January 6 people, February 7, March 2.
	for i, p := range people {
		if i < 6 {
			f.attend(s, day(2026, 1, 12), p, true)
		}
		if i < 7 {
			f.attend(s, day(2026, 2, 9), p, true)
		}
		if i < 2 {
			f.attend(s, day(2026, 3, 9), p, true)
		}
	}
	d, err := f.s.Dashboard(f.as(coord), period())
	if err != nil {
		t.Fatal(err)
	}
	if d.Attendance.Present.Hidden || d.Attendance.Present.Value != 15 {
		t.Fatalf("total present %+v", d.Attendance.Present)
	}
	m := d.Attendance.Months
	if !m[2].Present.Hidden || !m[0].Present.Hidden || !m[0].People.Hidden || m[1].Present.Hidden || m[1].Present.Value != 7 {
		t.Errorf("January (6, the smallest shown) must be hidden with March (2): %+v", m[:3])
	}
	r := d.Retention
	if d.Reach.New.Hidden || d.Reach.New.Value != 8 {
		t.Fatalf("new members %+v", d.Reach.New)
	}
	if !r[1].Size.Hidden || !r[0].Size.Hidden || !r[0].After[0].Share.Hidden {
		t.Errorf("the January cohort (6) must be hidden with February's (2): %+v", r[:2])
	}

	// Nothing to complement when two cells are hidden already, or none.
	a, b, c := Cell{Value: 3, People: 3, Hidden: true}, Cell{Value: 2, People: 2, Hidden: true}, Cell{Value: 9, People: 9}
	if complement([]*Cell{&a, &b, &c}) != -1 || c.Hidden {
		t.Error("two hidden cells: nothing more to hide")
	}
	a.Hidden, b.Hidden = false, false
	if complement([]*Cell{&a, &b, &c}) != -1 {
		t.Error("nothing hidden: nothing to hide")
	}
	empty := Cell{}
	a.Hidden = true
	if complement([]*Cell{&a, &empty, &c}) != 2 || !c.Hidden || empty.Hidden {
		t.Error("an empty month is no cover: the 9 must be hidden")
	}
}
