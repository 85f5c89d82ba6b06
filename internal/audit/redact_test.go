package audit_test

import (
	"context"
	"testing"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
)

type row struct {
	at                                    string
	actorID                               int64
	actorName, action, target, detail, ip string
}

func readLog(t *testing.T, d *db.DB) map[int64]row {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT id, CAST(at AS TEXT), COALESCE(actor_id, 0), actor_name, action, target, detail, ip FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]row{}
	for rows.Next() {
		var id int64
		var r row
		if err := rows.Scan(&id, &r.at, &r.actorID, &r.actorName, &r.action, &r.target, &r.detail, &r.ip); err != nil {
			t.Fatal(err)
		}
		out[id] = r
	}
	return out
}

// TestRedactRemovesOnlyTheName: an erased person's entries, and failed
// sign-ins typed with their name in any case, lose the name and address and
// nothing else; everybody else's entries are untouched.
func TestRedactRemovesOnlyTheName(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	log := audit.New(d)
	for _, e := range []audit.Entry{
		{ActorID: 5, ActorName: "kenanga", Action: "auth.login", IP: "10.0.0.5"},
		{ActorName: "KENANGA", Action: "auth.login_failed", IP: "10.0.0.9"},
		{ActorID: 5, ActorName: "kenanga", Action: "groups.join", Target: "group:1", Detail: "member:7", IP: "10.0.0.5"},
		{ActorID: 6, ActorName: "melati", Action: "auth.login", IP: "10.0.0.6"},
		{ActorID: 1, ActorName: "admin", Action: "admin.user.disable", Target: "user:5", Detail: "true", IP: "10.0.0.1"},
		{ActorName: "kenanga-lain", Action: "auth.login_failed", IP: "10.0.0.7"},
	} {
		if err := log.Record(ctx, nil, e); err != nil {
			t.Fatal(err)
		}
	}
	before := readLog(t, d)
	if err := log.Redact(ctx, nil, 5, "Kenanga"); err != nil {
		t.Fatal(err)
	}
	after := readLog(t, d)
	if len(after) != len(before) {
		t.Fatalf("%d entries after redaction, %d before", len(after), len(before))
	}
	redacted := 0
	for id, b := range before {
		a := after[id]
		mine := b.actorID == 5 || b.actorName == "KENANGA"
		if !mine {
			if a != b {
				t.Errorf("entry %d of someone else changed: %+v, was %+v", id, a, b)
			}
			continue
		}
		redacted++
		want := b
		want.actorName, want.ip = audit.Erased, ""
		if a != want {
			t.Errorf("entry %d: %+v, want %+v", id, a, want)
		}
	}
	if redacted != 3 {
		t.Fatalf("%d entries were the person's, want 3", redacted)
	}
	// Inside a transaction, with the rest of an erasure, it commits or rolls back with it.
	if err := d.InTx(ctx, func(tx *db.Tx) error { return log.Redact(ctx, tx, 6, "melati") }); err != nil {
		t.Fatal(err)
	}
	for _, e := range readLog(t, d) {
		if e.actorName == "melati" {
			t.Fatal("redaction in a transaction did not apply")
		}
	}
}

// TestAuditLogStaysAppendOnly: the redaction exception is narrow. Any other
// update, an update that redacts and changes something else as well, and
// every delete are refused by the database itself.
func TestAuditLogStaysAppendOnly(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	log := audit.New(d)
	if err := log.Record(ctx, nil, audit.Entry{ActorID: 5, ActorName: "kenanga", Action: "auth.login", Target: "user:5", Detail: "d", IP: "10.0.0.5"}); err != nil {
		t.Fatal(err)
	}
	before := readLog(t, d)
	refused := []string{
		`UPDATE audit_log SET action = 'changed'`,
		`UPDATE audit_log SET actor_name = 'someone else'`,
		`UPDATE audit_log SET ip = ''`,
		`UPDATE audit_log SET actor_name = '[erased]'`, // the address must go too
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', action = 'changed'`,
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', target = 'user:6'`,
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', detail = ''`,
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', actor_id = NULL`,
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', actor_id = 6`,
		`UPDATE audit_log SET actor_name = '[erased]', ip = '', id = id + 100`,
		`DELETE FROM audit_log`,
	}
	for _, q := range refused {
		if _, err := d.Exec(ctx, q); err == nil {
			t.Errorf("%s: allowed, want refusal", q)
		}
	}
	if after := readLog(t, d); len(after) != 1 || after[1] != before[1] {
		t.Fatalf("refused statements changed the log: %+v, was %+v", after, before)
	}
	if _, err := d.Exec(ctx, `UPDATE audit_log SET actor_name = '[erased]', ip = ''`); err != nil {
		t.Fatalf("the redaction itself was refused: %v", err)
	}
	after := readLog(t, d)
	for id, b := range before {
		want := b
		want.actorName, want.ip = audit.Erased, ""
		if after[id] != want {
			t.Errorf("after the attempts: %+v, want %+v", after[id], want)
		}
	}
	// Once redacted, the entry cannot be changed back or deleted either.
	for _, q := range []string{`UPDATE audit_log SET actor_name = 'kenanga', ip = '10.0.0.5'`, `DELETE FROM audit_log`} {
		if _, err := d.Exec(ctx, q); err == nil {
			t.Errorf("%s on a redacted entry: allowed", q)
		}
	}
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(ctx, `TRUNCATE audit_log`); err == nil {
			t.Error("TRUNCATE audit_log: allowed")
		}
	}
}
