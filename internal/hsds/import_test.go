package hsds

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

const (
	exampleService = "ac148810-d857-441c-9679-408f346de14b"
	exampleOrg     = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	return NewStore(dbtest.Open(t))
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// allRows counts the rows of every HSDS table, to show an import changed nothing.
func allRows(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range tables {
		out[tb.name] = countRows(t, s, tb.sql)
	}
	return out
}

// copyCSV copies the official CSV example into a temporary folder, applying
// edit (file -> func(content) content).
func copyCSV(t *testing.T, edit map[string]func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", "examples", "csv")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(body)
		if fn := edit[e.Name()]; fn != nil {
			s = fn(s)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Every official HSDS example imports.
func TestImportOfficialExamples(t *testing.T) {
	files := []string{"service_full.json", "service_list.json", "organization_full.json", "organization_list.json",
		"service_at_location_full.json", "service_at_location_list.json", "location.json", "taxonomy.json",
		"taxonomy_list.json", "taxonomy_term.json", "taxonomy_term_list.json", "tabular.json", "csv"}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			s := newStore(t)
			var progress strings.Builder
			res, err := s.Import(context.Background(), filepath.Join("testdata", "examples", f), &progress)
			if err != nil {
				t.Fatalf("import %s: %v", f, err)
			}
			written := 0
			for _, tc := range res.Tables {
				written += tc.Rows
			}
			if written == 0 {
				t.Fatalf("import %s wrote nothing", f)
			}
			if !strings.Contains(progress.String(), "hsds: write ") {
				t.Errorf("no progress lines: %q", progress.String())
			}
		})
	}
}

func TestImportServiceFullNests(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, "testdata/examples/service_full.json", nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.Service(ctx, exampleService)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Name != "Community Counselling" || sv.Organization == nil || sv.Organization.Name != "Example Organization Inc." {
		t.Fatalf("service = %+v", sv)
	}
	if sv.OrganizationID != exampleOrg || sv.Program == nil || sv.Program.OrganizationID != exampleOrg {
		t.Fatalf("organization %q, program %+v", sv.OrganizationID, sv.Program)
	}
	if len(sv.ServiceAtLocations) != 1 || sv.ServiceAtLocations[0].Location == nil || len(sv.ServiceAtLocations[0].Location.Addresses) != 1 {
		t.Fatalf("service at locations = %+v", sv.ServiceAtLocations)
	}
	if len(sv.Phones) != 1 || len(sv.Phones[0].Languages) != 1 || sv.Phones[0].Languages[0].Name != "Urdu" {
		t.Fatalf("phones = %+v", sv.Phones)
	}
	if len(sv.Attributes) != 1 || sv.Attributes[0].TaxonomyTerm == nil || sv.Attributes[0].TaxonomyTerm.TaxonomyDetail == nil {
		t.Fatalf("attributes = %+v", sv.Attributes)
	}
	if len(sv.Metadata) != 1 || sv.Metadata[0].ResourceType != "location" {
		t.Fatalf("metadata = %+v", sv.Metadata)
	}
	if len(sv.CostOptions) != 1 || *sv.CostOptions[0].Amount != 35 || sv.Curation.CostClass != CostPaid {
		t.Fatalf("cost options = %+v, class %q", sv.CostOptions, sv.Curation.CostClass)
	}
	if !sv.Curation.InPerson || sv.Curation.Online {
		t.Fatalf("delivery = %+v", sv.Curation)
	}
	// One phone appears in five places in the file: it is one row with
	// all five links.
	if n := countRows(t, s, "hsds_phones"); n != 1 {
		t.Fatalf("%d phone rows, want 1", n)
	}
	var p Phone
	rows, err := rowsWhere(ctx, s.db, tPhones, "")
	if err != nil || len(rows) != 1 {
		t.Fatal(err)
	}
	fillStruct(rows[0], &p)
	if p.ServiceID != exampleService || p.OrganizationID != exampleOrg || p.ContactID == "" || p.LocationID == "" || p.ServiceAtLocationID == "" {
		t.Fatalf("phone links = %+v", p)
	}
}

// wantProblem fails unless err lists a problem with this table, row and
// field whose message contains msg.
func wantProblem(t *testing.T, err error, table string, row int, field, msg string) {
	t.Helper()
	ps := Problems(err)
	if len(ps) == 0 {
		t.Fatalf("want a validation error, got %v", err)
	}
	for _, p := range ps {
		if p.Table == table && p.Row == row && p.Field == field && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Fatalf("no problem %s/%d/%s %q in:\n%v", table, row, field, msg, err)
}

func TestImportRefusesBrokenCSVWhole(t *testing.T) {
	cases := []struct {
		name              string
		edit              map[string]func(string) string
		table, field, msg string
	}{
		{"service without a name", map[string]func(string) string{"services.csv": func(s string) string {
			return strings.Replace(s, ",Community Counselling,", ",,", 1)
		}}, "services", "name", "required"},
		{"dangling organization_id", map[string]func(string) string{"services.csv": func(s string) string {
			return strings.Replace(s, "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "ac148810-d857-441c-9679-408f346de14b,11111111-2222-4333-8444-555555555555", 1)
		}}, "services", "organization_id", "11111111-2222-4333-8444-555555555555 is not the id of any record in organizations"},
		{"bad date", map[string]func(string) string{"services.csv": func(s string) string {
			return strings.Replace(s, ",2005-01-01,", ",2005-13-45,", 1)
		}}, "services", "assured_date", `"2005-13-45" is not a date`},
		{"bad number", map[string]func(string) string{"cost_options.csv": func(s string) string {
			return strings.Replace(s, ",gbp,35,", ",gbp,thirty-five,", 1)
		}}, "cost_options", "amount", `"thirty-five" is not a number`},
		{"bad enum", map[string]func(string) string{"locations.csv": func(s string) string {
			return strings.Replace(s, ",physical,", ",underground,", 1)
		}}, "locations", "location_type", "underground"},
		{"bad time", map[string]func(string) string{"schedules.csv": func(s string) string {
			return strings.Replace(s, ",10:00:00,", ",25:61,", 1)
		}}, "schedules", "opens_at", "not a time of day"},
		{"bad uuid", map[string]func(string) string{"required_documents.csv": func(s string) string {
			return strings.Replace(s, "f6ad7e69-b9c8-42ce-92db-92cedb4c05c0", "document-1", 1)
		}}, "required_documents", "id", "uuid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			ctx := context.Background()
			// Something already in the directory must survive a refused import.
			if _, err := s.Import(ctx, "testdata/examples/organization_list.json", nil); err != nil {
				t.Fatal(err)
			}
			before := allRows(t, s)
			_, err := s.Import(ctx, copyCSV(t, c.edit), nil)
			wantProblem(t, err, c.table, 2, c.field, c.msg)
			if after := allRows(t, s); !equalCounts(before, after) {
				t.Fatalf("a refused import changed the directory: %v -> %v", before, after)
			}
		})
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Every problem in a file is reported, not just the first, with the row
// each is on.
func TestImportReportsEveryProblem(t *testing.T) {
	s := newStore(t)
	dir := copyCSV(t, map[string]func(string) string{"services.csv": func(s string) string {
		lines := strings.SplitN(s, "\r\n", 2)
		row := strings.TrimRight(lines[1], "\r\n")
		second := strings.Replace(row, "ac148810-d857-441c-9679-408f346de14b", "0f8e2d55-5a36-4f1f-9b7e-6e0c3a6c9d11", 1)
		second = strings.Replace(second, ",active,", ",sleeping,", 1)
		third := strings.Replace(row, "ac148810-d857-441c-9679-408f346de14b", "ac148810-d857-441c-9679-408f346de14b", 1)
		return lines[0] + "\r\n" + row + "\r\n" + second + "\r\n" + third + "\r\n"
	}})
	_, err := s.Import(context.Background(), dir, nil)
	wantProblem(t, err, "services", 3, "status", "sleeping")
	wantProblem(t, err, "services", 4, "id", "also the id of row 2")
	if !strings.Contains(err.Error(), "table services, row 3, field status:") {
		t.Fatalf("message = %v", err)
	}
}

func TestImportRefusesBrokenJSONWhole(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	body, err := os.ReadFile("testdata/examples/service_list.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(body), `"name": "Community Counselling",`, ``, 1)
	_, err = s.ImportJSON(ctx, strings.NewReader(broken), nil)
	wantProblem(t, err, "services", 1, "name", "required")
	if !strings.Contains(err.Error(), "table services, record 1 (at /contents/0), field name: required") {
		t.Fatalf("message = %v", err)
	}
	// A nested record's problem names its own table.
	full, err := os.ReadFile("testdata/examples/service_full.json")
	if err != nil {
		t.Fatal(err)
	}
	badDate := strings.Replace(string(full), `"valid_to": "2022-12-31"`, `"valid_to": "31/12/2022"`, 1)
	_, err = s.ImportJSON(ctx, strings.NewReader(badDate), nil)
	wantProblem(t, err, "cost_options", 1, "valid_to", "not a date")
	if n := countRows(t, s, "hsds_services") + countRows(t, s, "hsds_cost_options"); n != 0 {
		t.Fatalf("refused imports wrote %d rows", n)
	}
}

func TestReimportUpdatesByID(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, "testdata/examples/csv", nil); err != nil {
		t.Fatal(err)
	}
	before := allRows(t, s)
	dir := copyCSV(t, map[string]func(string) string{"services.csv": func(s string) string {
		return strings.Replace(s, ",Community Counselling,", ",Konseling Komunitas,", 1)
	}})
	if _, err := s.Import(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	if after := allRows(t, s); !equalCounts(before, after) {
		t.Fatalf("re-import added rows: %v -> %v", before, after)
	}
	sv, err := s.Service(ctx, exampleService)
	if err != nil || sv.Name != "Konseling Komunitas" {
		t.Fatalf("service after re-import = %v, %v", sv, err)
	}
	page, err := s.Search(ctx, Filter{Text: "konseling"})
	if err != nil || page.TotalItems != 1 {
		t.Fatalf("search after re-import = %+v, %v", page, err)
	}
	// A single table's file updates that table alone.
	single := filepath.Join(t.TempDir(), "cost_options.csv")
	body, _ := os.ReadFile("testdata/examples/csv/cost_options.csv")
	if err := os.WriteFile(single, bytes.Replace(body, []byte(",gbp,35,"), []byte(",gbp,0,"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, single, nil); err != nil {
		t.Fatal(err)
	}
	if sv, _ := s.Service(ctx, exampleService); sv.Curation.CostClass != CostFree {
		t.Fatalf("cost class after a free option = %q", sv.Curation.CostClass)
	}
}

// Exporting the official CSV example after importing it gives the same
// files, byte for byte; importing an export gives the same data back.
func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Import(ctx, "testdata/examples/csv", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, "testdata/examples/organization_full.json", nil); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var progress strings.Builder
	if _, err := s.ExportCSV(ctx, out, &progress); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "hsds: export services") {
		t.Errorf("no export progress: %q", progress.String())
	}
	if _, err := os.Stat(filepath.Join(out, "datapackage.json")); err != nil {
		t.Fatal(err)
	}
	s2 := newStore(t)
	if _, err := s2.Import(ctx, out, nil); err != nil {
		t.Fatalf("import of an export: %v", err)
	}
	out2 := t.TempDir()
	if _, err := s2.ExportCSV(ctx, out2, nil); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		a, _ := os.ReadFile(filepath.Join(out, tb.csvFile()))
		b, _ := os.ReadFile(filepath.Join(out2, tb.csvFile()))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after a round trip:\n%s\n---\n%s", tb.csvFile(), a, b)
		}
	}
	sv1, _ := s.Service(ctx, exampleService)
	sv2, _ := s2.Service(ctx, exampleService)
	if sv1 == nil || sv2 == nil || sv1.Name != sv2.Name || len(sv2.ServiceAtLocations) != len(sv1.ServiceAtLocations) {
		t.Fatalf("services differ: %+v / %+v", sv1, sv2)
	}

	// The official example alone comes back byte for byte.
	s3 := newStore(t)
	if _, err := s3.Import(ctx, "testdata/examples/csv", nil); err != nil {
		t.Fatal(err)
	}
	out3 := t.TempDir()
	if _, err := s3.ExportCSV(ctx, out3, nil); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		a, _ := os.ReadFile(filepath.Join("testdata", "examples", "csv", tb.csvFile()))
		b, _ := os.ReadFile(filepath.Join(out3, tb.csvFile()))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: export differs from the official example:\n%s\n---\n%s", tb.csvFile(), a, b)
		}
	}
}

func TestImportWarnsAboutOfficialOddities(t *testing.T) {
	s := newStore(t)
	res, err := s.Import(context.Background(), "testdata/examples/csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	var lat, org bool
	for _, w := range res.Warnings {
		lat = lat || (w.Table == "locations" && w.Field == "latitude" && w.Row == 2)
		org = org || (w.Table == "locations" && w.Field == "organization_id")
	}
	if !lat || !org {
		t.Fatalf("warnings = %v", res.Warnings)
	}
}
