// Package audit writes and reads Rangkul's append-only audit log (B5): who did
// what, when and from where. The database refuses updates and deletes of written
// records (see migration 0003); this package only ever inserts and reads.
package audit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// Entry is one audit record.
type Entry struct {
	ID        int64
	At        time.Time
	ActorID   int64 // 0 when nobody was signed in
	ActorName string
	Action    string // dotted name, e.g. "auth.login", "admin.role.grant"
	Target    string // what was acted on, e.g. "user:12"
	Detail    string
	IP        string
}

// Log is the audit log.
type Log struct {
	db  *db.DB
	now func() time.Time
}

// New returns the audit log stored in d.
func New(d *db.DB) *Log { return &Log{db: d, now: time.Now} }

// Record appends e, stamping its time. q may be a transaction so that the
// record commits or rolls back with the change it describes.
func (l *Log) Record(ctx context.Context, q db.Querier, e Entry) error {
	if q == nil {
		q = l.db
	}
	e.At = l.now().UTC()
	var actor any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	const query = `INSERT INTO audit_log (at, actor_id, actor_name, action, target, detail, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
	if _, err := q.Exec(ctx, query, e.At, actor, e.ActorName, e.Action, e.Target, e.Detail, e.IP); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Filter narrows a listing of the log. Zero fields do not narrow.
type Filter struct {
	Action   string    // prefix match, e.g. "auth." or "admin.role"
	Actor    string    // exact actor name
	PersonID int64     // entries by this person (actor) or about them (target "user:ID")
	Target   string    // the record: exact ("group:3"), or a prefix when it ends in ":" ("escalation:")
	From, To time.Time // entries at or after From, and before To
	Before   int64     // entries with ID below this (keyset paging); 0 for the newest
	Limit    int
}

// List returns entries newest first, matching f.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	before := f.Before
	if before <= 0 {
		before = 1 << 62
	}
	from, to := f.From, f.To
	if from.IsZero() {
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	target := ""
	if f.Target != "" {
		target = prefixPattern(f.Target)
		if !strings.HasSuffix(f.Target, ":") {
			target = strings.TrimSuffix(target, "%")
		}
	}
	const query = `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, target, detail, ip
		FROM audit_log
		WHERE id < $1 AND ($2 = '' OR action LIKE $3 ESCAPE '\') AND ($4 = '' OR actor_name = $4)
		AND ($5 = 0 OR actor_id = $5 OR target = $6) AND ($7 = '' OR target LIKE $7 ESCAPE '\')
		AND at >= $8 AND at < $9
		ORDER BY id DESC LIMIT $10`
	rows, err := l.db.Query(ctx, query, before, f.Action, prefixPattern(f.Action), f.Actor,
		f.PersonID, "user:"+strconv.FormatInt(f.PersonID, 10), target, from.UTC(), to.UTC(), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// prefixPattern is a LIKE pattern matching values that start with s.
func prefixPattern(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(db.LikePattern(s), "%"), "%") + "%"
}

type ipKey struct{}

// WithIP returns ctx carrying the client address of the request being served,
// so that services can log where an action came from without seeing HTTP.
func WithIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ipKey{}, ip)
}

// IPFrom returns the client address stored by WithIP, or "".
func IPFrom(ctx context.Context) string { ip, _ := ctx.Value(ipKey{}).(string); return ip }

// ClientIP is the address a request came from, for the log. It trusts
// X-Forwarded-For only when the direct peer is a loopback proxy.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			if p := net.ParseIP(strings.TrimSpace(first)); p != nil {
				return p.String()
			}
		}
	}
	return host
}
