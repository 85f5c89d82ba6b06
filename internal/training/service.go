// Package training is facilitator and mentor training (A7): an
// organisation's modules with a short quiz, people's progress, certification
// when the required modules are passed (with a coordinator's sign-off where
// the organisation asks for it), expiry with a reminder, and a supervision
// log. Other features ask Certified before someone facilitates a group or
// takes mentees.
package training

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/markup"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Notifier gives people in-app notices.
type Notifier interface {
	Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
}

// Service is the training feature.
type Service struct {
	db      *db.DB
	audit   *audit.Log
	secrets *secret.Box
	markup  *markup.Renderer
	Notices Notifier
	now     func() time.Time
}

// NewService returns the training service.
func NewService(d *db.DB, a *audit.Log, box *secret.Box) *Service {
	return &Service{db: d, audit: a, secrets: box, markup: markup.New(), now: time.Now}
}

// WithClock returns a copy of the service with another clock (demo, tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// Question is one quiz question.
type Question struct {
	ID      int64
	Prompt  string
	Choices []string
	Correct int // index into Choices; never sent to learners' pages
}

// Module is a training module.
type Module struct {
	ID       int64
	OrgID    int64
	OrgName  string
	Title    string
	Body     string
	HTML     template.HTML
	VideoURL string
	PassMark int // percent
	Required bool
	Quiz     []Question
	Best     int  // the caller's best score, percent
	Passed   bool // the caller passed it
	Tried    bool
}

// ModuleInput is the module form. Quiz is written as blocks separated by a
// blank line: the first line is the question, each further line a choice,
// and the right choice starts with "*".
type ModuleInput struct {
	Title, Body, VideoURL, PassMark, Quiz string
	Required                              bool
}

// ParseQuiz reads the quiz text of the module form.
func ParseQuiz(text string) ([]Question, error) {
	var out []Question
	blocks := strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n\n")
	for _, b := range blocks {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		lines := strings.Split(b, "\n")
		q := Question{Prompt: strings.TrimSpace(lines[0]), Correct: -1}
		for _, l := range lines[1:] {
			l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "-"))
			if l == "" {
				continue
			}
			if c, ok := strings.CutPrefix(l, "*"); ok {
				if q.Correct >= 0 {
					return nil, valid.Field("quiz", "training.quiz.two_correct", "question", q.Prompt)
				}
				q.Correct = len(q.Choices)
				l = strings.TrimSpace(c)
			}
			q.Choices = append(q.Choices, l)
		}
		if len(q.Choices) < 2 {
			return nil, valid.Field("quiz", "training.quiz.choices", "question", q.Prompt)
		}
		if q.Correct < 0 {
			return nil, valid.Field("quiz", "training.quiz.no_correct", "question", q.Prompt)
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, valid.Field("quiz", "training.quiz.empty")
	}
	if len(out) > 30 {
		return nil, valid.Field("quiz", "training.quiz.too_many", "max", 30)
	}
	return out, nil
}

// CreateModule adds a module to an organisation the caller coordinates.
func (s *Service) CreateModule(ctx context.Context, orgID int64, in ModuleInput) (int64, error) {
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return 0, err
	}
	title, fe := valid.Name("title", in.Title, 3, 120)
	if fe != nil {
		return 0, fe
	}
	body, fe := valid.Text("body", in.Body, 10, 20000, true)
	if fe != nil {
		return 0, fe
	}
	video := strings.TrimSpace(in.VideoURL)
	if video != "" && !strings.HasPrefix(video, "https://") {
		return 0, valid.Field("video_url", "training.video_https")
	}
	mark, err := strconv.Atoi(strings.TrimSpace(in.PassMark))
	if err != nil || mark < 1 || mark > 100 {
		return 0, valid.Field("pass_mark", "form.number", "min", 1, "max", 100)
	}
	quiz, err := ParseQuiz(in.Quiz)
	if err != nil {
		return 0, err
	}
	html, err := s.markup.HTML(body)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO training_modules (org_id, title, body, body_html, video_url, pass_mark, required, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(max(position), 0) + 1 FROM training_modules WHERE org_id = $1), $8, $8) RETURNING id`,
			orgID, title, body, string(html), video, mark, in.Required, now).Scan(&id); err != nil {
			return err
		}
		for i, q := range quiz {
			if _, err := tx.Exec(ctx, `INSERT INTO training_questions (module_id, position, prompt, choices, correct) VALUES ($1, $2, $3, $4, $5)`,
				id, i, q.Prompt, strings.Join(q.Choices, "\n"), q.Correct); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "training.module.create",
			Target: fmt.Sprintf("module:%d", id), Detail: fmt.Sprintf("org:%d", orgID), IP: audit.IPFrom(ctx)})
	})
	return id, err
}

// learnerOrgs are the organisations where the caller facilitates or mentors,
// or coordinates.
func learnerOrgs(p *auth.Principal) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, g := range p.Grants {
		if (g.Role == auth.RoleFacilitator || g.Role == auth.RoleMentor || p.Can(auth.PermManageGroups, g.OrgID)) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			out = append(out, g.OrgID)
		}
	}
	return out
}

func (s *Service) canSee(p *auth.Principal, orgID int64) bool {
	if p.SiteAdmin {
		return true
	}
	for _, o := range learnerOrgs(p) {
		if o == orgID {
			return true
		}
	}
	return false
}

// Modules lists the modules of the caller's organisations with their
// progress on each.
func (s *Service) Modules(ctx context.Context) ([]Module, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	orgs := learnerOrgs(p)
	if len(orgs) == 0 {
		return nil, nil
	}
	rows, err := s.db.Query(ctx, db.IDList("orgs", orgs)+` SELECT m.id, m.org_id, o.name, m.title, m.pass_mark, m.required,
		COALESCE((SELECT max(a.score) FROM training_attempts a WHERE a.module_id = m.id AND a.user_id = $1), -1)
		FROM training_modules m JOIN organisations o ON o.id = m.org_id WHERE m.org_id IN (SELECT value FROM orgs)
		ORDER BY o.name, m.position`, p.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Module
	for rows.Next() {
		var m Module
		if err := rows.Scan(&m.ID, &m.OrgID, &m.OrgName, &m.Title, &m.PassMark, &m.Required, &m.Best); err != nil {
			return nil, err
		}
		m.Tried = m.Best >= 0
		m.Passed = m.Best >= m.PassMark
		out = append(out, m)
	}
	return out, rows.Err()
}

// Module returns one module with its quiz (without the answers' key being
// shown by the page) for someone in its organisation.
func (s *Service) Module(ctx context.Context, id int64) (Module, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Module{}, err
	}
	var m Module
	var html string
	if err := s.db.QueryRow(ctx, `SELECT m.id, m.org_id, o.name, m.title, m.body, m.body_html, m.video_url, m.pass_mark, m.required,
		COALESCE((SELECT max(a.score) FROM training_attempts a WHERE a.module_id = m.id AND a.user_id = $2), -1)
		FROM training_modules m JOIN organisations o ON o.id = m.org_id WHERE m.id = $1`, id, p.UserID).
		Scan(&m.ID, &m.OrgID, &m.OrgName, &m.Title, &m.Body, &html, &m.VideoURL, &m.PassMark, &m.Required, &m.Best); err != nil {
		return Module{}, err
	}
	if !s.canSee(p, m.OrgID) {
		return Module{}, auth.ErrForbidden
	}
	m.HTML = template.HTML(html) // rendered and sanitised by markup when saved
	m.Tried, m.Passed = m.Best >= 0, m.Best >= m.PassMark
	rows, err := s.db.Query(ctx, `SELECT id, prompt, choices, correct FROM training_questions WHERE module_id = $1 ORDER BY position`, id)
	if err != nil {
		return Module{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var q Question
		var choices string
		if err := rows.Scan(&q.ID, &q.Prompt, &choices, &q.Correct); err != nil {
			return Module{}, err
		}
		q.Choices = strings.Split(choices, "\n")
		m.Quiz = append(m.Quiz, q)
	}
	return m, rows.Err()
}

// Result is a quiz attempt's outcome.
type Result struct {
	Score     int
	Passed    bool
	Certified bool // this attempt completed the required modules
	Pending   bool // completed, waiting for a coordinator's sign-off
}

// Submit marks the caller's answers (question id → chosen index), records the
// attempt, and certifies them when every required module of the
// organisation is passed.
func (s *Service) Submit(ctx context.Context, moduleID int64, answers map[int64]int) (Result, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Result{}, err
	}
	m, err := s.Module(ctx, moduleID)
	if err != nil {
		return Result{}, err
	}
	right := 0
	for _, q := range m.Quiz {
		a, ok := answers[q.ID]
		if !ok || a < 0 || a >= len(q.Choices) {
			return Result{}, valid.Field("q"+strconv.FormatInt(q.ID, 10), "training.answer_all")
		}
		if a == q.Correct {
			right++
		}
	}
	r := Result{Score: right * 100 / len(m.Quiz)}
	r.Passed = r.Score >= m.PassMark
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO training_attempts (module_id, user_id, score, passed, created_at) VALUES ($1, $2, $3, $4, $5)`,
			moduleID, p.UserID, r.Score, r.Passed, now); err != nil {
			return err
		}
		if !r.Passed {
			return nil
		}
		r.Certified, r.Pending, err = s.certify(ctx, tx, p.UserID, m.OrgID, now)
		return err
	})
	return r, err
}

// certify grants a certification when every required module is passed and
// the person has no current or pending one.
func (s *Service) certify(ctx context.Context, tx db.Querier, userID, orgID int64, now time.Time) (bool, bool, error) {
	var missing int
	// After a lapse, passing any required module again renews (a refresher).
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM training_modules m WHERE m.org_id = $1 AND m.required = TRUE
		AND NOT EXISTS (SELECT 1 FROM training_attempts a WHERE a.module_id = m.id AND a.user_id = $2 AND a.passed = TRUE)`,
		orgID, userID).Scan(&missing); err != nil {
		return false, false, err
	}
	if missing > 0 {
		return false, false, nil
	}
	var open int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM certifications WHERE user_id = $1 AND org_id = $2
		AND (status = 'pending' OR (status = 'current' AND expires_at > $3))`, userID, orgID, now).Scan(&open); err != nil {
		return false, false, err
	}
	if open > 0 {
		return false, false, nil
	}
	var signoff bool
	var days int
	if err := tx.QueryRow(ctx, `SELECT cert_signoff, cert_days FROM organisations WHERE id = $1`, orgID).Scan(&signoff, &days); err != nil {
		return false, false, err
	}
	if signoff {
		_, err := tx.Exec(ctx, `INSERT INTO certifications (user_id, org_id, status, created_at) VALUES ($1, $2, 'pending', $3)`, userID, orgID, now)
		return false, true, err
	}
	_, err := tx.Exec(ctx, `INSERT INTO certifications (user_id, org_id, status, granted_at, expires_at, created_at) VALUES ($1, $2, 'current', $3, $4, $3)`,
		userID, orgID, now, now.AddDate(0, 0, days))
	return true, false, err
}

// SignOff grants a pending certification, for a coordinator of its
// organisation.
func (s *Service) SignOff(ctx context.Context, certID int64) error {
	var orgID int64
	var status string
	if err := s.db.QueryRow(ctx, `SELECT org_id, status FROM certifications WHERE id = $1`, certID).Scan(&orgID, &status); err != nil {
		return err
	}
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return err
	}
	if status != "pending" {
		return valid.Field("cert", "training.not_pending")
	}
	var days int
	if err := s.db.QueryRow(ctx, `SELECT cert_days FROM organisations WHERE id = $1`, orgID).Scan(&days); err != nil {
		return err
	}
	now := s.now().UTC()
	_, err = s.db.Exec(ctx, `UPDATE certifications SET status = 'current', granted_at = $1, expires_at = $2, signed_off_by = $3 WHERE id = $4`,
		now, now.AddDate(0, 0, days), p.UserID, certID)
	return err
}

// Certified reports whether a person holds a current certification in an
// organisation. An organisation without required modules asks for none.
// It reveals no more than the groups pages show, so any caller may ask.
func (s *Service) Certified(ctx context.Context, userID, orgID int64) (bool, *time.Time, error) {
	var required int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM training_modules WHERE org_id = $1 AND required = TRUE`, orgID).Scan(&required); err != nil {
		return false, nil, err
	}
	var until time.Time
	err := s.db.QueryRow(ctx, `SELECT expires_at FROM certifications WHERE user_id = $1 AND org_id = $2 AND status = 'current' AND expires_at > $3
		ORDER BY expires_at DESC LIMIT 1`, userID, orgID, s.now().UTC()).Scan(&until)
	if errors.Is(err, db.ErrNotFound) {
		return required == 0, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	return true, &until, nil
}

// Person is one facilitator or mentor in the coordinator's overview.
type Person struct {
	UserID   int64
	Username string
	Roles    string
	State    string // "certified", "expiring", "pending", "expired", "in_training", "not_started"
	Until    *time.Time
	Passed   int
	Required int
	CertID   int64
}

// ExpiringWithin is when a certification counts as expiring.
const ExpiringWithin = 30 * 24 * time.Hour

// Overview lists an organisation's facilitators and mentors with their
// training state, for its coordinators.
func (s *Service) Overview(ctx context.Context, orgID int64) ([]Person, error) {
	if _, err := auth.Require(ctx, auth.PermManageGroups, orgID); err != nil {
		return nil, err
	}
	var required int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM training_modules WHERE org_id = $1 AND required = TRUE`, orgID).Scan(&required); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT u.id, u.username, string_agg_roles FROM (
		SELECT g.user_id, min(g.role) || CASE WHEN count(*) > 1 THEN ' +' ELSE '' END AS string_agg_roles
		FROM role_grants g WHERE g.org_id = $1 AND g.role IN ('facilitator', 'mentor') GROUP BY g.user_id) r
		JOIN users u ON u.id = r.user_id WHERE u.disabled = FALSE ORDER BY u.username`, orgID)
	if err != nil {
		return nil, err
	}
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.UserID, &p.Username, &p.Roles); err != nil {
			rows.Close()
			return nil, err
		}
		p.Required = required
		out = append(out, p)
	}
	rows.Close()
	now := s.now().UTC()
	for i := range out {
		p := &out[i]
		if err := s.db.QueryRow(ctx, `SELECT count(DISTINCT a.module_id) FROM training_attempts a JOIN training_modules m ON m.id = a.module_id
			WHERE a.user_id = $1 AND m.org_id = $2 AND m.required = TRUE AND a.passed = TRUE`, p.UserID, orgID).Scan(&p.Passed); err != nil {
			return nil, err
		}
		var status string
		var expires *time.Time
		err := s.db.QueryRow(ctx, `SELECT id, status, expires_at FROM certifications WHERE user_id = $1 AND org_id = $2 ORDER BY id DESC LIMIT 1`,
			p.UserID, orgID).Scan(&p.CertID, &status, &expires)
		switch {
		case errors.Is(err, db.ErrNotFound):
			p.State = "not_started"
			if p.Passed > 0 {
				p.State = "in_training"
			}
		case err != nil:
			return nil, err
		case status == "pending":
			p.State = "pending"
		case expires != nil && !expires.After(now):
			p.State, p.Until = "expired", expires
		case expires != nil && expires.Sub(now) < ExpiringWithin:
			p.State, p.Until = "expiring", expires
		default:
			p.State, p.Until = "certified", expires
		}
	}
	return out, nil
}

// JobRemind is the daily reminder of certifications about to lapse.
const JobRemind = "training.remind"

// Remind tells each person whose certification lapses within ExpiringWithin,
// once, with an in-app notice (the JobRemind handler).
func (s *Service) Remind(ctx context.Context, _ []byte) error {
	if s.Notices == nil {
		return nil
	}
	now := s.now().UTC()
	rows, err := s.db.Query(ctx, `SELECT c.id, c.user_id, o.name, c.expires_at FROM certifications c JOIN organisations o ON o.id = c.org_id
		WHERE c.status = 'current' AND c.reminded_at IS NULL AND c.expires_at > $1 AND c.expires_at <= $2`, now, now.Add(ExpiringWithin))
	if err != nil {
		return err
	}
	type due struct {
		id, user int64
		org      string
		until    time.Time
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.user, &d.org, &d.until); err != nil {
			rows.Close()
			return err
		}
		list = append(list, d)
	}
	rows.Close()
	for _, d := range list {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			if err := s.Notices.Notify(ctx, tx, []int64{d.user}, "certification_expiring",
				map[string]string{"group": d.org, "when": d.until.Format(time.RFC3339)}, "/training"); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE certifications SET reminded_at = $1 WHERE id = $2`, now, d.id)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Supervision is one supervision session in the log.
type Supervision struct {
	Person     string
	Supervisor string
	HeldOn     time.Time
	Notes      string
}

// LogSupervision records a supervision session with a facilitator or mentor
// of the organisation; the notes are sealed.
func (s *Service) LogSupervision(ctx context.Context, orgID int64, username, heldOn, notes string) error {
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return err
	}
	var personID int64
	if err := s.db.QueryRow(ctx, `SELECT u.id FROM users u JOIN role_grants g ON g.user_id = u.id WHERE u.username = $1 AND g.org_id = $2
		AND g.role IN ('facilitator', 'mentor') LIMIT 1`, strings.ToLower(strings.TrimSpace(username)), orgID).Scan(&personID); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return valid.Field("person", "training.not_a_helper")
		}
		return err
	}
	day, err := time.Parse("2006-01-02", strings.TrimSpace(heldOn))
	if err != nil || day.After(s.now()) {
		return valid.Field("held_on", "training.bad_day")
	}
	text, fe := valid.Text("notes", notes, 0, 4000, true)
	if fe != nil {
		return fe
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO supervision_log (org_id, supervisor_id, person_id, held_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			orgID, p.UserID, personID, day.UTC(), s.now().UTC()).Scan(&id); err != nil {
			return err
		}
		if text == "" {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE supervision_log SET notes_sealed = $1 WHERE id = $2`, s.secrets.Seal(text, "supervision:"+strconv.FormatInt(id, 10)), id)
		return err
	})
}

// Supervisions lists an organisation's supervision log for its coordinators;
// the read is audited.
func (s *Service) Supervisions(ctx context.Context, orgID int64) ([]Supervision, error) {
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT l.id, COALESCE(u.username, ''), COALESCE(v.username, ''), l.held_on, l.notes_sealed FROM supervision_log l
		LEFT JOIN users u ON u.id = l.person_id LEFT JOIN users v ON v.id = l.supervisor_id WHERE l.org_id = $1 ORDER BY l.held_on DESC, l.id DESC LIMIT 100`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Supervision
	for rows.Next() {
		var sv Supervision
		var id int64
		var sealed string
		if err := rows.Scan(&id, &sv.Person, &sv.Supervisor, &sv.HeldOn, &sealed); err != nil {
			return nil, err
		}
		if sealed != "" {
			if sv.Notes, err = s.secrets.Open(sealed, "supervision:"+strconv.FormatInt(id, 10)); err != nil {
				return nil, err
			}
		}
		out = append(out, sv)
	}
	if len(out) > 0 {
		if err := s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "training.supervision.read",
			Target: fmt.Sprintf("org:%d", orgID), IP: audit.IPFrom(ctx)}); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// Cert is one of the caller's certifications.
type Cert struct {
	OrgName string
	Status  string
	Until   *time.Time
	Expired bool
}

// MyCertifications lists the caller's certifications, newest first.
func (s *Service) MyCertifications(ctx context.Context) ([]Cert, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT o.name, c.status, c.expires_at FROM certifications c JOIN organisations o ON o.id = c.org_id
		WHERE c.user_id = $1 ORDER BY c.id DESC`, p.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Cert
	now := s.now()
	for rows.Next() {
		var c Cert
		if err := rows.Scan(&c.OrgName, &c.Status, &c.Until); err != nil {
			return nil, err
		}
		c.Expired = c.Until != nil && !c.Until.After(now)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CoordinatedOrgs lists the organisations whose training the caller
// coordinates.
func (s *Service) CoordinatedOrgs(ctx context.Context) ([][2]string, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, id := range p.OrgsWith(auth.PermManageGroups) {
		var name string
		if err := s.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, id).Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, [2]string{strconv.FormatInt(id, 10), name})
	}
	return out, nil
}

// Settings are an organisation's certification rules.
type Settings struct {
	SignOff bool // a coordinator signs off each certification
	Days    int  // how long a certification lasts
}

// OrgSettings returns an organisation's certification rules.
func (s *Service) OrgSettings(ctx context.Context, orgID int64) (Settings, error) {
	if _, err := auth.Require(ctx, auth.PermManageGroups, orgID); err != nil {
		return Settings{}, err
	}
	var st Settings
	err := s.db.QueryRow(ctx, `SELECT cert_signoff, cert_days FROM organisations WHERE id = $1`, orgID).Scan(&st.SignOff, &st.Days)
	return st, err
}

// SetOrgSettings changes them; certifications already granted keep their dates.
func (s *Service) SetOrgSettings(ctx context.Context, orgID int64, signOff bool, days string) error {
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(days))
	if err != nil || n < 30 || n > 1825 {
		return valid.Field("days", "form.number", "min", 30, "max", 1825)
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE organisations SET cert_signoff = $1, cert_days = $2 WHERE id = $3`, signOff, n, orgID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "training.settings",
			Target: fmt.Sprintf("org:%d", orgID), Detail: fmt.Sprintf("signoff:%v days:%d", signOff, n), IP: audit.IPFrom(ctx)})
	})
}
