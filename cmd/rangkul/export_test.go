package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/config"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/secret"
)

// TestExportCommands exports the demo network's answers with the command
// line: tidy and wide CSV and a FHIR Bundle, with no account name in them.
func TestExportCommands(t *testing.T) {
	keys := secret.NewKey("cli")
	t.Setenv("RANGKUL_KEYS", keys) // the demo's answers are sealed with it
	url := dbtest.URL(t)
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{DatabaseURL: url, Keys: keys, Region: "ID", Lang: "id", DataDir: t.TempDir(), LogLevel: "error"}
	a, err := app.Wire(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), d, app.Options{Hash: apptest.CheapHash})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	rows, err := d.Query(ctx, `SELECT username FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()

	dir := t.TempDir()
	read := func(args ...string) string {
		t.Helper()
		file := filepath.Join(dir, "out")
		out, err := cli(t, url, "", append(append([]string{"export"}, args...), "--out", file)...)
		if err != nil || !strings.Contains(out, "wrote "+file) || !strings.Contains(out, "left out:") {
			t.Fatalf("export %v: %v %s", args, err, out)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if strings.Contains(string(b), n) {
				t.Fatalf("export %v names %s", args, n)
			}
		}
		return string(b)
	}
	long := read("responses")
	if !strings.HasPrefix(long, "pseudonym,instrument,item,value,total,band,timepoint,days_since_baseline,group_topic,age_band,region,gender\n") || strings.Count(long, "\n") < 100 {
		t.Fatalf("tidy CSV: %.300s", long)
	}
	if wide := read("responses", "--wide"); !strings.Contains(strings.SplitN(wide, "\n", 2)[0], ",phq9_1,") {
		t.Fatalf("wide CSV: %.300s", wide)
	}
	if org := read("responses", "--org", "yayasan-rangkul-jiwa", "--from", "2020-01-01", "--to", "2024-12-31"); strings.Count(org, "\n") != 1 {
		t.Fatalf("a period before the demo: %.300s", org)
	}
	var bundle struct {
		ResourceType string
		Entry        []json.RawMessage
	}
	if err := json.Unmarshal([]byte(read("fhir")), &bundle); err != nil || bundle.ResourceType != "Bundle" || len(bundle.Entry) < 10 {
		t.Fatalf("bundle: %v %d", err, len(bundle.Entry))
	}
	for _, bad := range [][]string{{"export"}, {"export", "responses"}, {"export", "csv", "--out", "x"},
		{"export", "responses", "--out", filepath.Join(dir, "x"), "--from", "kemarin"},
		{"export", "responses", "--out", filepath.Join(dir, "x"), "--org", "nope"}} {
		if out, err := cli(t, url, "", bad...); err == nil {
			t.Errorf("%v accepted: %s", bad, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Error("a failed export left a file")
	}
}
