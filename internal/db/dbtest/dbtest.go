// Package dbtest gives each test a fresh, migrated database: SQLite in a temporary
// directory by default, or a fresh schema on the PostgreSQL server named by
// RANGKUL_TEST_POSTGRES, so the same tests prove both engines.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/rangkul/rangkul/internal/db"
)

// URL returns a database URL for a fresh database for t, and registers its cleanup.
func URL(t testing.TB) string {
	t.Helper()
	pg := os.Getenv("RANGKUL_TEST_POSTGRES")
	if pg == "" {
		if os.Getenv("RANGKUL_TEST_REQUIRE_PG") == "1" {
			t.Fatal("RANGKUL_TEST_REQUIRE_PG=1 but RANGKUL_TEST_POSTGRES is empty")
		}
		return "sqlite:" + filepath.Join(t.TempDir(), "rangkul.db")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	admin, err := db.Open(ctx, pg)
	if err != nil {
		t.Fatalf("dbtest: connect to RANGKUL_TEST_POSTGRES: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(pg)
	if err != nil {
		t.Fatalf("dbtest: parse RANGKUL_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh migrated database for t, closed when t ends.
func Open(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return d
}
