package directory_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

var wib = time.FixedZone("WIB", 7*3600)

// monday10 is Monday 23 November 2026, 10:00 WIB.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, wib)

// Ids of the fixture's services and term.
const (
	idA    = "a0000000-0000-4000-8000-00000000000a" // Jakarta, free, online and in person, office hours
	idB    = "b0000000-0000-4000-8000-00000000000b" // Bandung, paid, Sundanese, weekends
	idC    = "c0000000-0000-4000-8000-00000000000c" // online only, free, afternoons and evenings
	idD    = "d0000000-0000-4000-8000-00000000000d" // Bogor, low cost, Tuesday and Thursday evenings
	idE    = "e0000000-0000-4000-8000-00000000000e" // Jakarta, free, inactive
	termID = "f0000000-0000-4000-8000-0000000000f1"
)

type fixture struct {
	db    *db.DB
	log   *audit.Log
	auth  *auth.Service
	store *hsds.Store
	dir   *directory.Service
	clock *time.Time
	box   *secret.Box
	sys   context.Context
	org   int64
}

func (f *fixture) now() time.Time { return *f.clock }

// uid is a stable UUID for a record of the fixture.
func uid(key string) string {
	h := sha1.Sum([]byte(key))
	h[6], h[8] = h[6]&0x0f|0x40, h[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func place(id, name string, lat, lon float64, city string) hsds.ServiceAtLocation {
	return hsds.ServiceAtLocation{ID: uid(id + "-sal"), Location: &hsds.Location{ID: uid(id + "-loc"), LocationType: hsds.LocationPhysical, Name: name,
		Latitude: &lat, Longitude: &lon, Addresses: []hsds.Address{{ID: uid(id + "-adr"), Address1: "Jl. Contoh 1", City: city,
			StateProvince: "Jawa Barat", PostalCode: "40111", Country: "ID", AddressType: "physical"}}}}
}

func online(id, url string) hsds.ServiceAtLocation {
	return hsds.ServiceAtLocation{ID: uid(id + "-vsal"), Location: &hsds.Location{ID: uid(id + "-vloc"), LocationType: hsds.LocationVirtual, URL: url}}
}

func weekly(id, days, opens, closes string) []hsds.Schedule {
	return []hsds.Schedule{{ID: uid(id + "-sch"), Freq: "WEEKLY", ByDay: days, OpensAt: opens, ClosesAt: closes}}
}

func lang(id, code, name string) []hsds.Language {
	return []hsds.Language{{ID: uid(id + "-" + code), Code: code, Name: name}}
}

func free(id string) []hsds.CostOption {
	zero := 0.0
	return []hsds.CostOption{{ID: uid(id + "-cost"), Option: "Gratis", Amount: &zero, Currency: "IDR"}}
}

func priced(id string, amount float64) []hsds.CostOption {
	return []hsds.CostOption{{ID: uid(id + "-cost"), Option: "Per sesi", Amount: &amount, Currency: "IDR"}}
}

func fixtureServices() []hsds.Service {
	org := &hsds.Organization{ID: "0a000000-0000-4000-8000-000000000001", Name: "Yayasan Contoh", Description: "Organisasi contoh."}
	term := &hsds.TaxonomyTerm{ID: termID, Name: "Konseling / Counselling", Description: "Talking with a counsellor."}
	a := hsds.Service{ID: idA, Name: "Konseling Pelita", Status: "active", Organization: org,
		Description:        "Konseling untuk kecemasan dan depresi; counselling sessions in English too.",
		Phones:             []hsds.Phone{{ID: uid(idA + "-ph"), Number: "+62 000 0000 0001"}},
		ServiceAtLocations: []hsds.ServiceAtLocation{place(idA, "Kantor Jakarta", -6.1754, 106.8272, "Jakarta"), online(idA, "https://pelita.example")},
		Schedules:          weekly(idA, "MO,TU,WE,TH,FR", "08:00", "16:00"), Languages: append(lang(idA, "id", "Bahasa Indonesia"), lang(idA, "en", "English")...),
		CostOptions: free(idA), Attributes: []hsds.Attribute{{ID: uid(idA + "-attr"), TaxonomyTerm: term, LinkEntity: "service"}}}
	b := hsds.Service{ID: idB, Name: "Klinik Jiwa Bandung", Status: "active", OrganizationID: org.ID, Description: "Poli jiwa dengan psikiater.",
		ServiceAtLocations: []hsds.ServiceAtLocation{place(idB, "Klinik", -6.9175, 107.6191, "Bandung")},
		Schedules:          weekly(idB, "SA,SU", "09:00", "13:00"), Languages: lang(idB, "su", "Basa Sunda"), CostOptions: priced(idB, 300000)}
	c := hsds.Service{ID: idC, Name: "Chat Dengar", Status: "active", OrganizationID: org.ID, Description: "Teman bicara lewat chat saat cemas.",
		ServiceAtLocations: []hsds.ServiceAtLocation{online(idC, "https://dengar.example")}, Schedules: weekly(idC, "MO,TU,WE,TH,FR,SA,SU", "16:00", "23:00"),
		Languages: lang(idC, "id", "Bahasa Indonesia"), CostOptions: free(idC)}
	d := hsds.Service{ID: idD, Name: "Sebaya Bogor", Status: "active", OrganizationID: org.ID, Description: "Kelompok sebaya.",
		ServiceAtLocations: []hsds.ServiceAtLocation{place(idD, "Balai", -6.5950, 106.8166, "Bogor")}, Schedules: weekly(idD, "TU,TH", "19:00", "21:00"),
		Languages: lang(idD, "id", "Bahasa Indonesia"), CostOptions: priced(idD, 20000)}
	e := hsds.Service{ID: idE, Name: "Konseling Lama", Status: "inactive", OrganizationID: org.ID, Description: "Konseling gratis yang sudah berhenti.",
		ServiceAtLocations: []hsds.ServiceAtLocation{place(idE, "Kantor lama", -6.18, 106.83, "Jakarta")}, CostOptions: free(idE)}
	return []hsds.Service{a, b, c, d, e}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	log := audit.New(d)
	a := auth.NewService(d, log, auth.Options{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	clock := monday10
	f := &fixture{db: d, log: log, auth: a, clock: &clock, sys: auth.System(context.Background())}
	f.store = hsds.NewStore(d).WithClock(f.now)
	box, err := secret.Parse(secret.NewKey("test"))
	if err != nil {
		t.Fatal(err)
	}
	f.box = box
	f.dir = directory.NewService(f.store, d, log, box, wib).WithClock(f.now)
	body, err := json.Marshal(fixtureServices())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ImportJSON(context.Background(), bytes.NewReader(body), nil); err != nil {
		t.Fatal(err)
	}
	o, err := a.CreateOrg(f.sys, auth.OrgInput{Slug: "yayasan", Name: "Yayasan", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	f.org = o.ID
	return f
}

// person registers someone with a role and returns their context.
func (f *fixture) person(t *testing.T, name string, role auth.Role) (context.Context, int64) {
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
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
	return audit.WithIP(ctx, "192.0.2.10"), u.ID
}

func names(t *testing.T, r *directory.Results) []string {
	t.Helper()
	var out []string
	for _, it := range r.Items {
		out = append(out, it.S.Name)
	}
	return out
}

func search(t *testing.T, f *fixture, q directory.Query) []string {
	t.Helper()
	r, err := f.dir.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return names(t, r)
}

func same(got []string, want ...string) bool {
	return strings.Join(got, "|") == strings.Join(want, "|")
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func TestSearchFilters(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		q    directory.Query
		want []string
	}{
		{directory.Query{}, []string{"Chat Dengar", "Klinik Jiwa Bandung", "Konseling Pelita", "Sebaya Bogor"}},
		// Word forms: "cemas" finds "kecemasan" and "cemas", "session" finds
		// "sessions", "mengkonseling" finds "konseling"; the inactive
		// "Konseling Lama" never shows.
		{directory.Query{Text: "cemas"}, []string{"Chat Dengar", "Konseling Pelita"}},
		{directory.Query{Text: "session"}, []string{"Konseling Pelita"}},
		{directory.Query{Text: "mengkonseling"}, []string{"Konseling Pelita"}},
		{directory.Query{Text: "zzzyx"}, nil},
		{directory.Query{Cost: hsds.CostFree}, []string{"Chat Dengar", "Konseling Pelita"}},
		{directory.Query{Cost: hsds.CostLow}, []string{"Chat Dengar", "Konseling Pelita", "Sebaya Bogor"}},
		{directory.Query{Delivery: hsds.DeliveryOnline}, []string{"Chat Dengar", "Konseling Pelita"}},
		{directory.Query{Delivery: hsds.DeliveryInPerson}, []string{"Klinik Jiwa Bandung", "Konseling Pelita", "Sebaya Bogor"}},
		{directory.Query{Cost: hsds.CostFree, Delivery: hsds.DeliveryInPerson}, []string{"Konseling Pelita"}},
		{directory.Query{Language: "su"}, []string{"Klinik Jiwa Bandung"}},
		{directory.Query{Language: "en"}, []string{"Konseling Pelita"}},
		{directory.Query{Term: termID}, []string{"Konseling Pelita"}},
	} {
		if got := search(t, f, c.q); !same(got, c.want...) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
	m, err := f.dir.Menus(context.Background())
	if err != nil || len(m.Terms) != 1 || m.Terms[0].Term.ID != termID || len(m.Languages) != 3 {
		t.Fatalf("menus: %+v %v", m, err)
	}
}

// "Open now" reads the schedules at the service's clock in the
// deployment's zone.
func TestSearchOpenNow(t *testing.T) {
	f := newFixture(t)
	if got := search(t, f, directory.Query{OpenNow: true}); !same(got, "Konseling Pelita") {
		t.Errorf("Monday 10:00: %v", got)
	}
	*f.clock = monday10.Add(7 * time.Hour) // 17:00
	if got := search(t, f, directory.Query{OpenNow: true}); !same(got, "Chat Dengar") {
		t.Errorf("Monday 17:00: %v", got)
	}
	*f.clock = monday10.Add(24*time.Hour + 9*time.Hour + 30*time.Minute) // Tuesday 19:30
	if got := search(t, f, directory.Query{OpenNow: true}); !same(got, "Chat Dengar", "Sebaya Bogor") {
		t.Errorf("Tuesday 19:30: %v", got)
	}
	*f.clock = monday10.Add(-8 * time.Hour) // Monday 02:00
	r, err := f.dir.Search(context.Background(), directory.Query{OpenNow: true})
	if err != nil || r.Total != 0 {
		t.Fatalf("Monday 02:00: %v %v", names(t, r), err)
	}
	// Each result says when it opens next.
	r, _ = f.dir.Search(context.Background(), directory.Query{Text: "pelita"})
	if h := r.Items[0].Hours; h.Open || !h.NextToday || h.Next.Format("15:04") != "08:00" {
		t.Errorf("Pelita at 02:00: %+v", h)
	}
}

func TestSearchNearAPlace(t *testing.T) {
	f := newFixture(t)
	r, err := f.dir.Search(context.Background(), directory.Query{Place: "kota bogor", Radius: 0})
	if err != nil {
		t.Fatal(err)
	}
	if !same(names(t, r), "Sebaya Bogor", "Konseling Pelita", "Klinik Jiwa Bandung") || r.PlaceName != "Bogor" {
		t.Fatalf("nearest first from Bogor: %v (%s)", names(t, r), r.PlaceName)
	}
	var km []float64
	for _, it := range r.Items {
		km = append(km, *it.Distance)
	}
	if km[0] > 0.1 || km[1] < 40 || km[1] > 55 || km[2] < 80 {
		t.Errorf("distances %v", km)
	}
	if got := search(t, f, directory.Query{Place: "Bogor", Radius: 25}); !same(got, "Sebaya Bogor") {
		t.Errorf("within 25 km: %v", got)
	}
	if got := search(t, f, directory.Query{Place: "Bogor", Radius: 50}); !same(got, "Sebaya Bogor", "Konseling Pelita") {
		t.Errorf("within 50 km: %v", got)
	}
	if got := search(t, f, directory.Query{Place: "-6.9, 107.6", Radius: 10, Cost: hsds.CostLow}); len(got) != 0 {
		t.Errorf("low cost near Bandung: %v", got)
	}
	if got := search(t, f, directory.Query{Place: "-6.9, 107.6", Radius: 10}); !same(got, "Klinik Jiwa Bandung") {
		t.Errorf("coordinates: %v", got)
	}
}

// A place that cannot be searched near is a clear field error and no
// results.
func TestSearchBadInput(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		q          directory.Query
		field, key string
	}{
		{directory.Query{Place: "Atlantis", Radius: 25}, "place", "directory.place.unknown"},
		{directory.Query{Place: "100, 106.8", Radius: 25}, "place", "directory.place.latitude"},
		{directory.Query{Place: "-6.2, 200", Radius: 25}, "place", "directory.place.longitude"},
		{directory.Query{Place: "-6.2 x", Radius: 25}, "place", "directory.place.not_a_number"},
		{directory.Query{Place: "Bandung", Radius: 7}, "radius", "form.choose"},
		{directory.Query{Cost: "cheap"}, "cost", "form.choose"},
		{directory.Query{Delivery: "post"}, "delivery", "form.choose"},
		{directory.Query{Text: strings.Repeat("a", 201)}, "q", "form.too_long"},
	} {
		r, err := f.dir.Search(context.Background(), c.q)
		fe, ok := valid.As(err)
		if !ok || fe.Field != c.field || fe.Key != c.key {
			t.Errorf("%+v: %v, want %s %s", c.q, err, c.field, c.key)
		}
		if r == nil || len(r.Items) != 0 {
			t.Errorf("%+v: results despite the error", c.q)
		}
	}
}

func TestListing(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"no-such-id", "", strings.Repeat("x", 500)} {
		if _, err := f.dir.Listing(context.Background(), id); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%q: %v, want not found", id, err)
		}
	}
	l, err := f.dir.Listing(context.Background(), idA)
	if err != nil {
		t.Fatal(err)
	}
	if l.S.Name != "Konseling Pelita" || len(l.Phones) != 1 || len(l.Places) != 1 || len(l.Online) != 1 || len(l.Terms) != 1 ||
		!l.Hours.Open || l.Inactive || l.CanCurate {
		t.Fatalf("listing A: %+v", l)
	}
	if l, _ := f.dir.Listing(context.Background(), idE); !l.Inactive {
		t.Error("an inactive listing says so")
	}
	coord, _ := f.person(t, "koordinator", auth.RoleCoordinator)
	if err := f.dir.ReportProblem(context.Background(), idA, directory.ReportInput{Reason: directory.ReasonPhone}); err != nil {
		t.Fatal(err)
	}
	if l, _ := f.dir.Listing(coord, idA); !l.CanCurate || l.OpenProblems != 1 {
		t.Errorf("a curator sees the open problem: %+v", l)
	}
}

func field(err error) string {
	if fe, ok := valid.As(err); ok {
		return fe.Field + ":" + fe.Key
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestReportProblemAndQueue(t *testing.T) {
	f := newFixture(t)
	stranger := audit.WithIP(context.Background(), "198.51.100.7")
	for _, c := range []struct {
		in   directory.ReportInput
		want string
	}{
		{directory.ReportInput{}, "reason:form.required"},
		{directory.ReportInput{Reason: "rude"}, "reason:form.choose"},
		{directory.ReportInput{Reason: directory.ReasonOther}, "note:form.required"},
		{directory.ReportInput{Reason: directory.ReasonHours, Note: strings.Repeat("x", 1001)}, "note:form.too_long"},
	} {
		if got := field(f.dir.ReportProblem(stranger, idA, c.in)); got != c.want {
			t.Errorf("%+v: %s, want %s", c.in, got, c.want)
		}
	}
	if err := f.dir.ReportProblem(stranger, "no-such-id", directory.ReportInput{Reason: directory.ReasonClosed}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown service: %v", err)
	}
	var n int
	if err := f.db.QueryRow(context.Background(), `SELECT count(*) FROM directory_reports`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused reports stored: %d %v", n, err)
	}
	if err := f.dir.ReportProblem(stranger, idA, directory.ReportInput{Reason: directory.ReasonHours, Note: "Sekarang buka pukul 09.00."}); err != nil {
		t.Fatal(err)
	}
	member, _ := f.person(t, "anggota", auth.RoleMember)
	if err := f.dir.ReportProblem(member, idB, directory.ReportInput{Reason: directory.ReasonOther, Note: "Pindah ke gedung baru."}); err != nil {
		t.Fatal(err)
	}
	var sealed string
	if err := f.db.QueryRow(context.Background(), `SELECT note_sealed FROM directory_reports WHERE service_id = $1`, idA).Scan(&sealed); err != nil ||
		sealed == "" || strings.Contains(sealed, "09.00") {
		t.Fatalf("the note is stored in the clear: %q %v", sealed, err)
	}
	entries, err := f.log.List(context.Background(), audit.Filter{Action: "directory.report", Limit: 10})
	if err != nil || len(entries) != 2 || entries[1].IP != "198.51.100.7" || entries[1].ActorID != 0 || entries[0].ActorName != "anggota" {
		t.Fatalf("audit of reports: %+v %v", entries, err)
	}

	// Only curators read and handle the queue.
	if _, _, err := f.dir.Reports(context.Background(), directory.ReportOpen, 1); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("stranger: %v", err)
	}
	if _, _, err := f.dir.Reports(member, directory.ReportOpen, 1); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("member: %v", err)
	}
	if err := f.dir.HandleReport(member, 1, true, "done"); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("member handles: %v", err)
	}
	coord, _ := f.person(t, "koordinator", auth.RoleCoordinator)
	open, total, err := f.dir.Reports(coord, directory.ReportOpen, 1)
	if err != nil || total != 2 || open[0].ServiceName != "Konseling Pelita" || open[0].Signed || !open[1].Signed || open[0].Note != "Sekarang buka pukul 09.00." {
		t.Fatalf("queue: %+v %d %v", open, total, err)
	}
	if e, _ := f.log.List(context.Background(), audit.Filter{Action: "directory.report.read"}); len(e) != 1 || e[0].ActorName != "koordinator" {
		t.Errorf("reading the notes is audited: %+v", e)
	}
	if open[0].CreatedAt.Location() != wib {
		t.Error("report times are shown in the deployment's zone")
	}
	if got := field(f.dir.HandleReport(coord, open[0].ID, true, "")); got != "answer:form.required" {
		t.Errorf("resolving without a note: %s", got)
	}
	if err := f.dir.HandleReport(coord, open[0].ID, true, "Jam buka diperbaiki."); err != nil {
		t.Fatal(err)
	}
	if err := f.dir.HandleReport(coord, open[1].ID, false, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.dir.HandleReport(coord, open[1].ID, true, "lagi"); !errors.Is(err, directory.ErrHandled) {
		t.Errorf("handling twice: %v", err)
	}
	if err := f.dir.HandleReport(coord, 999, true, "lagi"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown report: %v", err)
	}
	handled, total, err := f.dir.Reports(coord, "handled", 1)
	if err != nil || total != 2 || handled[0].Status != directory.ReportDismissed || handled[1].Status != directory.ReportResolved ||
		handled[1].Answer != "Jam buka diperbaiki." || handled[1].HandledBy != "koordinator" || handled[1].HandledAt == nil {
		t.Fatalf("handled: %+v %v", handled, err)
	}
	for _, action := range []string{"directory.report.resolve", "directory.report.dismiss"} {
		if e, _ := f.log.List(context.Background(), audit.Filter{Action: action}); len(e) != 1 || e[0].ActorName != "koordinator" {
			t.Errorf("%s audited: %+v", action, e)
		}
	}
}

// Strangers may report, within limits: five an hour from one address.
func TestReportProblemRateLimit(t *testing.T) {
	f := newFixture(t)
	from := func(ip string) context.Context { return audit.WithIP(context.Background(), ip) }
	in := directory.ReportInput{Reason: directory.ReasonPhone}
	for i := 0; i < 5; i++ {
		if err := f.dir.ReportProblem(from("203.0.113.5"), idA, in); err != nil {
			t.Fatalf("report %d: %v", i+1, err)
		}
	}
	var limited *directory.RateLimitedError
	if err := f.dir.ReportProblem(from("203.0.113.5"), idB, in); !errors.As(err, &limited) || limited.Minutes() != 60 {
		t.Fatalf("sixth report: %v", err)
	}
	if err := f.dir.ReportProblem(from("203.0.113.6"), idA, in); err != nil {
		t.Fatalf("another address: %v", err)
	}
	*f.clock = monday10.Add(time.Hour)
	if err := f.dir.ReportProblem(from("203.0.113.5"), idA, in); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	var n int
	if err := f.db.QueryRow(context.Background(), `SELECT count(*) FROM directory_reports`).Scan(&n); err != nil || n != 7 {
		t.Fatalf("stored %d reports, want 7: %v", n, err)
	}
}

// Every curation step needs directory.curate: strangers are asked to sign
// in, members and facilitators are refused, and nothing changes.
func TestCurationPermissions(t *testing.T) {
	f := newFixture(t)
	member, _ := f.person(t, "anggota", auth.RoleMember)
	facilitator, _ := f.person(t, "fasilitator", auth.RoleFacilitator)
	in := directory.Input{Name: "Baru", Organization: "Yayasan Contoh", Status: "active"}
	for who, ctx := range map[string]context.Context{"stranger": context.Background(), "member": member, "facilitator": facilitator} {
		want := auth.ErrForbidden
		if who == "stranger" {
			want = auth.ErrUnauthenticated
		}
		_, err1 := f.dir.Manage(ctx, directory.ManageQuery{})
		_, _, err2 := f.dir.Edit(ctx, idA)
		_, err3 := f.dir.Save(ctx, "", in)
		_, err4 := f.dir.Save(ctx, idA, in)
		for i, err := range []error{err1, err2, err3, err4, f.dir.Verify(ctx, idA), f.dir.Deactivate(ctx, idA), f.dir.Delete(ctx, idA)} {
			if !errors.Is(err, want) {
				t.Errorf("%s, step %d: %v, want %v", who, i+1, err, want)
			}
		}
	}
	if got := search(t, f, directory.Query{}); len(got) != 4 {
		t.Fatalf("something changed: %v", got)
	}
	sv, _ := f.store.Service(context.Background(), idA)
	if sv.Curation.LastVerifiedAt != nil || sv.Name != "Konseling Pelita" {
		t.Fatalf("listing A changed: %+v", sv.Curation)
	}
}

func TestVerifyAndCurationList(t *testing.T) {
	f := newFixture(t)
	admin, _ := f.person(t, "admin", auth.RoleAdmin)
	coord, coordID := f.person(t, "koordinator", auth.RoleCoordinator)
	list := func(ctx context.Context, show string) []string {
		t.Helper()
		m, err := f.dir.Manage(ctx, directory.ManageQuery{Show: show})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range m.Items {
			out = append(out, it.S.Name)
		}
		return sorted(out)
	}
	if got := list(coord, directory.ShowNever); len(got) != 5 {
		t.Fatalf("never verified: %v", got)
	}
	*f.clock = monday10.AddDate(0, -8, 0)
	if err := f.dir.Verify(coord, idB); err != nil {
		t.Fatal(err)
	}
	*f.clock = monday10.AddDate(0, 0, -10)
	if err := f.dir.Verify(admin, idA); err != nil {
		t.Fatal(err)
	}
	*f.clock = monday10
	if err := f.dir.Verify(coord, "no-such-id"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("verify unknown: %v", err)
	}
	if got := list(coord, directory.ShowNever); !same(got, "Chat Dengar", "Konseling Lama", "Sebaya Bogor") {
		t.Errorf("never verified: %v", got)
	}
	if got := list(coord, directory.ShowStale); !same(got, "Chat Dengar", "Klinik Jiwa Bandung", "Konseling Lama", "Sebaya Bogor") {
		t.Errorf("older than six months: %v", got)
	}
	if err := f.dir.ReportProblem(context.Background(), idD, directory.ReportInput{Reason: directory.ReasonAddress}); err != nil {
		t.Fatal(err)
	}
	if got := list(coord, directory.ShowProblems); !same(got, "Sebaya Bogor") {
		t.Errorf("with open problems: %v", got)
	}
	m, _ := f.dir.Manage(coord, directory.ManageQuery{})
	if m.Total != 5 || m.Problems != 1 || m.Items[len(m.Items)-1].S.Name != "Konseling Pelita" {
		t.Fatalf("all, never verified first and the freshest last: %+v", m.Items)
	}
	l, _ := f.dir.Listing(context.Background(), idA)
	if v := l.S.Curation.LastVerifiedAt; v == nil || v.Format("2006-01-02") != "2026-11-13" || v.Location() != wib {
		t.Errorf("A verified on %v", v)
	}
	sv, _ := f.store.Service(context.Background(), idB)
	if sv.Curation.CuratedBy != coordID {
		t.Errorf("curated by %d, want %d", sv.Curation.CuratedBy, coordID)
	}
	if e, _ := f.log.List(context.Background(), audit.Filter{Action: "directory.service.verify"}); len(e) != 2 || e[0].Target != "service:"+idA {
		t.Errorf("verify audited: %+v", e)
	}
}
