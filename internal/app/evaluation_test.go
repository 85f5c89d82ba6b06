package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
)

var keyLike = regexp.MustCompile(`\bevaluation\.[a-z_]+(?:\.[a-z_]+)*`)

// untranslated finds a translation key left on a page (the feature's
// stylesheet and script are not keys).
func untranslated(body string) string {
	for _, m := range keyLike.FindAllString(body, -1) {
		if m != "evaluation.css" && m != "evaluation.js" {
			return m
		}
	}
	return ""
}

// TestEvaluationDashboards: the demo's figures on every dashboard, in both
// languages, for each kind of viewer, with filters.
func TestEvaluationDashboards(t *testing.T) {
	env := apptest.New(t)
	t.Cleanup(func() { os.RemoveAll(env.App.Evaluation.ExportDir) })
	org := strconv.FormatInt(yayasanID(t, env), 10)
	for _, lang := range []string{"id", "en"} {
		coord := env.AsDemo("demo-coordinator")
		coord.Lang = lang
		r := coord.Get("/evaluation")
		if r.StatusCode != 200 {
			t.Fatalf("%s: status %d", lang, r.StatusCode)
		}
		if m := untranslated(r.Body); m != "" {
			t.Errorf("%s: untranslated %s", lang, m)
		}
		want := map[string][]string{
			"id": {"Yayasan Rangkul Jiwa", "Jangkauan", "Kehadiran", "PHQ-9", "Membaik / tidak berubah", "Indeks Kesejahteraan WHO-5", "Putaran umpan balik", `role="img"`},
			"en": {"Yayasan Rangkul Jiwa", "Reach", "Attendance", "PHQ-9", "Reliably better / no reliable change", "WHO-5 Well-Being Index", "Feedback rounds", `role="img"`},
		}[lang]
		for _, w := range want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s dashboard lacks %q", lang, w)
			}
		}
		if !strings.Contains(r.Body, `action="/evaluation/exports"`) {
			t.Errorf("%s: no export form for the coordinator", lang)
		}
	}
	coord := env.AsDemo("demo-coordinator")
	// Filters: one group, a topic, a period; a bad date is answered beside the field.
	for _, q := range []string{"group=1", "topic=anxiety", "from=2026-01-01&to=2026-03-31", "org=" + org + "&group=1&topic=anxiety"} {
		if r := coord.Get("/evaluation?" + q); r.StatusCode != 200 {
			t.Errorf("?%s: %d", q, r.StatusCode)
		}
	}
	r := coord.Get("/evaluation?from=31-12-2026")
	if r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-from"`) {
		t.Errorf("bad date: %d", r.StatusCode)
	}
	// Another organisation's dashboard is not the coordinator's to see.
	ctx := auth.System(context.Background())
	other, err := env.App.Auth.OrgBySlug(ctx, "leeds-peer-support")
	if err != nil {
		t.Fatal(err)
	}
	if r := coord.Get("/evaluation?org=" + strconv.FormatInt(other.ID, 10)); r.StatusCode != 403 {
		t.Errorf("another organisation: %d", r.StatusCode)
	}
	// The analyst sees the network; the facilitator their group, unsuppressed.
	analyst := env.AsDemo("demo-analyst")
	if r := analyst.Get("/evaluation"); r.StatusCode != 200 || !strings.Contains(r.Body, "Seluruh jaringan") {
		t.Errorf("analyst: %d", r.StatusCode)
	}
	facil := env.AsDemo("demo-facilitator")
	r = facil.Get("/evaluation")
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Anda memfasilitasi kelompok ini") || strings.Contains(r.Body, `action="/evaluation/exports"`) {
		t.Errorf("facilitator: %d", r.StatusCode)
	}
	if r := facil.Get("/evaluation?group=2"); r.StatusCode != 403 {
		t.Errorf("facilitator, another group: %d", r.StatusCode)
	}
}

// TestEvaluationReportFlow: a coordinator writes a report, reads the
// printable page, changes it and deletes it after confirming.
func TestEvaluationReportFlow(t *testing.T) {
	env := apptest.New(t)
	t.Cleanup(func() { os.RemoveAll(env.App.Evaluation.ExportDir) })
	org := strconv.FormatInt(yayasanID(t, env), 10)
	coord := env.AsDemo("demo-coordinator")
	if r := coord.Get("/evaluation/reports/new"); r.StatusCode != 200 || !strings.Contains(r.Body, `name="groups"`) {
		t.Fatalf("new report form: %d", r.StatusCode)
	}
	form := url.Values{"org": {org}, "title": {"x"}, "from": {"2026-01-01"}, "to": {"2026-12-31"}, "narrative": {"pendek"}}
	r := coord.Post("/evaluation/reports", form)
	if r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-title"`) {
		t.Fatalf("invalid report: %d", r.StatusCode)
	}
	form.Set("title", "Laporan tahunan untuk dinas")
	form.Set("narrative", "Tahun ini kelompok tumbuh pelan tapi pasti.\nKami berterima kasih kepada para fasilitator.")
	form["groups"] = []string{"1", "2"}
	r = coord.Post("/evaluation/reports", form)
	if r.StatusCode != 303 {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	path := r.Header.Get("Location")
	for _, lang := range []string{"id", "en"} {
		coord.Lang = lang
		r = coord.Get(path)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Kami berterima kasih kepada para fasilitator.") ||
			!strings.Contains(r.Body, "evaluation.css") || !strings.Contains(r.Body, "data-print hidden") {
			t.Fatalf("%s report page: %d", lang, r.StatusCode)
		}
		if m := untranslated(r.Body); m != "" {
			t.Errorf("%s: untranslated %s", lang, m)
		}
	}
	if !strings.Contains(html.UnescapeString(r.Body), "Ctrl+P") {
		t.Error("no printing instructions for readers without JavaScript")
	}
	// The analyst reads it without an edit link; the facilitator may not.
	if r := env.AsDemo("demo-analyst").Get(path); r.StatusCode != 200 || strings.Contains(r.Body, path+"/edit") {
		t.Errorf("analyst: %d", r.StatusCode)
	}
	if r := env.AsDemo("demo-facilitator").Get(path); r.StatusCode != 403 {
		t.Errorf("facilitator: %d", r.StatusCode)
	}
	form.Set("title", "Laporan tahunan")
	if r := coord.Post(path, form); r.StatusCode != 303 {
		t.Fatalf("update: %d", r.StatusCode)
	}
	if r := coord.Get("/evaluation/reports"); !strings.Contains(r.Body, "Laporan tahunan") {
		t.Error("the list lacks the report")
	}
	if r := coord.Get(path + "/delete"); r.StatusCode != 200 || !strings.Contains(r.Body, `action="`+path+`/delete"`) {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if r := coord.Post(path+"/delete", url.Values{}); r.StatusCode != 303 {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if r := coord.Get(path); r.StatusCode != 404 {
		t.Errorf("deleted report: %d", r.StatusCode)
	}
}

// runExport starts an export from the dashboard and follows its page until
// the file is offered, then downloads it.
func runExport(t *testing.T, c *apptest.Client, form url.Values) []byte {
	t.Helper()
	r := c.Post("/evaluation/exports", form)
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.HasPrefix(loc, "/evaluation/exports/") {
		t.Fatalf("start export: %d %s", r.StatusCode, loc)
	}
	for {
		r = c.Get(loc)
		if r.StatusCode != 200 {
			t.Fatalf("progress page: %d", r.StatusCode)
		}
		if strings.Contains(r.Body, loc+"/file") {
			break
		}
		if !strings.Contains(r.Body, "data-poll") {
			t.Fatalf("export failed: %s", r.Body)
		}
	}
	for _, lang := range []string{"en", "id"} { // the finished page in both languages
		c.Lang = lang
		if page := c.Get(loc); !strings.Contains(page.Body, `<html lang="`+lang+`">`) || untranslated(page.Body) != "" {
			t.Errorf("export page in %s: %s", lang, untranslated(page.Body))
		}
	}
	c.Lang = ""
	r = c.Get(loc + "/file")
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d", r.StatusCode)
	}
	return []byte(r.Body)
}

// TestEvaluationExportsFromTheWeb: both exports of the demo from the
// coordinator's dashboard hold consented, pseudonymised rows and no account
// name; each is audited.
func TestEvaluationExportsFromTheWeb(t *testing.T) {
	env := apptest.New(t)
	t.Cleanup(func() { os.RemoveAll(env.App.Evaluation.ExportDir) })
	coord := env.AsDemo("demo-coordinator")
	names := accountNames(t, env)
	out := runExport(t, coord, url.Values{"format": {"csv"}})
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "pseudonym,instrument,item,value,total,band,timepoint,days_since_baseline,group_topic,age_band,region,gender" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) < 100 {
		t.Fatalf("only %d rows from the demo", len(rows))
	}
	for _, n := range names {
		if bytes.Contains(out, []byte(n)) {
			t.Fatalf("the CSV names %s", n)
		}
	}
	fhir := runExport(t, coord, url.Values{"format": {"fhir"}})
	var bundle struct {
		ResourceType string
		Entry        []json.RawMessage
	}
	if err := json.Unmarshal(fhir, &bundle); err != nil || bundle.ResourceType != "Bundle" || len(bundle.Entry) < 10 {
		t.Fatalf("bundle: %v, %d entries", err, len(bundle.Entry))
	}
	for _, n := range names {
		if bytes.Contains(fhir, []byte(`"`+n+`"`)) {
			t.Fatalf("the bundle names %s", n)
		}
	}
	var n int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'evaluation.export' AND actor_name = 'demo-coordinator'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("audit entries %d %v", n, err)
	}
	// An unknown format comes back to the dashboard with a message.
	r := coord.Post("/evaluation/exports", url.Values{"format": {"xml"}})
	if r.StatusCode != 303 || !strings.Contains(r.Header.Get("Location"), "export_error=form.choose") {
		t.Errorf("unknown format: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := coord.Get(r.Header.Get("Location")); !strings.Contains(r.Body, "Silakan pilih salah satu") && !strings.Contains(r.Body, "role=\"alert\"") {
		t.Error("the dashboard does not say why the export did not start")
	}
}

// accountNames lists every username and e-mail address.
func accountNames(t *testing.T, env *apptest.Env) []string {
	t.Helper()
	rows, err := env.App.DB.Query(context.Background(), `SELECT username, COALESCE(email, '') FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, email string
		if err := rows.Scan(&name, &email); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
		if email != "" {
			out = append(out, email)
		}
	}
	return out
}

// TestEvaluationPageWeight: the dashboard and a report, with their
// stylesheets and scripts, stay under 30 KB compressed.
func TestEvaluationPageWeight(t *testing.T) {
	env := apptest.New(t)
	t.Cleanup(func() { os.RemoveAll(env.App.Evaluation.ExportDir) })
	coord := env.AsDemo("demo-coordinator")
	wire := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := coord.Do(req)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		body := []byte(res.Body)
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			return len(body), string(plain)
		}
		return len(body), string(body)
	}
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	for _, page := range []string{"/evaluation", "/evaluation/reports/1"} {
		total, doc := wire(page)
		for _, m := range assets.FindAllStringSubmatch(doc, -1) {
			n, _ := wire(m[1])
			total += n
		}
		t.Logf("%s: %d bytes compressed with its assets", page, total)
		if total > 30*1024 {
			t.Errorf("%s weighs %d bytes compressed", page, total)
		}
	}
}
