package measure_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// fixture is an organisation with a coordinator and one open group, the
// measurement service on a clock the test moves, and recorders for the
// safety path, notices and jobs.
type fixture struct {
	db     *db.DB
	auth   *auth.Service
	groups *groups.Service
	box    *secret.Box
	svc    *measure.Service
	sys    context.Context
	coord  context.Context
	org    int64
	group  int64
	now    time.Time
	esc    *escalations
	notes  *notices
	jobs   *jobList
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	log := audit.New(d)
	a := auth.NewService(d, log, auth.Options{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	box, err := secret.Parse(secret.NewKey("test"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: d, auth: a, box: box, sys: auth.System(context.Background()),
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), esc: &escalations{}, notes: &notices{}, jobs: &jobList{}}
	clock := func() time.Time { return f.now }
	f.groups = groups.NewService(d, log, a).WithClock(clock)
	f.svc = measure.NewService(d, log, box).WithClock(clock)
	f.svc.Safety = f.esc
	f.svc.Messaging = &measure.Messaging{Notices: f.notes, Jobs: f.jobs}
	o, err := a.CreateOrg(f.sys, auth.OrgInput{Slug: "yayasan", Name: "Yayasan Pulih", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	f.org = o.ID
	f.coord = f.person(t, "koordinator", auth.RoleCoordinator)
	f.group = f.newGroup(t, "Ruang Tenang")
	return f
}

func (f *fixture) newGroup(t *testing.T, name string) int64 {
	t.Helper()
	id, err := f.groups.Create(f.coord, f.org, groups.Input{Name: name, Description: "Kelompok dukungan", Topic: "anxiety",
		Language: "id", Region: "DKI Jakarta", Mode: "online", Capacity: "20", Open: true, Listed: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) person(t *testing.T, name string, role auth.Role) context.Context {
	t.Helper()
	u, _, err := f.auth.Register(f.sys, auth.Registration{Username: name, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	var grants []auth.Grant
	if role != "" {
		if err := f.auth.GrantRole(f.sys, u.ID, f.org, role); err != nil {
			t.Fatal(err)
		}
		grants = []auth.Grant{{OrgID: f.org, Role: role}}
	}
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
}

// member registers someone who joins group now.
func (f *fixture) member(t *testing.T, name string, group int64) context.Context {
	t.Helper()
	ctx := f.person(t, name, "")
	if _, err := f.groups.Join(ctx, group, groups.JoinInput{DisplayName: "Nama " + name, AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func uid(ctx context.Context) int64 { return auth.FromContext(ctx).UserID }

// plan makes a plan over the fixture's group with steps given as
// (what, timepoint, after, count) quadruples.
func (f *fixture) plan(t *testing.T, steps ...[4]string) int64 {
	t.Helper()
	id, err := f.svc.CreatePlan(f.coord, f.org, measure.PlanInput{Name: "Program Pulih", Groups: []int64{f.group}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if _, err := f.svc.AddStep(f.coord, id, measure.StepInput{What: st[0], Timepoint: st[1], After: st[2], Count: st[3]}); err != nil {
			t.Fatalf("step %v: %v", st, err)
		}
	}
	return id
}

// open returns the caller's open questionnaires.
func (f *fixture) open(t *testing.T, ctx context.Context) []measure.Due {
	t.Helper()
	due, err := f.svc.OpenDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// find returns the caller's open questionnaire of an instrument and
// timepoint, failing when there is none.
func (f *fixture) find(t *testing.T, ctx context.Context, instrument, timepoint string) measure.Due {
	t.Helper()
	for _, d := range f.open(t, ctx) {
		if d.Instrument == instrument && d.Timepoint == timepoint {
			return d
		}
	}
	t.Fatalf("no open %s %s for %s", instrument, timepoint, auth.FromContext(ctx).Username)
	return measure.Due{}
}

// has reports whether the caller has an open questionnaire of an instrument
// and timepoint.
func (f *fixture) has(t *testing.T, ctx context.Context, instrument, timepoint string) bool {
	t.Helper()
	for _, d := range f.open(t, ctx) {
		if d.Instrument == instrument && d.Timepoint == timepoint {
			return true
		}
	}
	return false
}

// answers fills an instrument's form: values in item order.
func answers(values ...int) map[string][]string {
	form := map[string][]string{}
	for i, v := range values {
		form[measure.ItemField(i)] = []string{strconv.Itoa(v)}
	}
	return form
}

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldKey returns the translation key of a field error, or "".
func fieldKey(err error) string {
	if fe, ok := valid.As(err); ok {
		return fe.Key
	}
	return ""
}

// problems returns the field → key map of a questionnaire's problems.
func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var p measure.Problems
	if !errors.As(err, &p) {
		t.Fatalf("want Problems, got %v", err)
	}
	out := map[string]string{}
	for _, e := range p {
		out[e.Field] = e.Key
	}
	return out
}

// escalations records what the safety path was asked to open; Screen flags
// the word "mati" as a crisis, like the real screener would.
type escalations struct {
	mu   sync.Mutex
	list []escalation
	fail bool
}

type escalation struct {
	user, group int64
	level, text string
	reasons     []string
}

func (e *escalations) Screen(_ context.Context, text string) (string, []string, error) {
	for _, w := range []string{"ingin mati", "mengakhiri hidup"} {
		if containsFold(text, w) {
			return "crisis", []string{"ideation"}, nil
		}
	}
	return "none", nil, nil
}

func (e *escalations) Escalate(_ context.Context, userID, groupID int64, level, text string, reasons []string) (int64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fail {
		return 0, errors.New("safety is down")
	}
	e.list = append(e.list, escalation{userID, groupID, level, text, reasons})
	return int64(len(e.list)), nil
}

func containsFold(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }

// notices records the notices given.
type notices struct {
	mu   sync.Mutex
	list []notice
}

type notice struct {
	user       int64
	kind, link string
}

func (n *notices) Notify(_ context.Context, _ db.Querier, users []int64, kind string, _ map[string]string, link string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, u := range users {
		n.list = append(n.list, notice{u, kind, link})
	}
	return nil
}

func (n *notices) of(user int64) []notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []notice
	for _, x := range n.list {
		if x.user == user {
			out = append(out, x)
		}
	}
	return out
}

// jobList records the jobs enqueued, by key.
type jobList struct {
	mu   sync.Mutex
	keys []string
	kind []string
}

func (j *jobList) Enqueue(_ context.Context, _ db.Querier, kind string, _ any, _ time.Time, key string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.keys = append(j.keys, key)
	j.kind = append(j.kind, kind)
	return nil
}
