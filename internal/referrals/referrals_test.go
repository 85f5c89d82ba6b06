package referrals

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := newCode()
		if len(c) != 9 || c[4] != '-' {
			t.Fatalf("code %q is not XXXX-XXXX", c)
		}
		for _, r := range strings.ReplaceAll(c, "-", "") {
			if !strings.ContainsRune(codeAlphabet, r) {
				t.Fatalf("code %q has %q, outside the alphabet", c, r)
			}
		}
		if seen[c] {
			t.Fatalf("code %q made twice in 2000", c)
		}
		seen[c] = true
	}
	for typed, want := range map[string]string{"abcd-ef23": "ABCDEF23", " ABCD EF23 ": "ABCDEF23", "ABCDEF23": "ABCDEF23",
		"ABCD-EF2": "", "ABCD-EF231": "", "ABCD-EF2O": "", "ABCD-EF21": "", "ABCD-EF2I": "", "": "", "ABCD-ÉF23": ""} {
		if got := normaliseCode(typed); got != want {
			t.Errorf("normaliseCode(%q) = %q, want %q", typed, got, want)
		}
	}
	if hashCode("ABCDEF23") == hashCode("ABCDEF24") || strings.Contains(hashCode("ABCDEF23"), "ABCDEF23") {
		t.Fatal("hashCode")
	}
}

func TestClaimLimit(t *testing.T) {
	l := newClaimLimit()
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < l.MaxTries; i++ {
		if l.blocked(7, now) {
			t.Fatalf("blocked after %d tries", i)
		}
		l.fail(7, now.Add(time.Duration(i)*time.Minute))
	}
	if !l.blocked(7, now.Add(20*time.Minute)) || l.blocked(8, now) {
		t.Fatal("the limit does not hold, or holds for someone else")
	}
	if l.blocked(7, now.Add(l.Window+10*time.Minute)) {
		t.Fatal("the limit does not end")
	}
}

func TestMoves(t *testing.T) {
	allowed := map[[2]string]bool{
		{StatusSent, StatusReceived}: true, {StatusSent, StatusNoResponse}: true,
		{StatusReceived, StatusAccepted}: true, {StatusReceived, StatusDeclined}: true, {StatusReceived, StatusNoResponse}: true,
		{StatusAccepted, StatusAttended}: true, {StatusAttended, StatusClosed}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if got := CanMove(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestRowHidesSmallCounts(t *testing.T) {
	outsider := Row{Volume: Cell{N: 4}, Accepted: Cell{N: 3}, Answered: 4, Attended: Cell{N: 2}, days: []float64{3, 5}}
	outsider.finish()
	if !outsider.Volume.Hidden || !outsider.Accepted.Hidden || outsider.RateShown || outsider.MedianShow {
		t.Fatalf("an outsider sees small numbers: %+v", outsider)
	}
	staff := Row{Volume: Cell{N: 4}, Accepted: Cell{N: 3}, Answered: 4, Attended: Cell{N: 2}, days: []float64{3, 5}, staff: true}
	staff.finish()
	if staff.Volume.Hidden || !staff.RateShown || staff.Rate != 75 || staff.Median != "4.0" {
		t.Fatalf("staff: %+v", staff)
	}
	big := Row{Volume: Cell{N: 12}, Accepted: Cell{N: 6}, Answered: 10, Attended: Cell{N: 5}, days: []float64{9, 1, 4, 2, 30}}
	big.finish()
	if big.Volume.Hidden || big.Rate != 60 || big.Median != "4.0" || !big.MedianShow {
		t.Fatalf("large row: %+v", big)
	}
	zero := Row{Volume: Cell{N: 6}, Answered: 6}
	zero.finish()
	if zero.Accepted.Hidden || !zero.RateShown || zero.Rate != 0 {
		t.Fatalf("nobody accepted: %+v", zero)
	}
}

// world is a small network on a real database: an organisation with a
// coordinator and a group with a facilitator, a clinic with a professional,
// and a person to refer.
type world struct {
	d                               *db.DB
	svc                             *Service
	groups                          *groups.Service
	prof, fac, coord, patient, same context.Context
	group                           int64
	clinic, ngo                     int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := auth.System(context.Background())
	d := dbtest.Open(t)
	log := audit.New(d)
	accounts := auth.NewService(d, log, auth.Options{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	ngo, err := accounts.CreateOrg(ctx, auth.OrgInput{Slug: "yayasan", Name: "Yayasan", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	clinic, err := accounts.CreateOrg(ctx, auth.OrgInput{Slug: "klinik", Name: "Klinik", Kind: "clinic"})
	if err != nil {
		t.Fatal(err)
	}
	person := func(name string, org int64, role auth.Role) context.Context {
		u, _, err := accounts.Register(ctx, auth.Registration{Username: name, Password: "kata sandi yang panjang"})
		if err != nil {
			t.Fatal(err)
		}
		if role != "" {
			if err := accounts.GrantRole(ctx, u.ID, org, role); err != nil {
				t.Fatal(err)
			}
		}
		_, grants, err := accounts.Lookup(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: name, Grants: grants})
	}
	w := &world{d: d, ngo: ngo.ID, clinic: clinic.ID}
	w.coord = person("koordinator", ngo.ID, auth.RoleCoordinator)
	w.fac = person("fasilitator", ngo.ID, auth.RoleFacilitator)
	w.prof = person("dokter", clinic.ID, auth.RoleProfessional)
	w.same = person("dokter-lain", clinic.ID, auth.RoleProfessional)
	w.patient = person("pasien", 0, "")
	w.groups = groups.NewService(d, log, accounts)
	w.groups.Zone = time.UTC
	if w.group, err = w.groups.Create(w.coord, ngo.ID, groups.Input{Name: "Ruang Tenang", Description: "Kelompok dukungan kecemasan untuk berbagi.",
		Topic: "anxiety", Language: "id", Mode: "online", Capacity: "10", Open: true, Listed: true, ScreenHold: "crisis"}); err != nil {
		t.Fatal(err)
	}
	if err := w.groups.AssignFacilitator(w.coord, w.group, "fasilitator", "Kak Rani"); err != nil {
		t.Fatal(err)
	}
	key := secret.NewKey("t")
	box, err := secret.Parse(key)
	if err != nil {
		t.Fatal(err)
	}
	w.svc = NewService(d, log, box, w.groups)
	return w
}

func (w *world) input() Input {
	return Input{Kind: KindGroup, GroupID: w.group, Name: "Embun", Contact: "0812", Reason: "Sering cemas; ingin teman sebaya.",
		InviteLang: "id", Consent: true, ConsentMethod: "written", ConsentOn: time.Now().UTC().Format("2006-01-02")}
}

func status(t *testing.T, w *world, id int64) string {
	t.Helper()
	var s string
	if err := w.d.QueryRow(context.Background(), `SELECT status FROM referrals WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The loop on each engine, through the services: every step stamped, the
// details sealed, a code used once, attendance seen from the roll call.
func TestLoop(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.Create(w.coord, w.input()); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("a coordinator referring: %v", err)
	}
	bad := w.input()
	bad.Consent = false
	if _, err := w.svc.Create(w.prof, bad); err == nil || !strings.Contains(err.Error(), "referrals.consent_required") {
		t.Fatalf("no consent: %v", err)
	}
	id, err := w.svc.Create(w.prof, w.input())
	if err != nil {
		t.Fatal(err)
	}
	// Another professional of the same clinic does not see it.
	if _, err := w.svc.Referral(w.same, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("a colleague opened it: %v", err)
	}
	// A compare-and-swap that lost changes nothing.
	if err := move(ctx, w.d, id, StatusReceived, StatusAccepted, time.Now(), time.Now(), ""); !errors.Is(err, errMoved) {
		t.Fatalf("move from the wrong status: %v", err)
	}
	if err := move(ctx, w.d, id, StatusSent, StatusClosed, time.Now(), time.Now(), ""); err == nil {
		t.Fatal("a jump was written")
	}
	if s := status(t, w, id); s != StatusSent {
		t.Fatalf("after refused moves: %s", s)
	}
	r, err := w.svc.Referral(w.fac, id)
	if err != nil || r.Status != StatusReceived || r.Name != "Embun" || !r.IsReceiver {
		t.Fatalf("the facilitator opens it: %+v %v", r, err)
	}
	code, err := w.svc.Accept(w.fac, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Accept(w.coord, id); err == nil {
		t.Fatal("accepted twice")
	}
	if _, _, err := w.svc.Claim(w.patient, "AAAA-AAAA", "Embun", true); err == nil {
		t.Fatal("a wrong code was taken")
	}
	inv, st, err := w.svc.Claim(w.patient, strings.ToLower(code), "Embun", true)
	if err != nil || inv.GroupID != w.group || st != groups.StatusActive {
		t.Fatalf("claim: %+v %s %v", inv, st, err)
	}
	if _, _, err := w.svc.Claim(w.same, code, "Lain", true); err == nil {
		t.Fatal("a used code was taken again")
	}
	// A meeting that has begun; the facilitator marks the roll.
	start := time.Now().UTC().Add(10 * time.Minute).Truncate(time.Minute)
	sid, err := w.groups.CreateSession(w.fac, w.group, groups.SessionInput{Date: start.Format("2006-01-02"), Time: start.Format("15:04"), Minutes: "60"})
	if err != nil {
		t.Fatal(err)
	}
	patient := auth.FromContext(w.patient).UserID
	if err := w.groups.MarkRoll(w.fac, w.group, sid, start.Unix(), []int64{patient}); err != nil {
		t.Fatal(err)
	}
	r, err = w.svc.Referral(w.prof, id)
	if err != nil || r.Status != StatusAttended || r.AttendedAt == nil || !r.AttendedAt.Equal(start) {
		t.Fatalf("the referrer after the roll call: %+v %v", r, err)
	}
	if err := w.svc.Close(w.prof, id); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Close(w.fac, id); err == nil {
		t.Fatal("closed twice")
	} else if fe, ok := valid.As(err); !ok || fe.Key != "referrals.cannot.close" {
		t.Fatalf("closing twice: %v", err)
	}
	r, _ = w.svc.Referral(w.prof, id)
	if len(r.Timeline()) != 6 {
		t.Fatalf("timeline: %+v", r.Timeline())
	}
	// The stored values are sealed.
	var name string
	if err := w.d.QueryRow(ctx, `SELECT name_sealed FROM referrals WHERE id = $1`, id).Scan(&name); err != nil || strings.Contains(name, "Embun") || name == "" {
		t.Fatalf("name stored as %q", name)
	}
}

// Lists: the referrer's and the receivers', one audit entry per page.
func TestLists(t *testing.T) {
	w := newWorld(t)
	for i := 0; i < PerPage+3; i++ {
		if _, err := w.svc.Create(w.prof, w.input()); err != nil {
			t.Fatal(err)
		}
	}
	p1, err := w.svc.Sent(w.prof, "", 1)
	if err != nil || len(p1.Items) != PerPage || p1.Total != PerPage+3 || p1.Pages != 2 || p1.Items[0].Name != "Embun" {
		t.Fatalf("page 1: %d items of %d, %d pages, %v", len(p1.Items), p1.Total, p1.Pages, err)
	}
	p2, err := w.svc.Sent(w.prof, StatusSent, 2)
	if err != nil || len(p2.Items) != 3 {
		t.Fatalf("page 2: %d %v", len(p2.Items), err)
	}
	for _, who := range []context.Context{w.fac, w.coord} {
		got, err := w.svc.Received(who, "", 1)
		if err != nil || got.Total != PerPage+3 {
			t.Fatalf("received: %d %v", got.Total, err)
		}
	}
	if got, err := w.svc.Received(w.same, "", 1); err != nil || got.Total != 0 {
		t.Fatalf("a professional's received list: %d %v", got.Total, err)
	}
	if got, _ := w.svc.Received(w.fac, StatusClosed, 1); got.Total != 0 {
		t.Fatalf("status filter: %d", got.Total)
	}
	var n int
	if err := w.d.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'referrals.list.read'`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("list reads audited: %d %v", n, err)
	}
}

func TestHideOther(t *testing.T) {
	vol := func(r *Row) *Cell { return &r.Volume }
	rows := []Row{{Name: "a", Volume: Cell{N: 2, Hidden: true}}, {Name: "b", Volume: Cell{N: 9}}, {Name: "c", Volume: Cell{N: 7}},
		{Name: "own", Volume: Cell{N: 6}, staff: true}}
	total := Row{Volume: Cell{N: 24}}
	hideOther(rows, &total, vol)
	if !rows[2].Volume.Hidden || !rows[2].Volume.Other || rows[1].Volume.Hidden || rows[3].Volume.Hidden || total.Volume.Hidden {
		t.Fatalf("one hidden cell: the smallest other outsider's cell should hide: %+v", rows)
	}
	// Two hidden already: nothing more.
	hideOther(rows, &total, vol)
	if rows[1].Volume.Hidden {
		t.Fatal("a third cell was hidden")
	}
	// No other cell to hide: the total goes.
	lone := []Row{{Volume: Cell{N: 1, Hidden: true}}, {Volume: Cell{N: 9}, staff: true}}
	total = Row{Volume: Cell{N: 10}}
	hideOther(lone, &total, vol)
	if !total.Volume.Hidden || lone[1].Volume.Hidden {
		t.Fatalf("the total should hide: %+v %+v", total, lone)
	}
	// The network administrator's total never hides.
	total = Row{Volume: Cell{N: 10}, staff: true}
	hideOther(lone, &total, vol)
	if total.Volume.Hidden {
		t.Fatal("a staff total was hidden")
	}
}
