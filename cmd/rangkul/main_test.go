package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

// cli runs the command line against a fresh database (SQLite or, with
// RANGKUL_TEST_POSTGRES, PostgreSQL) and returns its output.
func cli(t *testing.T, dbURL, stdin string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("RANGKUL_DATABASE_URL", dbURL)
	t.Setenv("RANGKUL_DATA", t.TempDir()) // the key file for sealed fields goes here
	var out, errOut bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestUserCommands(t *testing.T) {
	url := dbtest.URL(t)
	out, err := cli(t, url, "", "migrate")
	if err != nil || !strings.Contains(out, "applied") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, err = cli(t, url, "", "user", "create", "Sari", "--admin")
	if err != nil {
		t.Fatalf("create: %v %s", err, out)
	}
	if !regexp.MustCompile(`password: \S{20,}`).MatchString(out) || strings.Count(out, "\n  ") != 10 {
		t.Fatalf("create should print a password and ten recovery codes:\n%s", out)
	}
	if _, err := cli(t, url, "", "user", "create", "sari"); err == nil {
		t.Fatal("duplicate user created")
	}
	out, err = cli(t, url, "a long enough password\n", "user", "create", "budi", "--password-stdin")
	if err != nil || strings.Contains(out, "password:") {
		t.Fatalf("create with stdin password: %v %s", err, out)
	}
	if _, err := cli(t, url, "short\n", "user", "create", "rina", "--password-stdin"); err == nil {
		t.Fatal("short password accepted")
	}
	if out, err := cli(t, url, "", "user", "set-role", "budi", "coordinator", "--org", "nope"); err == nil {
		t.Fatalf("unknown organisation accepted: %s", out)
	}
	if out, err := cli(t, url, "", "user", "set-role", "budi", "wizard", "--org", "nope"); err == nil {
		t.Fatalf("unknown role accepted: %s", out)
	}
	out, err = cli(t, url, "", "user", "set-role", "budi", "admin")
	if err != nil || !strings.Contains(out, "network administrator: true") {
		t.Fatalf("set-role admin: %v %s", err, out)
	}
	out, err = cli(t, url, "", "user", "reset-password", "budi")
	if err != nil || !strings.Contains(out, "new password:") {
		t.Fatalf("reset-password: %v %s", err, out)
	}
	if _, err := cli(t, url, "", "user", "reset-password", "nobody"); err == nil {
		t.Fatal("reset of unknown user succeeded")
	}
}

func TestDataFlagAndVersion(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RANGKUL_DATABASE_URL", "")
	t.Setenv("RANGKUL_DATA", dir)
	var out bytes.Buffer
	if err := run([]string{"migrate", "--data", dir}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rangkul.db")); err != nil {
		t.Fatalf("--data did not place the database: %v", err)
	}
	out.Reset()
	if err := run([]string{"version"}, nil, &out, &out); err != nil || !strings.HasPrefix(out.String(), "rangkul ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run([]string{"frobnicate"}, nil, &out, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
	if err := run([]string{"serve", "--addr", "nonsense"}, nil, &out, &out); err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("bad --addr: %v", err)
	}
}

func TestExplainTranslatesFieldErrors(t *testing.T) {
	url := dbtest.URL(t)
	cli(t, url, "", "user", "create", "sari")
	_, err := cli(t, url, "", "user", "create", "sari")
	if got := explain(err); got != "username: That username is already taken. Please choose another." {
		t.Fatalf("explain = %q", got)
	}
}

func TestScreenCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	in := strings.NewReader("pengin udahan aja hidupnya\nmati lampu lagi\nI can't go on like this\n\n")
	if err := run([]string{"screen"}, in, &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"crisis", "none", "concern", "none"}
	if len(lines) != len(want) {
		t.Fatalf("%d lines for 4 messages: %q", len(lines), out.String())
	}
	for i, l := range lines {
		var r struct {
			Level   string   `json:"level"`
			Reasons []string `json:"reasons"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d is not JSON: %q", i+1, l)
		}
		if r.Level != want[i] || r.Reasons == nil {
			t.Errorf("line %d: %+v, want level %s", i+1, r, want[i])
		}
	}
	if err := run([]string{"screen", "extra"}, strings.NewReader(""), &out, &errOut); err == nil {
		t.Fatal("screen accepted an argument")
	}
}
