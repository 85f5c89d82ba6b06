package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

const hsdsCSV = "../../internal/hsds/testdata/examples/csv"

func TestImportExportHSDSCommands(t *testing.T) {
	url := dbtest.URL(t)
	out, err := cli(t, url, "", "import", "hsds", hsdsCSV)
	if err != nil || !strings.Contains(out, "imported 21 records (1 services)") || !strings.Contains(out, "hsds: write services: 1 rows") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "warning: table locations, row 2, field latitude: 100 is not a latitude") {
		t.Fatalf("import should warn about the example's latitude:\n%s", out)
	}

	// A broken copy is refused whole, naming table, row and field.
	broken := t.TempDir()
	entries, _ := os.ReadDir(hsdsCSV)
	for _, e := range entries {
		body, _ := os.ReadFile(filepath.Join(hsdsCSV, e.Name()))
		if e.Name() == "services.csv" {
			body = []byte(strings.Replace(string(body), ",Community Counselling,", ",,", 1))
			body = []byte(strings.Replace(string(body), ",2005-01-01,", ",2005-02-30,", 1))
		}
		if err := os.WriteFile(filepath.Join(broken, e.Name()), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err = cli(t, url, "", "import", "hsds", broken)
	if err == nil || !strings.Contains(out, "Nothing was imported: 2 problem(s)") ||
		!strings.Contains(out, "table services, row 2, field name: required") ||
		!strings.Contains(out, `table services, row 2, field assured_date: "2005-02-30" is not a date`) {
		t.Fatalf("broken import: %v\n%s", err, out)
	}

	dir := filepath.Join(t.TempDir(), "export")
	out, err = cli(t, url, "", "export", "hsds", "--out", dir)
	if err != nil || !strings.Contains(out, "exported 21 records in 21 tables") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	for _, f := range []string{"datapackage.json", "services.csv", "service_at_location.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("export wrote no %s", f)
		}
	}
	// The export imports again, into another database.
	out, err = cli(t, dbtest.URL(t), "", "import", "hsds", dir)
	if err != nil || !strings.Contains(out, "imported 21 records") {
		t.Fatalf("import of the export: %v\n%s", err, out)
	}

	for _, args := range [][]string{{"import"}, {"import", "hsds"}, {"import", "hsds", "a", "b"}, {"export", "hsds"},
		{"import", "hsds", filepath.Join(t.TempDir(), "missing")}} {
		if _, err := cli(t, url, "", args...); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
