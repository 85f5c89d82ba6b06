package db_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	n, err := d.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
	}
	ms, _ := db.Migrations(d.Dialect())
	v, err := d.SchemaVersion(ctx)
	if err != nil || v != ms[len(ms)-1].Version {
		t.Fatalf("schema version %d (%v), want %d", v, err, ms[len(ms)-1].Version)
	}
}

func TestSentinels(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	now := time.Now().UTC()
	ins := `INSERT INTO organisations (slug, name, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id`
	var id int64
	if err := d.WriteRow(ctx, ins, "a", "A", "ngo", now).Scan(&id); err != nil || id == 0 {
		t.Fatalf("insert: id %d err %v", id, err)
	}
	if err := d.WriteRow(ctx, ins, "a", "A again", "ngo", now).Scan(&id); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("duplicate slug: got %v, want ErrConflict", err)
	}
	var name string
	if err := d.QueryRow(ctx, `SELECT name FROM organisations WHERE slug = $1`, "missing").Scan(&name); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("missing row: got %v, want ErrNotFound", err)
	}
	_, err := d.Exec(ctx, `INSERT INTO role_grants (user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)`, 999, id, "member", now)
	if !errors.Is(err, db.ErrReference) {
		t.Fatalf("dangling reference: got %v, want ErrReference", err)
	}
}

func TestTimesRoundTripInUTC(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	if _, err := d.Exec(ctx, `INSERT INTO organisations (slug, name, kind, created_at) VALUES ('t', 'T', 'ngo', $1)`, at); err != nil {
		t.Fatal(err)
	}
	var got time.Time
	if err := d.QueryRow(ctx, `SELECT created_at FROM organisations WHERE slug = 't'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(at) {
		t.Fatalf("time round trip: got %v, want %v", got, at)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM organisations WHERE created_at > $1 AND created_at < $2`,
		at.Add(-time.Millisecond), at.Add(time.Millisecond)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("time comparison found %d (%v), want 1", n, err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	if _, err := d.Exec(ctx, `INSERT INTO audit_log (at, action) VALUES ($1, 'test')`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `UPDATE audit_log SET action = 'changed'`); err == nil {
		t.Fatal("update of audit_log succeeded; want refusal")
	}
	if _, err := d.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Fatal("delete from audit_log succeeded; want refusal")
	}
	// The one exception: erasure replaces a name and address, nothing else.
	if _, err := d.Exec(ctx, `UPDATE audit_log SET actor_name = '[erased]', ip = '', action = 'changed'`); err == nil {
		t.Fatal("redaction that also changes the action succeeded; want refusal")
	}
	if _, err := d.Exec(ctx, `UPDATE audit_log SET actor_name = 'someone else'`); err == nil {
		t.Fatal("renaming the actor succeeded; want refusal")
	}
	if _, err := d.Exec(ctx, `UPDATE audit_log SET actor_name = '[erased]', ip = ''`); err != nil {
		t.Fatalf("redaction refused: %v", err)
	}
	var action, name string
	if err := d.QueryRow(ctx, `SELECT action, actor_name FROM audit_log`).Scan(&action, &name); err != nil || action != "test" || name != "[erased]" {
		t.Fatalf("after redaction: %q %q %v", action, name, err)
	}
}

func TestTxRollsBack(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	boom := errors.New("boom")
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO organisations (slug, name, kind, created_at) VALUES ('r', 'R', 'ngo', $1)`, time.Now().UTC()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v", err)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM organisations WHERE slug = 'r'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rolled-back row visible: %d %v", n, err)
	}
}

// Concurrent writers must queue, not fail with "database is locked".
func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- d.InTx(ctx, func(tx *db.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, action, detail) VALUES ($1, 'w', $2)`, time.Now().UTC(), strconv.Itoa(i))
				return err
			})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'w'`).Scan(&n); err != nil || n != 40 {
		t.Fatalf("rows %d (%v), want 40", n, err)
	}
}

func TestLikePattern(t *testing.T) {
	if got := db.LikePattern(`50%_a\b`); got != `%50\%\_a\\b%` {
		t.Fatalf("LikePattern = %q", got)
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := db.Open(context.Background(), "mysql://x"); err == nil {
		t.Fatal("want error for unsupported URL")
	}
}
