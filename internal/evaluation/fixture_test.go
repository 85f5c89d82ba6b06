package evaluation

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/secret"
)

// fx builds small, fixed data straight into the tables the dashboards read,
// so that every figure can be worked out by hand.
type fx struct {
	t   testing.TB
	ctx context.Context
	d   *db.DB
	box *secret.Box
	s   *Service
	now time.Time
}

// clock: the fixtures' "today".
var clock = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

func newFx(t testing.TB) *fx {
	t.Helper()
	d := dbtest.Open(t)
	box, err := secret.Parse(secret.NewKey("test"))
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(d, audit.New(d), box, t.TempDir()).WithClock(func() time.Time { return clock })
	s.Topics = []string{"depression", "anxiety", "grief"}
	return &fx{t: t, ctx: context.Background(), d: d, box: box, s: s, now: clock}
}

func (f *fx) id(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.WriteRow(f.ctx, query+" RETURNING id", args...).Scan(&id); err != nil {
		f.t.Fatalf("fixture: %s: %v", query, err)
	}
	return id
}

func (f *fx) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.Exec(f.ctx, query, args...); err != nil {
		f.t.Fatalf("fixture: %s: %v", query, err)
	}
}

func (f *fx) org(slug string) int64 {
	return f.id(`INSERT INTO organisations (slug, name, kind, region, created_at) VALUES ($1, $2, 'ngo', 'DKI Jakarta', $3)`,
		slug, "Org "+slug, f.now)
}

// user makes an account with an e-mail address, so exports can be checked
// for names and addresses.
func (f *fx) user(name string) int64 {
	return f.id(`INSERT INTO users (username, email, password_hash, created_at, password_changed_at) VALUES ($1, $2, 'x', $3, $3)`,
		name, name+"@example.org", f.now)
}

func (f *fx) grant(user, org int64, role auth.Role) {
	f.exec(`INSERT INTO role_grants (user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)`, user, org, string(role), f.now)
}

// as is the principal of user, with their grants.
func (f *fx) as(user int64) context.Context {
	f.t.Helper()
	p := &auth.Principal{UserID: user}
	if err := f.d.QueryRow(f.ctx, `SELECT username, site_admin FROM users WHERE id = $1`, user).Scan(&p.Username, &p.SiteAdmin); err != nil {
		f.t.Fatal(err)
	}
	rows, err := f.d.Query(f.ctx, `SELECT org_id, role FROM role_grants WHERE user_id = $1`, user)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var g auth.Grant
		if err := rows.Scan(&g.OrgID, &g.Role); err != nil {
			f.t.Fatal(err)
		}
		p.Grants = append(p.Grants, g)
	}
	return auth.WithPrincipal(f.ctx, p)
}

func (f *fx) group(org int64, name, topic string) int64 {
	return f.id(`INSERT INTO support_groups (org_id, name, topic, language, mode, created_at, updated_at) VALUES ($1, $2, $3, 'id', 'online', $4, $4)`,
		org, name, topic, f.now)
}

func (f *fx) member(group, user int64, role string, joined time.Time) {
	f.exec(`INSERT INTO group_members (group_id, user_id, display_name, role, status, joined_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'active', $5, $5, $5)`, group, user, "m"+strconv.FormatInt(user, 10), role, joined)
}

func (f *fx) left(group, user int64, at time.Time) {
	f.exec(`UPDATE group_members SET status = 'left', updated_at = $1 WHERE group_id = $2 AND user_id = $3`, at, group, user)
}

func (f *fx) session(group int64, start time.Time) int64 {
	return f.id(`INSERT INTO group_sessions (group_id, starts_at, minutes, timezone, capacity, created_at, updated_at)
		VALUES ($1, $2, 90, 'UTC', 12, $3, $3)`, group, start, f.now)
}

func (f *fx) attend(session int64, occ time.Time, user int64, present bool) {
	f.exec(`INSERT INTO session_attendance (session_id, occurrence_start, user_id, present, method, marked_at) VALUES ($1, $2, $3, $4, 'roll', $2)`,
		session, occ, user, present)
}

func (f *fx) feedback(session int64, occ time.Time, user int64, helpful, safe int) {
	f.exec(`INSERT INTO session_feedback (session_id, occurrence_start, user_id, helpful, safe, created_at) VALUES ($1, $2, $3, $4, $5, $2)`,
		session, occ, user, helpful, safe)
}

func (f *fx) post(group, user int64, at time.Time) {
	f.exec(`INSERT INTO board_posts (group_id, author_id, body, body_html, created_at) VALUES ($1, $2, 'halo', '<p>halo</p>', $3)`, group, user, at)
}

// answersFor returns answers to in whose total is total: the first items take
// the highest codes, the rest the lowest (for instruments without skips).
func answersFor(t testing.TB, in *outcomes.Instrument, total float64) []int {
	t.Helper()
	factor := in.Factor
	if factor == 0 {
		factor = 1
	}
	left := int(total / factor)
	var out []int
	for i, it := range in.Items {
		if !it.Scored {
			continue
		}
		cs := in.ChoicesOf(i)
		lo, hi := cs[0].Value, cs[0].Value
		for _, c := range cs {
			lo, hi = min(lo, c.Value), max(hi, c.Value)
		}
		v := lo
		for v < hi && left > v {
			v++
		}
		left -= v
		out = append(out, v)
	}
	res, err := in.Score(out)
	if err != nil || res.Total != total {
		t.Fatalf("fixture: no answers to %s total %v: %v %v", in.Code, total, res.Total, err)
	}
	return out
}

// response stores a completed questionnaire with sealed answers; baseline
// is 0 for none.
func (f *fx) response(user, org, group int64, code, timepoint string, total float64, baseline int64, at time.Time) int64 {
	f.t.Helper()
	in, ok := outcomes.Lookup(code)
	if !ok {
		f.t.Fatalf("no instrument %s", code)
	}
	items := answersFor(f.t, in, total)
	res, _ := in.Score(items)
	var b, g any
	if baseline != 0 {
		b = baseline
	}
	if group != 0 {
		g = group
	}
	id := f.id(`INSERT INTO outcome_responses (user_id, org_id, group_id, instrument, timepoint, language, total, band, flags, answers_sealed, baseline_id, completed_at)
		VALUES ($1, $2, $3, $4, $5, 'id', $6, $7, $8, '', $9, $10)`, user, org, g, code, timepoint, res.Total, res.Band, strings.Join(res.Flags, ","), b, at)
	sealed, err := measure.SealAnswers(f.box, id, measure.Answers{Items: items})
	if err != nil {
		f.t.Fatal(err)
	}
	f.exec(`UPDATE outcome_responses SET answers_sealed = $1 WHERE id = $2`, sealed, id)
	return id
}

func (f *fx) consent(user int64) {
	f.exec(`INSERT INTO consents (user_id, purpose, version, lang, agreed_at) VALUES ($1, 'research', 1, 'id', $2)`, user, f.now)
}

func (f *fx) withdraw(user int64) {
	f.exec(`UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND purpose = 'research'`, f.now, user)
}

func (f *fx) profile(user int64, born int, gender, region string) {
	f.exec(`INSERT INTO outcome_profiles (user_id, birth_year, gender, region, updated_at) VALUES ($1, $2, $3, $4, $5)`, user, born, gender, region, f.now)
}

// period is the first half of 2026.
func period() Filter {
	return Filter{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
}
