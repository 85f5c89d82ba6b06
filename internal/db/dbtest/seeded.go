package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rangkul/rangkul/internal/db"
)

// Seeding a database (migrations, then a demo network) is the slow part of
// an application test; copying a finished one is fast. Seeded makes the
// database once per test binary and key, keeps it as a template, and gives
// each test its own copy: a file copy on SQLite, CREATE DATABASE ... TEMPLATE
// on PostgreSQL. Call Cleanup from TestMain to remove the templates.

type template struct {
	once sync.Once
	err  error
	// path is the SQLite template file; name the PostgreSQL template database.
	path, name string
}

var (
	templatesMu sync.Mutex
	templates   = map[string]*template{}
	// cloneMu serialises CREATE DATABASE ... TEMPLATE: PostgreSQL refuses
	// a copy while another session is using the template.
	cloneMu sync.Mutex
	tmpRoot string

	adminMu sync.Mutex
	admin   *db.DB
)

// Seeded returns a fresh database for t holding a copy of the database that
// seed filled (once per test binary and key) after migrating it. The copy is
// removed when t ends.
func Seeded(t testing.TB, key string, seed func(context.Context, *db.DB) error) *db.DB {
	t.Helper()
	templatesMu.Lock()
	tp := templates[key]
	if tp == nil {
		tp = &template{}
		templates[key] = tp
	}
	templatesMu.Unlock()
	tp.once.Do(func() { tp.err = tp.make(key, seed) })
	if tp.err != nil {
		t.Fatalf("dbtest: template %s: %v", key, tp.err)
	}
	u := tp.clone(t)
	d, err := db.Open(context.Background(), u)
	if err != nil {
		t.Fatalf("dbtest: open copy of %s: %v", key, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (tp *template) make(key string, seed func(context.Context, *db.DB) error) error {
	ctx := context.Background()
	pg := os.Getenv("RANGKUL_TEST_POSTGRES")
	var u string
	if pg == "" {
		if os.Getenv("RANGKUL_TEST_REQUIRE_PG") == "1" {
			return fmt.Errorf("RANGKUL_TEST_REQUIRE_PG=1 but RANGKUL_TEST_POSTGRES is empty")
		}
		templatesMu.Lock()
		if tmpRoot == "" {
			dir, err := os.MkdirTemp("", "rangkul-dbtest-")
			if err != nil {
				templatesMu.Unlock()
				return err
			}
			tmpRoot = dir
		}
		templatesMu.Unlock()
		tp.path = filepath.Join(tmpRoot, key+".db")
		u = "sqlite:" + filepath.Join(tmpRoot, key+".seed.db")
	} else {
		tp.name = randomName("tpl_")
		if err := adminExec(ctx, pg, "CREATE DATABASE "+tp.name); err != nil {
			return err
		}
		var err error
		if u, err = withDatabase(pg, tp.name); err != nil {
			return err
		}
	}
	d, err := db.Open(ctx, u)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := seed(ctx, d); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if tp.path != "" {
		// A compact, self-contained file: no WAL to carry along.
		if _, err := d.Exec(ctx, "VACUUM INTO '"+strings.ReplaceAll(tp.path, "'", "''")+"'"); err != nil {
			return fmt.Errorf("vacuum into template: %w", err)
		}
		return nil
	}
	// Statistics travel with the copy, so the planner knows the demo's sizes.
	_, err = d.Exec(ctx, "ANALYZE")
	return err
}

func (tp *template) clone(t testing.TB) string {
	t.Helper()
	if tp.path != "" {
		dst := filepath.Join(t.TempDir(), "rangkul.db")
		if err := copyFile(tp.path, dst); err != nil {
			t.Fatalf("dbtest: copy template: %v", err)
		}
		return "sqlite:" + dst
	}
	pg := os.Getenv("RANGKUL_TEST_POSTGRES")
	name := randomName("t_")
	cloneMu.Lock()
	err := adminExec(context.Background(), pg, "CREATE DATABASE "+name+" TEMPLATE "+tp.name)
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("dbtest: copy template: %v", err)
	}
	t.Cleanup(func() {
		_ = adminExec(context.Background(), pg, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := withDatabase(pg, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Cleanup removes the templates Seeded made; call it from TestMain after m.Run.
func Cleanup() {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if pg := os.Getenv("RANGKUL_TEST_POSTGRES"); pg != "" {
		for _, tp := range templates {
			if tp.name != "" {
				_ = adminExec(context.Background(), pg, "DROP DATABASE IF EXISTS "+tp.name+" WITH (FORCE)")
			}
		}
	}
	adminMu.Lock()
	if admin != nil {
		admin.Close()
		admin = nil
	}
	adminMu.Unlock()
	if tmpRoot != "" {
		_ = os.RemoveAll(tmpRoot)
		tmpRoot = ""
	}
	templates = map[string]*template{}
}

// adminExec runs stmt on the server's own database, over one connection
// pool kept for the test binary (closed by Cleanup).
func adminExec(ctx context.Context, pg, stmt string) error {
	adminMu.Lock()
	if admin == nil {
		a, err := db.Open(ctx, pg)
		if err != nil {
			adminMu.Unlock()
			return fmt.Errorf("connect to RANGKUL_TEST_POSTGRES: %w", err)
		}
		admin = a
	}
	a := admin
	adminMu.Unlock()
	if _, err := a.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(stmt)[0]+" "+strings.Fields(stmt)[1], err)
	}
	return nil
}

// withDatabase returns the server URL pg pointed at database name.
func withDatabase(pg, name string) (string, error) {
	u, err := url.Parse(pg)
	if err != nil {
		return "", fmt.Errorf("parse RANGKUL_TEST_POSTGRES: %w", err)
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
