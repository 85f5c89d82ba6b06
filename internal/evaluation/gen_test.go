package evaluation

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/secret"
)

// The generator fills a database with a synthetic network for the
// benchmarks: organisations, groups of ten, members who joined over the
// last eighteen months, weekly meetings with roll calls, feedback, board
// posts, research consents and profiles, and questionnaires with sealed
// answers. Rows go in with explicit ids, in multi-row INSERTs of a few
// hundred rows, one transaction per table chunk. A fixed seed makes every
// run the same.

const genBase = 1_000_000 // first id of generated rows, clear of fixtures

// batcher writes rows of one table in multi-row INSERTs.
type batcher struct {
	tb    testing.TB
	ctx   context.Context
	d     *db.DB
	table string
	cols  []string
	rows  [][]any
	n     int
	after []*batcher // tables this one refers to, written first
}

func newBatcher(tb testing.TB, d *db.DB, table string, cols ...string) *batcher {
	return &batcher{tb: tb, ctx: context.Background(), d: d, table: table, cols: cols}
}

func (b *batcher) add(vals ...any) {
	b.rows = append(b.rows, vals)
	if len(b.rows) >= 400 {
		b.flush()
	}
}

func (b *batcher) flush() {
	if len(b.rows) == 0 {
		return
	}
	for _, a := range b.after {
		a.flush()
	}
	var q strings.Builder
	q.WriteString("INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(b.rows)*len(b.cols))
	for i, r := range b.rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		for j, v := range r {
			if j > 0 {
				q.WriteString(", ")
			}
			args = append(args, v)
			q.WriteString("$" + strconv.Itoa(len(args)))
		}
		q.WriteString(")")
	}
	if _, err := b.d.Exec(b.ctx, q.String(), args...); err != nil {
		b.tb.Fatalf("generate %s: %v", b.table, err)
	}
	b.n += len(b.rows)
	b.rows = b.rows[:0]
}

// genOptions size a synthetic network.
type genOptions struct {
	Members      int     // members, in groups of ten
	Orgs         int     // organisations
	Meetings     int     // weekly meetings per group, ending a week before now
	Attend       float64 // chance a member is on a meeting's roll call (present 4 times in 5)
	Instruments  []string
	Followups    int     // follow-ups per person and instrument after the baseline
	Measured     float64 // share of members who answer questionnaires
	Consenting   float64 // share of members who agree to research use
	Feedback     bool    // members give feedback after a meeting they came to, once in four
	Posts        float64 // share of members who wrote on the board
	Now          time.Time
	Box          *secret.Box
	SealResponse bool // seal real answers (exports open them); else an empty sealed value
}

// genStats counts what was made.
type genStats struct {
	Members, Groups, Attendance, Responses, ItemAnswers int
}

func generate(tb testing.TB, d *db.DB, o genOptions) genStats {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2026, 11))
	var st genStats
	now := o.Now.UTC()
	orgs := newBatcher(tb, d, "organisations", "id", "slug", "name", "kind", "region", "created_at")
	regions := []string{"DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali", "Sulawesi Selatan"}
	for i := 0; i < o.Orgs; i++ {
		orgs.add(genBase+i, fmt.Sprintf("gen-org-%d", i), fmt.Sprintf("Generated %d", i), "ngo", regions[i%len(regions)], now)
	}
	orgs.flush()
	topics := []string{"depression", "anxiety", "bipolar", "psychosis", "grief", "trauma", "substance", "carers", "youth", "general"}
	groups := newBatcher(tb, d, "support_groups", "id", "org_id", "name", "topic", "language", "mode", "created_at", "updated_at")
	sessions := newBatcher(tb, d, "group_sessions", "id", "group_id", "starts_at", "minutes", "timezone", "capacity", "created_at", "updated_at")
	nGroups := (o.Members + 9) / 10
	firstMeeting := now.AddDate(0, 0, -7*(o.Meetings+1))
	for g := 0; g < nGroups; g++ {
		org := genBase + g%o.Orgs
		groups.add(genBase+g, org, fmt.Sprintf("Group %d", g), topics[g%len(topics)], "id", "online", now, now)
		sessions.add(genBase+g, genBase+g, firstMeeting, 90, "UTC", 12, now, now)
	}
	groups.flush()
	sessions.flush()
	st.Groups = nGroups

	users := newBatcher(tb, d, "users", "id", "username", "password_hash", "created_at", "password_changed_at")
	members := newBatcher(tb, d, "group_members", "group_id", "user_id", "display_name", "role", "status", "joined_at", "created_at", "updated_at")
	attendance := newBatcher(tb, d, "session_attendance", "session_id", "occurrence_start", "user_id", "present", "method", "marked_at")
	feedback := newBatcher(tb, d, "session_feedback", "session_id", "occurrence_start", "user_id", "helpful", "safe", "created_at")
	posts := newBatcher(tb, d, "board_posts", "group_id", "author_id", "body", "body_html", "created_at")
	consents := newBatcher(tb, d, "consents", "user_id", "purpose", "version", "lang", "agreed_at")
	profiles := newBatcher(tb, d, "outcome_profiles", "user_id", "birth_year", "gender", "region", "updated_at")
	responses := newBatcher(tb, d, "outcome_responses", "id", "user_id", "org_id", "group_id", "instrument", "timepoint", "language",
		"total", "band", "flags", "answers_sealed", "baseline_id", "completed_at")
	members.after = []*batcher{users}
	for _, b := range []*batcher{attendance, feedback, posts, consents, profiles} {
		b.after = []*batcher{users, members}
	}
	responses.after = []*batcher{users}
	var ins []*outcomes.Instrument
	for _, code := range o.Instruments {
		in, ok := outcomes.Lookup(code)
		if !ok {
			tb.Fatalf("generate: no instrument %s", code)
		}
		ins = append(ins, in)
	}
	genders := []string{"perempuan", "laki-laki"}
	respID := genBase
	for u := 0; u < o.Members; u++ {
		uid, g := genBase+u, genBase+u/10
		joined := now.Add(-time.Duration(rng.Int64N(int64(540 * 24 * time.Hour)))).Truncate(time.Second)
		users.add(uid, fmt.Sprintf("gen-%d", u), "x", joined, joined)
		members.add(g, uid, fmt.Sprintf("m%d", u), "member", "active", joined, joined, joined)
		for k := 0; k < o.Meetings; k++ {
			occ := firstMeeting.AddDate(0, 0, 7*k)
			if occ.Before(joined) || rng.Float64() >= o.Attend {
				continue
			}
			present := rng.IntN(5) > 0
			attendance.add(g, occ, uid, present, "roll", occ)
			st.Attendance++
			if present && o.Feedback && rng.IntN(4) == 0 {
				feedback.add(g, occ, uid, 1+rng.IntN(5), 1+rng.IntN(5), occ)
			}
		}
		if rng.Float64() < o.Posts {
			posts.add(g, uid, "halo semua", "<p>halo semua</p>", now.Add(-time.Duration(rng.Int64N(int64(300*24*time.Hour)))))
		}
		if rng.Float64() < o.Consenting {
			consents.add(uid, "research", 1, "id", joined)
		}
		profiles.add(uid, 1950+rng.IntN(55), genders[rng.IntN(2)], regions[rng.IntN(len(regions))], joined)
		if rng.Float64() >= o.Measured {
			continue
		}
		for _, in := range ins {
			at := joined.Add(time.Hour)
			baseline := 0
			for f := 0; f <= o.Followups; f++ {
				items := make([]int, 0, len(in.Items))
				for i, it := range in.Items {
					if !it.Scored {
						continue
					}
					cs := in.ChoicesOf(i)
					items = append(items, cs[rng.IntN(len(cs))].Value)
				}
				res, err := in.Score(items)
				if err != nil {
					tb.Fatalf("generate: %s answers: %v", in.Code, err)
				}
				sealed := ""
				if o.SealResponse {
					if sealed, err = measure.SealAnswers(o.Box, int64(respID), measure.Answers{Items: items}); err != nil {
						tb.Fatal(err)
					}
				}
				tp := "baseline"
				var base any
				if f > 0 {
					tp, base = "followup", baseline
				} else {
					baseline = respID
				}
				responses.add(respID, uid, genBase+(u/10)%o.Orgs, g, in.Code, tp, "id", res.Total, res.Band, strings.Join(res.Flags, ","), sealed, base, at)
				st.Responses++
				st.ItemAnswers += len(items)
				respID++
				at = at.Add(time.Duration(28+rng.IntN(28)) * 24 * time.Hour)
				if at.After(now) {
					break
				}
			}
		}
	}
	for _, b := range []*batcher{users, members, attendance, feedback, posts, consents, profiles, responses} {
		b.flush()
	}
	st.Members = o.Members
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(context.Background(), "ANALYZE"); err != nil {
			tb.Fatal(err)
		}
	} else if err := d.Optimize(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestGenerator(t *testing.T) {
	f := newFx(t)
	st := generate(t, f.d, genOptions{Members: 200, Orgs: 3, Meetings: 20, Attend: 0.6, Instruments: []string{"phq9", "who5"},
		Followups: 2, Measured: 0.8, Consenting: 0.7, Feedback: true, Posts: 0.1, Now: clock, Box: f.box, SealResponse: true})
	if st.Groups != 20 || st.Responses == 0 || st.Attendance == 0 {
		t.Fatalf("generated %+v", st)
	}
	admin := f.as(f.admin())
	d, err := f.s.Dashboard(admin, Filter{From: clock.AddDate(-1, 0, 0), To: clock})
	if err != nil {
		t.Fatal(err)
	}
	if d.Reach.Members.Value == 0 || len(d.Outcomes) != 2 || d.Attendance.Present.Value == 0 {
		t.Fatalf("dashboard of generated data: %+v", d.Reach)
	}
	var out strings.Builder
	es, err := f.s.Export(admin, Filter{From: clock.AddDate(-2, 0, 0), To: clock}, FormatLong, &out, nil)
	if err != nil || es.Rows == 0 {
		t.Fatalf("export %+v %v", es, err)
	}
}

// admin is a network administrator.
func (f *fx) admin() int64 {
	id := f.user("network-admin")
	f.exec(`UPDATE users SET site_admin = TRUE WHERE id = $1`, id)
	return id
}
