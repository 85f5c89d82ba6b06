package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/i18n"
)

// The demo directory: at least 30 services across Indonesian cities, some
// free, some online, in several languages, with hours; the three national
// services from the fact sheet as given there; fictional ones marked as
// examples with numbers that cannot ring anyone; and the official HSDS
// example.
func TestDirectoryDemo(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	all, err := env.App.Directory.Search(ctx, directory.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 30 {
		t.Fatalf("%d services in the demo", all.Total)
	}
	page, err := env.App.HSDS.Search(ctx, hsds.Filter{PerPage: hsds.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(page.Services))
	for i, sv := range page.Services {
		ids[i] = sv.ID
	}
	full, err := env.App.HSDS.Services(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	cities, langs := map[string]bool{}, map[string]bool{}
	free, online, withHours := 0, 0, 0
	fakePhone := regexp.MustCompile(`^\+62 000 0000 01\d\d$`)
	real := map[string]bool{"SEJIWA (Sehat Jiwa): dukungan psikologis lewat telepon": true, "Healing119.id": true, "JakCare": true, "Community Counselling": true}
	seen := map[string]bool{}
	for _, sv := range full {
		seen[sv.Name] = true
		if sv.Curation.CostClass == hsds.CostFree {
			free++
		}
		if sv.Curation.Online {
			online++
		}
		if len(sv.Schedules) > 0 {
			withHours++
		}
		for _, l := range sv.Languages {
			langs[l.Code] = true
		}
		for _, sal := range sv.ServiceAtLocations {
			if sal.Location != nil {
				for _, a := range sal.Location.Addresses {
					if a.Country == "ID" {
						cities[a.City] = true
					}
				}
			}
		}
		if real[sv.Name] {
			continue
		}
		if !strings.Contains(sv.Name, "(contoh)") && !strings.Contains(sv.Name, "(demo)") {
			t.Errorf("%q is fictional but not marked as an example", sv.Name)
		}
		for _, p := range sv.Phones {
			if !fakePhone.MatchString(p.Number) {
				t.Errorf("%s: phone %q is not of the fictional pattern", sv.Name, p.Number)
			}
		}
		if sv.Email != "" && !strings.HasSuffix(sv.Email, ".example") {
			t.Errorf("%s: e-mail %q", sv.Name, sv.Email)
		}
	}
	for name := range real {
		if !seen[name] {
			t.Errorf("the demo lacks %q", name)
		}
	}
	if len(cities) < 20 || len(langs) < 8 || free < 10 || online < 5 || withHours < 30 {
		t.Errorf("%d cities, %d languages, %d free, %d online, %d with hours", len(cities), len(langs), free, online, withHours)
	}
	sejiwa, err := env.App.HSDS.Service(ctx, app.DemoServiceID("sejiwa"))
	if err != nil || len(sejiwa.Phones) != 1 || sejiwa.Phones[0].Number != "119" || sejiwa.Phones[0].Extension == nil || *sejiwa.Phones[0].Extension != 8 {
		t.Fatalf("SEJIWA is 119 ext. 8: %+v %v", sejiwa, err)
	}
	jak, _ := env.App.HSDS.Service(ctx, app.DemoServiceID("jakcare"))
	if len(jak.Phones) != 1 || jak.Phones[0].Number != "0800-1500-119" {
		t.Errorf("JakCare: %+v", jak.Phones)
	}
	page2 := env.Stranger().Get("/services/" + app.DemoServiceID("healing119"))
	if page2.StatusCode != 200 || !strings.Contains(page2.Body, `href="https://healing119.id"`) || !strings.Contains(page2.Body, "Gratis") {
		t.Errorf("Healing119.id page: %d", page2.StatusCode)
	}
	// "Open now" changes across the day: some services are open at noon
	// on a Wednesday and others at 21:00 (times in WIB).
	zone := app.RegionZone("ID")
	open := func(at time.Time) int {
		r, err := env.App.Directory.WithClock(func() time.Time { return at }).Search(ctx, directory.Query{OpenNow: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	wednesday := time.Date(2026, 11, 25, 0, 0, 0, 0, zone)
	noon, night, small := open(wednesday.Add(12*time.Hour)), open(wednesday.Add(21*time.Hour+30*time.Minute)), open(wednesday.Add(4*time.Hour))
	if noon < 10 || night < 2 || small != 1 { // at 04:00 only JakCare (24 hours)
		t.Errorf("open at noon %d, at 21:30 %d, at 04:00 %d", noon, night, small)
	}
}

func TestDirectorySearchPages(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	res := c.Get("/services?q=kecemasan&cost=free&delivery=online")
	if res.StatusCode != 200 {
		t.Fatalf("search: %d", res.StatusCode)
	}
	for _, want := range []string{"Ruang Konseling Pelita (contoh)", "Kelas Daring Kelola Cemas (contoh)", "layanan ditemukan", `<option value="free" selected>`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("search lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "Klinik Psikiatri Seroja") {
		t.Error("a paid, in-person clinic passed the filters")
	}
	c.Lang = "en"
	if res := c.Get("/services?q=anxiety&language=en"); !strings.Contains(res.Body, "English-speaking Counselling Service (demo)") ||
		!strings.Contains(res.Body, "1 service found") || !strings.Contains(res.Body, `<html lang="en">`) {
		t.Errorf("English search: %d", res.StatusCode)
	}
	c.Lang = ""
	// Near Bandung, nearest first, with distances in Indonesian decimals.
	near := c.Get("/services?place=Bandung&radius=25")
	i1, i2 := strings.Index(near.Body, "Kelompok Sebaya Parahyangan"), strings.Index(near.Body, "Layanan Psikiatri Dago")
	if near.StatusCode != 200 || i1 < 0 || i2 < i1 || !regexp.MustCompile(`\d,\d km dari sini`).MatchString(near.Body) ||
		!strings.Contains(near.Body, "di dekat Bandung") || strings.Contains(near.Body, "Ruang Konseling Pelita") {
		t.Errorf("near Bandung: %d %d %d", near.StatusCode, i1, i2)
	}
	// Nothing nearby: the page suggests a wider radius, fewer filters and
	// the crisis lines.
	empty := c.Get("/services?place=Kendari&radius=5&cost=free")
	for _, want := range []string{"Belum ada layanan yang cocok", "radius=10", `href="/help"`, "Pertahankan kata dan tempat"} {
		if !strings.Contains(empty.Body, want) {
			t.Errorf("empty state lacks %q", want)
		}
	}
	// Impossible coordinates or an unknown place: a clear message, no results.
	for q, want := range map[string]string{
		"place=100,106.8":        "Lintang harus di antara -90 dan 90",
		"place=-6.2,%20200":      "Bujur harus di antara -180 dan 180",
		"place=Atlantis":         "Kami belum mengenal tempat ini",
		"place=Bandung&radius=3": "Mohon pilih salah satu",
	} {
		res := c.Get("/services?" + q)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, want) || strings.Contains(res.Body, "dir-results") ||
			!strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("%s: %d, message %q present: %v", q, res.StatusCode, want, strings.Contains(res.Body, want))
		}
	}
	for _, id := range []string{"no-such-service", strings.Repeat("z", 300)} {
		if res := c.Get("/services/" + id); res.StatusCode != 404 || !strings.Contains(res.Body, `href="/help"`) {
			t.Errorf("unknown id %q: %d", id[:10], res.StatusCode)
		}
		if res := c.Post("/services/"+id+"/report", url.Values{"reason": {"closed"}}); res.StatusCode != 404 {
			t.Errorf("report on unknown id: %d", res.StatusCode)
		}
	}
	// A service page has what a person needs to go there.
	page := c.Get("/services/" + app.DemoServiceID("pelita"))
	for _, want := range []string{`href="tel:&#43;6200000000101"`, `href="mailto:info@pelitajiwa.example"`, "Jl. Contoh Raya No. 1", "openstreetmap.org",
		"Jam buka", "dalam waktu WIB", "Terakhir diperiksa pada", "Laporkan masalah", "Konseling / Counselling", "Bahasa Inggris"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("service page lacks %q", want)
		}
	}
}

func TestDirectoryProblemReportAndVerify(t *testing.T) {
	env := apptest.New(t)
	id := app.DemoServiceID("dago")
	stranger := env.Stranger()
	if res := stranger.Post("/services/"+id+"/report", url.Values{"reason": {"other"}}); res.StatusCode != 422 || !strings.Contains(res.Body, "Mohon diisi") {
		t.Fatalf("other without a note: %d", res.StatusCode)
	}
	res := stranger.Post("/services/"+id+"/report", url.Values{"reason": {"phone"}, "note": {"Nomor pendaftaran sudah berganti."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/services/"+id {
		t.Fatalf("report: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if after := stranger.Get("/services/" + id); !strings.Contains(after.Body, "Terima kasih. Koordinator akan memeriksa") {
		t.Error("no thanks after reporting")
	}
	if res := env.AsDemo("demo-member").Get("/services/manage/problems"); res.StatusCode != 403 {
		t.Errorf("a member opens the queue: %d", res.StatusCode)
	}
	coord := env.AsDemo("demo-coordinator")
	queue := coord.Get("/services/manage/problems")
	if !strings.Contains(queue.Body, "Nomor pendaftaran sudah berganti.") || !strings.Contains(queue.Body, "2 laporan terbuka") {
		t.Fatalf("the queue: %d", queue.StatusCode)
	}
	m := regexp.MustCompile(`action="/services/manage/problems/(\d+)"`).FindAllStringSubmatch(queue.Body, -1)
	if len(m) != 2 {
		t.Fatalf("%d report forms", len(m))
	}
	reportID := m[1][1] // the newest is last: open reports oldest first
	if res := coord.Post("/services/manage/problems/"+reportID, url.Values{"action": {"resolve"}}); res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-answer-`+reportID+`"`) {
		t.Fatalf("resolve without a note: %d", res.StatusCode)
	}
	if res := coord.Post("/services/manage/problems/"+reportID, url.Values{"action": {"resolve"}, "answer": {"Nomor sudah diperbarui."}}); res.StatusCode != 303 {
		t.Fatalf("resolve: %d", res.StatusCode)
	}
	if res := coord.Post("/services/manage/problems/"+reportID, url.Values{"action": {"dismiss"}}); res.StatusCode != 303 ||
		!strings.Contains(coord.Get(res.Header.Get("Location")).Body, "sudah ditangani orang lain") {
		t.Errorf("handling twice: %d", res.StatusCode)
	}
	handled := coord.Get("/services/manage/problems?status=handled")
	if !strings.Contains(handled.Body, "Nomor sudah diperbarui.") || !strings.Contains(handled.Body, "demo-coordinator") {
		t.Error("the handled report is not listed with its note and curator")
	}
	// Mark verified today: the public page shows today's date.
	if res := coord.Post("/services/"+id+"/verify", url.Values{}); res.StatusCode != 303 {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	b, _ := i18n.Load("id")
	today, _ := b.Date("id", time.Now().In(app.RegionZone("ID")))
	if page := stranger.Get("/services/" + id); !strings.Contains(page.Body, "Terakhir diperiksa pada "+today) {
		t.Errorf("the public page does not show %s", today)
	}
	for _, action := range []string{"directory.report", "directory.report.resolve", "directory.service.verify"} {
		if e, _ := env.App.Audit.List(context.Background(), audit.Filter{Action: action, Limit: 5}); len(e) == 0 {
			t.Errorf("%s not audited", action)
		}
	}
}

// A coordinator adds a listing through the form; it is found by the public
// search; a member cannot add one.
func TestDirectoryCurationForm(t *testing.T) {
	env := apptest.New(t)
	form := url.Values{"name": {"Konseling Lansia Sejahtera (contoh)"}, "organization": {"Yayasan Pelita Jiwa (contoh)"}, "status": {"active"},
		"description": {"Konseling untuk lansia yang kesepian."}, "cost": {"free"}, "language": {"id", "jv"},
		"phone_id": {"", ""}, "phone_number": {"+62 000 0000 0190", ""}, "phone_description": {"", ""},
		"opens_we": {"09:00"}, "closes_we": {"12:00"}, "in_person": {"1"}, "address_1": {"Jl. Contoh Raya No. 90"}, "city": {"Malang"},
		"province": {"Jawa Timur"}, "postal_code": {"65111"}, "latitude": {"-7.97"}, "longitude": {"112.63"}}
	if res := env.AsDemo("demo-member").Post("/services/manage/new", form); res.StatusCode != 403 {
		t.Fatalf("a member adds a listing: %d", res.StatusCode)
	}
	coord := env.AsDemo("demo-coordinator")
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("latitude", "-97")
	if res := coord.Post("/services/manage/new", bad); res.StatusCode != 422 || !strings.Contains(res.Body, "Lintang harus di antara") ||
		!strings.Contains(res.Body, `value="Konseling Lansia Sejahtera (contoh)"`) {
		t.Fatalf("impossible latitude: %d", res.StatusCode)
	}
	res := coord.Post("/services/manage/new", form)
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/services/") {
		t.Fatalf("add: %d %s", res.StatusCode, res.Body)
	}
	found := env.Stranger().Get("/services?q=lansia&place=Malang&radius=5&cost=free")
	if !strings.Contains(found.Body, "Konseling Lansia Sejahtera (contoh)") {
		t.Fatal("the new listing is not found")
	}
	edit := coord.Get(res.Header.Get("Location") + "/edit")
	if !strings.Contains(edit.Body, `name="opens_we" type="time" value="09:00"`) || !strings.Contains(edit.Body, `value="&#43;62 000 0000 0190"`) {
		t.Error("the edit form does not show what was saved")
	}
}

// A signed-in person's problem reports are in their data export, and
// erasing the account removes their notes and name from them while the
// curators' queue keeps the reason.
func TestDirectoryReportsInPersonalData(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	sys := auth.System(ctx)
	const note = "nomor lama tidak aktif lagi sejak bulan lalu"
	if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: "pelapor-data", Password: "kata sandi pelapor panjang"}); err != nil {
		t.Fatal(err)
	}
	me := env.As("pelapor-data", "kata sandi pelapor panjang")
	if res := me.Post("/services/"+app.DemoServiceID("musi")+"/report", url.Values{"reason": {"phone"}, "note": {note}}); res.StatusCode != 303 {
		t.Fatalf("report: %d", res.StatusCode)
	}
	if where := findEverywhere(t, env, note); len(where) > 0 {
		t.Fatalf("the note is stored in the clear in %v", where)
	}
	data := me.Get("/account/data.json")
	if !strings.Contains(data.Body, note) || !strings.Contains(data.Body, "Klinik Psikologi Musi (contoh)") {
		t.Fatalf("the export lacks the report: %s", data.Body)
	}
	if res := me.Post("/account/erase", url.Values{"password": {"kata sandi pelapor panjang"}, "confirm": {"pelapor-data"}}); res.StatusCode != 303 {
		t.Fatalf("erase: %d", res.StatusCode)
	}
	var n, signed int
	if err := env.App.DB.QueryRow(ctx, `SELECT count(*), count(reporter_id) FROM directory_reports WHERE service_id = $1 AND reason = 'phone' AND note_sealed = ''`,
		app.DemoServiceID("musi")).Scan(&n, &signed); err != nil || n != 1 || signed != 0 {
		t.Fatalf("after erasure: %d reports without note, %d still linked: %v", n, signed, err)
	}
}
