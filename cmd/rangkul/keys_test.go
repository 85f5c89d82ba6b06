package main

import (
	"bytes"
	"context"
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

// TestKeysRotate: the demo network's sealed values (facilitators' notes,
// feedback, check-in words, alerts, reports, appeals, cases) are sealed with
// k1; after `keys add` and `keys rotate` every one is sealed with k2 and opens
// to the same text under the same binding; a second rotation re-seals nothing;
// a tampered value is reported and left alone; a ring without the old key
// fails clearly.
func TestKeysRotate(t *testing.T) {
	url := dbtest.URL(t)
	dir := t.TempDir()
	t.Setenv("RANGKUL_DATABASE_URL", url)
	t.Setenv("RANGKUL_KEYS", "")
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{DatabaseURL: url, DataDir: dir, Region: "ID", Lang: "id", LogLevel: "error"}
	a, err := app.Wire(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), d, app.Options{Hash: apptest.CheapHash})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	keysCmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(append([]string{"keys"}, append(args, "--data", dir)...), strings.NewReader(""), &out, io.Discard)
		return out.String(), err
	}
	// Every sealed value, opened with a ring, by column.
	plain := func(box *secret.Box) map[string]string {
		got := map[string]string{}
		for _, c := range app.SealedColumns() {
			rows, err := d.Query(ctx, `SELECT `+strings.Join(c.Key, ", ")+`, `+c.Sealed+` FROM `+c.Table+` WHERE `+c.Sealed+` <> ''`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				k := c.NewKey()
				var sealed string
				if err := rows.Scan(append(k, &sealed)...); err != nil {
					t.Fatal(err)
				}
				v, err := box.Open(sealed, c.AAD(k))
				if err != nil {
					t.Fatalf("%s: %v", c.Name(), err)
				}
				got[c.Name()+"|"+c.AAD(k)] = v
			}
			rows.Close()
		}
		return got
	}
	ring := func() *secret.Box {
		raw, err := os.ReadFile(filepath.Join(dir, "keys"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := secret.Parse(string(raw))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	before := plain(ring())
	for _, want := range []string{"escalations.excerpt_sealed", "session_notes.body_sealed", "conflict_cases.summary_sealed", "moderation_actions.appeal_sealed"} {
		found := false
		for k := range before {
			found = found || strings.HasPrefix(k, want+"|")
		}
		if !found {
			t.Fatalf("the demo has no value in %s", want)
		}
	}
	if out, err := keysCmd("status"); err != nil || !strings.Contains(out, "sealing key: k1") || strings.Contains(out, "k2") {
		t.Fatalf("status: %v %s", err, out)
	}
	if out, err := keysCmd("add"); err != nil || !strings.Contains(out, "added key k2") {
		t.Fatalf("add: %v %s", err, out)
	}
	out, err := keysCmd("rotate", "--batch", "2")
	if err != nil || !strings.Contains(out, "done: ") || !strings.Contains(out, "escalations.excerpt_sealed: 1 re-sealed") {
		t.Fatalf("rotate: %v %s", err, out)
	}
	after := plain(ring())
	if len(after) != len(before) {
		t.Fatalf("%d values before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("%s changed: %q -> %q", k, v, after[k])
		}
	}
	if out, _ := keysCmd("status"); strings.Contains(out, "k1 ") {
		t.Fatalf("values still under k1:\n%s", out)
	}
	if out, err := keysCmd("rotate"); err != nil || !strings.Contains(out, "done: 0 values") {
		t.Fatalf("second rotate: %v %s", err, out)
	}
	// A tampered value: reported, not overwritten.
	if _, err := d.Exec(ctx, `UPDATE escalations SET excerpt_sealed = 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if out, err := keysCmd("rotate"); err == nil || !strings.Contains(out, "escalations.excerpt_sealed: 0 re-sealed, 0 already current, 1 unreadable") {
		t.Fatalf("rotate with a tampered value: %v %s", err, out)
	}
	var still string
	if err := d.QueryRow(ctx, `SELECT excerpt_sealed FROM escalations WHERE id = 1`).Scan(&still); err != nil || !strings.HasPrefix(still, "k1:AAAA") {
		t.Fatalf("the tampered value was changed: %q %v", still, err)
	}
	// A ring without the key the values are sealed with.
	if err := os.WriteFile(filepath.Join(dir, "keys"), []byte(secret.NewKey("k9")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := keysCmd("rotate"); err == nil || !strings.Contains(out, "unreadable") {
		t.Fatalf("rotate without the old key: %v %s", err, out)
	}
	t.Setenv("RANGKUL_KEYS", secret.NewKey("k5"))
	if _, err := keysCmd("add"); err == nil || !strings.Contains(err.Error(), "RANGKUL_KEYS") {
		t.Fatalf("add with RANGKUL_KEYS set: %v", err)
	}
}
