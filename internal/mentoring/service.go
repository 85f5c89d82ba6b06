package mentoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Choices offered on the forms.
var (
	Languages = []string{"id", "en"}
	Genders   = []string{"perempuan", "laki-laki", "lainnya"}
	Modes     = []string{"online", "in_person"}
	Areas     = []string{"kecemasan", "depresi", "bipolar", "psikosis", "carer", "duka", "remaja", "kecanduan", "trauma", "pemulihan"}
)

// Request and pair statuses.
const (
	StatusWaiting   = "waiting"
	StatusProposed  = "proposed"
	StatusActive    = "active"
	StatusEnded     = "ended"
	StatusDeclined  = "declined"
	StatusWithdrawn = "withdrawn"
)

// EndReasons are why a pairing ends.
var EndReasons = []string{"goals_met", "time_up", "not_a_fit", "moved_on", "other"}

// Screener checks a check-in's words for crisis language (the safety
// feature provides it); flagged words tell the organisation's safety leads.
type Screener interface {
	Flag(ctx context.Context, text string) (bool, error)
}

// Notifier gives people in-app notices.
type Notifier interface {
	Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
}

// Service is the mentoring feature.
type Service struct {
	db       *db.DB
	audit    *audit.Log
	secrets  *secret.Box
	Screener Screener
	Notices  Notifier
	// Certifier says whether a mentor holds a current training certification;
	// only certified mentors take mentees. Nil asks for none.
	Certifier interface {
		Certified(ctx context.Context, userID, orgID int64) (bool, *time.Time, error)
	}
	now func() time.Time
}

// NewService returns the mentoring service.
func NewService(d *db.DB, a *audit.Log, box *secret.Box) *Service {
	return &Service{db: d, audit: a, secrets: box, now: time.Now}
}

// Profile is a mentor's profile in one organisation.
type Profile struct {
	UserID       int64
	OrgID        int64
	OrgName      string
	DisplayName  string
	Languages    []string
	Gender       string
	Online       bool
	InPerson     bool
	Region       string
	Areas        []string
	Availability string
	Capacity     int
	Active       bool
	Mentees      int // proposed or active pairs now
}

// ProfileInput is the profile form.
type ProfileInput struct {
	DisplayName, Gender, Region, Availability, Capacity string
	Languages, Areas                                    []string
	Online, InPerson, Active                            bool
}

func split(s string) []string { return strings.Fields(s) }

func oneOfEach(field string, got, allowed []string, min int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, g := range got {
		ok := false
		for _, a := range allowed {
			ok = ok || a == g
		}
		if !ok {
			return nil, valid.Field(field, "form.choose")
		}
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	if len(out) < min {
		return nil, valid.Field(field, "form.choose")
	}
	return out, nil
}

// mentorOrgs lists the organisations where the caller is a mentor.
func mentorOrgs(p *auth.Principal) []int64 {
	var out []int64
	for _, g := range p.Grants {
		if g.Role == auth.RoleMentor {
			out = append(out, g.OrgID)
		}
	}
	return out
}

func isMentor(p *auth.Principal, orgID int64) bool {
	for _, id := range mentorOrgs(p) {
		if id == orgID {
			return true
		}
	}
	return false
}

// MyProfiles returns the caller's mentor profiles, one per organisation
// where they are a mentor (empty ones for those not filled in yet).
func (s *Service) MyProfiles(ctx context.Context) ([]Profile, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	var out []Profile
	for _, org := range mentorOrgs(p) {
		pr, err := s.profile(ctx, p.UserID, org)
		if errors.Is(err, db.ErrNotFound) {
			pr = Profile{UserID: p.UserID, OrgID: org, Capacity: 2, Online: true, Active: true, Languages: []string{"id"}}
			if err := s.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, org).Scan(&pr.OrgName); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

func (s *Service) profile(ctx context.Context, userID, orgID int64) (Profile, error) {
	var pr Profile
	var langs, areas string
	err := s.db.QueryRow(ctx, `SELECT p.user_id, p.org_id, o.name, p.display_name, p.languages, p.gender, p.online, p.in_person, p.region,
		p.areas, p.availability, p.capacity, p.active,
		(SELECT count(*) FROM mentor_pairs x WHERE x.mentor_id = p.user_id AND x.org_id = p.org_id AND x.status IN ('proposed', 'active'))
		FROM mentor_profiles p JOIN organisations o ON o.id = p.org_id WHERE p.user_id = $1 AND p.org_id = $2`, userID, orgID).
		Scan(&pr.UserID, &pr.OrgID, &pr.OrgName, &pr.DisplayName, &langs, &pr.Gender, &pr.Online, &pr.InPerson, &pr.Region, &areas,
			&pr.Availability, &pr.Capacity, &pr.Active, &pr.Mentees)
	pr.Languages, pr.Areas = split(langs), split(areas)
	return pr, err
}

// SaveProfile writes the caller's mentor profile in an organisation where
// they are a mentor. Capacity cannot go below their current mentees.
func (s *Service) SaveProfile(ctx context.Context, orgID int64, in ProfileInput) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	if !isMentor(p, orgID) {
		return auth.ErrForbidden
	}
	name, fe := valid.Name("display_name", in.DisplayName, 2, 40)
	if fe != nil {
		return fe
	}
	langs, err := oneOfEach("languages", in.Languages, Languages, 1)
	if err != nil {
		return err
	}
	areas, err := oneOfEach("areas", in.Areas, Areas, 0)
	if err != nil {
		return err
	}
	if in.Gender != "" {
		if _, fe := valid.OneOf("gender", in.Gender, Genders); fe != nil {
			return fe
		}
	}
	region, fe := valid.Name("region", in.Region, 0, 80)
	if fe != nil {
		return fe
	}
	avail, fe := valid.Text("availability", in.Availability, 0, 300, false)
	if fe != nil {
		return fe
	}
	if !in.Online && !in.InPerson {
		return valid.Field("online", "mentoring.one_way_to_meet")
	}
	if in.InPerson && region == "" {
		return valid.Field("region", "mentoring.region_for_in_person")
	}
	capacity, err := strconv.Atoi(strings.TrimSpace(in.Capacity))
	if err != nil || capacity < 1 || capacity > 20 {
		return valid.Field("capacity", "form.number", "min", 1, "max", 20)
	}
	var current int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM mentor_pairs WHERE mentor_id = $1 AND org_id = $2 AND status IN ('proposed', 'active')`,
		p.UserID, orgID).Scan(&current); err != nil {
		return err
	}
	if capacity < current {
		return valid.Field("capacity", "mentoring.capacity_below_mentees", "mentees", current)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO mentor_profiles (user_id, org_id, display_name, languages, gender, online, in_person, region, areas,
		availability, capacity, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (user_id, org_id) DO UPDATE SET display_name = $3, languages = $4, gender = $5, online = $6, in_person = $7,
		region = $8, areas = $9, availability = $10, capacity = $11, active = $12, updated_at = $13`,
		p.UserID, orgID, name, strings.Join(langs, " "), in.Gender, in.Online, in.InPerson, region, strings.Join(areas, " "),
		avail, capacity, in.Active, s.now().UTC())
	return err
}

// RequestInput is a member's request for a mentor.
type RequestInput struct {
	Org                                         int64
	DisplayName, Language, Gender, Mode, Region string
	Note                                        string
	Topics                                      []string
}

// Ask records the caller's request for a mentor in an organisation that has
// mentors. A member has at most one open request per organisation.
func (s *Service) Ask(ctx context.Context, in RequestInput) (int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	var mentors int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM mentor_profiles WHERE org_id = $1 AND active = TRUE`, in.Org).Scan(&mentors); err != nil {
		return 0, err
	}
	if mentors == 0 {
		return 0, valid.Field("org", "form.choose")
	}
	name, fe := valid.Name("display_name", in.DisplayName, 2, 40)
	if fe != nil {
		return 0, fe
	}
	if strings.EqualFold(name, p.Username) {
		return 0, valid.Field("display_name", "mentoring.not_username")
	}
	if _, fe := valid.OneOf("language", in.Language, Languages); fe != nil {
		return 0, fe
	}
	if in.Gender != "" {
		if _, fe := valid.OneOf("gender", in.Gender, Genders); fe != nil {
			return 0, fe
		}
	}
	if in.Mode != "" {
		if _, fe := valid.OneOf("mode", in.Mode, Modes); fe != nil {
			return 0, fe
		}
	}
	region, fe := valid.Name("region", in.Region, 0, 80)
	if fe != nil {
		return 0, fe
	}
	if in.Mode == "in_person" && region == "" {
		return 0, valid.Field("region", "mentoring.region_for_in_person")
	}
	topics, err := oneOfEach("topics", in.Topics, Areas, 0)
	if err != nil {
		return 0, err
	}
	if len(topics) > maxTopics {
		return 0, valid.Field("topics", "mentoring.at_most_topics", "max", maxTopics)
	}
	note, fe := valid.Text("note", in.Note, 0, 1000, true)
	if fe != nil {
		return 0, fe
	}
	var open int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM mentor_requests WHERE user_id = $1 AND org_id = $2 AND status IN ('waiting', 'proposed', 'active')`,
		p.UserID, in.Org).Scan(&open); err != nil {
		return 0, err
	}
	if open > 0 {
		return 0, valid.Field("org", "mentoring.already_asked")
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO mentor_requests (user_id, org_id, display_name, language, gender, mode, region, topics, status,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'waiting', $9, $9) RETURNING id`,
			p.UserID, in.Org, name, in.Language, in.Gender, in.Mode, region, strings.Join(topics, " "), now).Scan(&id); err != nil {
			return err
		}
		if note != "" {
			_, err := tx.Exec(ctx, `UPDATE mentor_requests SET note_sealed = $1 WHERE id = $2`, s.secrets.Seal(note, "mentor_request:"+strconv.FormatInt(id, 10)), id)
			return err
		}
		return nil
	})
	return id, err
}

// WaitingRequest is a request as the coordinator sees it.
type WaitingRequest struct {
	ID          int64
	DisplayName string
	Request     Request
	Status      string
	Since       time.Time
	Why         []string // translation keys: why nobody could be proposed yet
}

// requestsOf loads an organisation's requests with the given status.
func (s *Service) requestsOf(ctx context.Context, orgID int64, status string) ([]WaitingRequest, error) {
	rows, err := s.db.Query(ctx, `SELECT id, display_name, language, gender, mode, region, topics, status, created_at FROM mentor_requests
		WHERE org_id = $1 AND status = $2 ORDER BY created_at, id`, orgID, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WaitingRequest
	for rows.Next() {
		var w WaitingRequest
		var topics string
		if err := rows.Scan(&w.ID, &w.DisplayName, &w.Request.Language, &w.Request.Gender, &w.Request.Mode, &w.Request.Region, &topics,
			&w.Status, &w.Since); err != nil {
			return nil, err
		}
		w.Request.ID, w.Request.Topics = w.ID, split(topics)
		out = append(out, w)
	}
	return out, rows.Err()
}

// mentorsOf loads an organisation's active mentors with their free places.
func (s *Service) mentorsOf(ctx context.Context, orgID int64) ([]Mentor, map[int64]string, error) {
	rows, err := s.db.Query(ctx, `SELECT p.user_id, p.display_name, p.languages, p.gender, p.online, p.in_person, p.region, p.areas,
		p.capacity - (SELECT count(*) FROM mentor_pairs x WHERE x.mentor_id = p.user_id AND x.org_id = p.org_id AND x.status IN ('proposed', 'active'))
		FROM mentor_profiles p JOIN users u ON u.id = p.user_id WHERE p.org_id = $1 AND p.active = TRUE AND u.disabled = FALSE ORDER BY p.user_id`, orgID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var all []Mentor
	names := map[int64]string{}
	for rows.Next() {
		var m Mentor
		var name, langs, areas string
		if err := rows.Scan(&m.ID, &name, &langs, &m.Gender, &m.Online, &m.InPerson, &m.Region, &areas, &m.Free); err != nil {
			return nil, nil, err
		}
		m.Languages, m.Areas = split(langs), split(areas)
		names[m.ID] = name
		all = append(all, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	if s.Certifier == nil {
		return all, names, nil
	}
	var out []Mentor
	for _, m := range all {
		ok, _, err := s.Certifier.Certified(ctx, m.ID, orgID)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			out = append(out, m)
		} else {
			names[m.ID] = "" // known, but not taking mentees until certified
		}
	}
	return out, names, nil
}

// whyWaiting explains, in translation keys, why no mentor could be proposed.
func whyWaiting(r Request, mentors []Mentor) []string {
	var lang, gender, meet, free bool
	for _, m := range mentors {
		if !contains(m.Languages, r.Language) {
			continue
		}
		lang = true
		if r.Gender != "" && !strings.EqualFold(r.Gender, m.Gender) {
			continue
		}
		gender = true
		probe := m
		probe.Free = 1
		if !Feasible(r, probe) {
			continue
		}
		meet = true
		if m.Free > 0 {
			free = true
		}
	}
	switch {
	case !lang:
		return []string{"mentoring.wait.language"}
	case !gender:
		return []string{"mentoring.wait.gender"}
	case !meet:
		return []string{"mentoring.wait.meet"}
	case !free:
		return []string{"mentoring.wait.full"}
	}
	return []string{"mentoring.wait.others"}
}

// coordinate checks that the caller coordinates mentoring in orgID.
func coordinate(ctx context.Context, orgID int64) (*auth.Principal, error) {
	return auth.Require(ctx, auth.PermManageGroups, orgID)
}

// RunMatching proposes mentors for all waiting requests of an organisation
// at once (see Match) and tells each mentor and member. It returns how many
// pairs were proposed.
func (s *Service) RunMatching(ctx context.Context, orgID int64) (int, error) {
	p, err := coordinate(ctx, orgID)
	if err != nil {
		return 0, err
	}
	waiting, err := s.requestsOf(ctx, orgID, StatusWaiting)
	if err != nil {
		return 0, err
	}
	mentors, _, err := s.mentorsOf(ctx, orgID)
	if err != nil {
		return 0, err
	}
	reqs := make([]Request, len(waiting))
	byID := map[int64]Request{}
	owners := map[int64]int64{}
	for i, w := range waiting {
		reqs[i] = w.Request
		byID[w.ID] = w.Request
	}
	mentorByID := map[int64]Mentor{}
	for _, m := range mentors {
		mentorByID[m.ID] = m
	}
	pairs := Match(reqs, mentors)
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, pr := range pairs {
			_, why := Score(byID[pr.RequestID], mentorByID[pr.MentorID])
			raw, _ := json.Marshal(why)
			var pairID, owner int64
			if err := tx.QueryRow(ctx, `INSERT INTO mentor_pairs (request_id, mentor_id, org_id, score, why, status, created_at)
				VALUES ($1, $2, $3, $4, $5, 'proposed', $6) RETURNING id`, pr.RequestID, pr.MentorID, orgID, pr.Score, string(raw), now).Scan(&pairID); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `UPDATE mentor_requests SET status = 'proposed', updated_at = $1 WHERE id = $2 RETURNING COALESCE(user_id, 0)`,
				now, pr.RequestID).Scan(&owner); err != nil {
				return err
			}
			owners[pr.RequestID] = owner
			if s.Notices != nil {
				link := "/mentoring/pairs/" + strconv.FormatInt(pairID, 10)
				if err := s.Notices.Notify(ctx, tx, []int64{pr.MentorID, owner}, "mentoring_proposed", nil, link); err != nil {
					return err
				}
			}
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "mentoring.match",
			Target: fmt.Sprintf("org:%d", orgID), Detail: fmt.Sprintf("waiting:%d proposed:%d", len(waiting), len(pairs)), IP: audit.IPFrom(ctx)})
	})
	return len(pairs), err
}

// Pair is a pairing as its mentor, member or coordinator sees it.
type PairView struct {
	ID             int64
	OrgID          int64
	Status         string
	Score          int
	Why            []Reason
	MentorName     string
	MemberName     string
	MentorAccepted bool
	MemberAccepted bool
	Started        *time.Time
	Ended          *time.Time
	EndReason      string
	CheckIns       []CheckIn
	IsMentor       bool
	IsMember       bool
	CanCoordinate  bool
	MyFeedbackDone bool
}

// CheckIn is a mentor's note after meeting their mentee.
type CheckIn struct {
	At      time.Time
	Body    string
	Flagged bool
}

func (s *Service) pairAccess(ctx context.Context, id int64) (*auth.Principal, PairView, int64, int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, PairView{}, 0, 0, err
	}
	var v PairView
	var why string
	var mentorID, memberID *int64
	var mAcc, uAcc *time.Time
	var mFb, uFb string
	err = s.db.QueryRow(ctx, `SELECT x.id, x.org_id, x.status, x.score, x.why, COALESCE(mp.display_name, ''), r.display_name, x.mentor_id, r.user_id,
		x.mentor_accepted_at, x.member_accepted_at, x.started_at, x.ended_at, x.end_reason, x.mentor_feedback_sealed, x.member_feedback_sealed
		FROM mentor_pairs x JOIN mentor_requests r ON r.id = x.request_id
		LEFT JOIN mentor_profiles mp ON mp.user_id = x.mentor_id AND mp.org_id = x.org_id WHERE x.id = $1`, id).
		Scan(&v.ID, &v.OrgID, &v.Status, &v.Score, &why, &v.MentorName, &v.MemberName, &mentorID, &memberID, &mAcc, &uAcc, &v.Started, &v.Ended,
			&v.EndReason, &mFb, &uFb)
	if err != nil {
		return nil, PairView{}, 0, 0, err
	}
	_ = json.Unmarshal([]byte(why), &v.Why)
	v.MentorAccepted, v.MemberAccepted = mAcc != nil, uAcc != nil
	v.IsMentor = mentorID != nil && *mentorID == p.UserID
	v.IsMember = memberID != nil && *memberID == p.UserID
	v.CanCoordinate = p.Can(auth.PermManageGroups, v.OrgID)
	v.MyFeedbackDone = (v.IsMentor && mFb != "") || (v.IsMember && uFb != "")
	if !v.IsMentor && !v.IsMember && !v.CanCoordinate {
		return nil, PairView{}, 0, 0, auth.ErrForbidden
	}
	var m, u int64
	if mentorID != nil {
		m = *mentorID
	}
	if memberID != nil {
		u = *memberID
	}
	return p, v, m, u, nil
}

// Pair returns a pairing, with check-ins for its mentor (and coordinator,
// audited); the member sees the pairing without the mentor's notes.
func (s *Service) Pair(ctx context.Context, id int64) (PairView, error) {
	p, v, _, _, err := s.pairAccess(ctx, id)
	if err != nil {
		return PairView{}, err
	}
	if !v.IsMentor && !v.CanCoordinate {
		return v, nil
	}
	rows, err := s.db.Query(ctx, `SELECT id, body_sealed, flagged, created_at FROM mentor_checkins WHERE pair_id = $1 ORDER BY id`, id)
	if err != nil {
		return PairView{}, err
	}
	for rows.Next() {
		var c CheckIn
		var cid int64
		var sealed string
		if err := rows.Scan(&cid, &sealed, &c.Flagged, &c.At); err != nil {
			rows.Close()
			return PairView{}, err
		}
		if c.Body, err = s.secrets.Open(sealed, "mentor_checkin:"+strconv.FormatInt(cid, 10)); err != nil {
			rows.Close()
			return PairView{}, err
		}
		v.CheckIns = append(v.CheckIns, c)
	}
	rows.Close()
	if len(v.CheckIns) > 0 && !v.IsMentor {
		return v, s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "mentoring.checkins.read",
			Target: fmt.Sprintf("pair:%d", id), IP: audit.IPFrom(ctx)})
	}
	return v, nil
}

// Accept records the caller's acceptance; when both mentor and member have
// accepted, the pairing becomes active. Decline (accept false) returns the
// request to the waiting list.
func (s *Service) Accept(ctx context.Context, id int64, accept bool) error {
	_, v, _, _, err := s.pairAccess(ctx, id)
	if err != nil {
		return err
	}
	if !v.IsMentor && !v.IsMember {
		return auth.ErrForbidden
	}
	if v.Status != StatusProposed {
		return valid.Field("accept", "mentoring.not_proposed")
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if !accept {
			if _, err := tx.Exec(ctx, `UPDATE mentor_pairs SET status = 'declined', ended_at = $1 WHERE id = $2`, now, id); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE mentor_requests SET status = 'waiting', updated_at = $1 WHERE id = (SELECT request_id FROM mentor_pairs WHERE id = $2)`, now, id)
			return err
		}
		col := "member_accepted_at"
		if v.IsMentor {
			col = "mentor_accepted_at"
		}
		if _, err := tx.Exec(ctx, `UPDATE mentor_pairs SET `+col+` = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE mentor_pairs SET status = 'active', started_at = $1
			WHERE id = $2 AND mentor_accepted_at IS NOT NULL AND member_accepted_at IS NOT NULL`, now, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE mentor_requests SET status = 'active', updated_at = $1
			WHERE id = (SELECT request_id FROM mentor_pairs WHERE id = $2 AND status = 'active')`, now, id)
		return err
	})
}

// LogCheckIn records the mentor's note after meeting; the words are sealed
// and screened, and flagged words tell the organisation's coordinators.
func (s *Service) LogCheckIn(ctx context.Context, id int64, body string) (bool, error) {
	_, v, _, _, err := s.pairAccess(ctx, id)
	if err != nil {
		return false, err
	}
	if !v.IsMentor {
		return false, auth.ErrForbidden
	}
	if v.Status != StatusActive {
		return false, valid.Field("body", "mentoring.not_active")
	}
	text, fe := valid.Text("body", body, 3, 2000, true)
	if fe != nil {
		return false, fe
	}
	flagged := false
	if s.Screener != nil {
		if flagged, err = s.Screener.Flag(ctx, text); err != nil {
			return false, err
		}
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var cid int64
		if err := tx.QueryRow(ctx, `INSERT INTO mentor_checkins (pair_id, author_id, body_sealed, flagged, created_at) VALUES ($1, $2, '', $3, $4) RETURNING id`,
			id, auth.FromContext(ctx).UserID, flagged, now).Scan(&cid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE mentor_checkins SET body_sealed = $1 WHERE id = $2`, s.secrets.Seal(text, "mentor_checkin:"+strconv.FormatInt(cid, 10)), cid); err != nil {
			return err
		}
		if !flagged || s.Notices == nil {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT DISTINCT user_id FROM role_grants WHERE org_id = $1 AND role IN ('coordinator', 'moderator')`, v.OrgID)
		if err != nil {
			return err
		}
		var to []int64
		for rows.Next() {
			var uid int64
			if err := rows.Scan(&uid); err != nil {
				rows.Close()
				return err
			}
			to = append(to, uid)
		}
		rows.Close()
		return s.Notices.Notify(ctx, tx, to, "mentoring_flagged", nil, "/mentoring/pairs/"+strconv.FormatInt(id, 10))
	})
	return flagged, err
}

// End ends an active or proposed pairing with a reason and the caller's
// feedback (sealed); the other party may add theirs afterwards.
func (s *Service) End(ctx context.Context, id int64, reason, feedback string) error {
	_, v, _, _, err := s.pairAccess(ctx, id)
	if err != nil {
		return err
	}
	if !v.IsMentor && !v.IsMember {
		return auth.ErrForbidden
	}
	fb, fe := valid.Text("feedback", feedback, 0, 2000, true)
	if fe != nil {
		return fe
	}
	col := "member_feedback_sealed"
	aad := "mentor_pair_member:"
	if v.IsMentor {
		col, aad = "mentor_feedback_sealed", "mentor_pair_mentor:"
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if v.Status == StatusActive || v.Status == StatusProposed {
			if _, fe := valid.OneOf("reason", reason, EndReasons); fe != nil {
				return fe
			}
			if _, err := tx.Exec(ctx, `UPDATE mentor_pairs SET status = 'ended', ended_at = $1, end_reason = $2 WHERE id = $3`, now, reason, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE mentor_requests SET status = 'ended', updated_at = $1 WHERE id = (SELECT request_id FROM mentor_pairs WHERE id = $2)`, now, id); err != nil {
				return err
			}
		} else if v.Status != StatusEnded || v.MyFeedbackDone {
			return valid.Field("feedback", "mentoring.already_ended")
		}
		if fb == "" {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE mentor_pairs SET `+col+` = $1 WHERE id = $2`, s.secrets.Seal(fb, aad+strconv.FormatInt(id, 10)), id)
		return err
	})
}

// Mine is what the mentoring page shows the caller.
type Mine struct {
	Profiles    []Profile
	Requests    []WaitingRequest
	Pairs       []PairSummary
	Orgs        []OrgChoice // organisations with mentors, for a new request
	Coordinates []OrgChoice
}

// PairSummary is a pairing in a list.
type PairSummary struct {
	ID         int64
	Status     string
	MentorName string
	MemberName string
	AsMentor   bool
}

// OrgChoice is an organisation to choose.
type OrgChoice struct {
	ID   int64
	Name string
}

// MyMentoring returns the caller's profiles, requests and pairings.
func (s *Service) MyMentoring(ctx context.Context) (Mine, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Mine{}, err
	}
	var m Mine
	if m.Profiles, err = s.MyProfiles(ctx); err != nil {
		return Mine{}, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, display_name, status, created_at FROM mentor_requests WHERE user_id = $1 ORDER BY id DESC`, p.UserID)
	if err != nil {
		return Mine{}, err
	}
	for rows.Next() {
		var w WaitingRequest
		if err := rows.Scan(&w.ID, &w.DisplayName, &w.Status, &w.Since); err != nil {
			rows.Close()
			return Mine{}, err
		}
		m.Requests = append(m.Requests, w)
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT x.id, x.status, COALESCE(mp.display_name, ''), r.display_name, x.mentor_id = $1
		FROM mentor_pairs x JOIN mentor_requests r ON r.id = x.request_id
		LEFT JOIN mentor_profiles mp ON mp.user_id = x.mentor_id AND mp.org_id = x.org_id
		WHERE (x.mentor_id = $1 OR r.user_id = $1) AND x.status <> 'declined' ORDER BY x.id DESC`, p.UserID)
	if err != nil {
		return Mine{}, err
	}
	for rows.Next() {
		var ps PairSummary
		if err := rows.Scan(&ps.ID, &ps.Status, &ps.MentorName, &ps.MemberName, &ps.AsMentor); err != nil {
			rows.Close()
			return Mine{}, err
		}
		m.Pairs = append(m.Pairs, ps)
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT DISTINCT o.id, o.name FROM organisations o JOIN mentor_profiles p ON p.org_id = o.id AND p.active = TRUE ORDER BY o.name`)
	if err != nil {
		return Mine{}, err
	}
	for rows.Next() {
		var o OrgChoice
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			rows.Close()
			return Mine{}, err
		}
		m.Orgs = append(m.Orgs, o)
		if p.Can(auth.PermManageGroups, o.ID) {
			m.Coordinates = append(m.Coordinates, o)
		}
	}
	rows.Close()
	return m, nil
}

// Dashboard is the coordinator's view of an organisation's mentoring.
type Dashboard struct {
	Org         OrgChoice
	Waiting     []WaitingRequest
	Proposed    int
	Active      int
	Capacity    int // free places across active mentors
	Mentors     int
	Uncertified int // mentors with a profile who are not certified yet, so take no mentees
	AvgWaitDays float64
	Endings     map[string]int
	Pairs       []PairSummary // proposed and active pairs, newest first
}

// Coordinate returns the dashboard, with why each waiting request waits.
func (s *Service) Coordinate(ctx context.Context, orgID int64) (Dashboard, error) {
	if _, err := coordinate(ctx, orgID); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Org: OrgChoice{ID: orgID}, Endings: map[string]int{}}
	if err := s.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, orgID).Scan(&d.Org.Name); err != nil {
		return Dashboard{}, err
	}
	var err error
	if d.Waiting, err = s.requestsOf(ctx, orgID, StatusWaiting); err != nil {
		return Dashboard{}, err
	}
	mentors, names, err := s.mentorsOf(ctx, orgID)
	if err != nil {
		return Dashboard{}, err
	}
	d.Mentors = len(mentors)
	d.Uncertified = len(names) - len(mentors)
	for _, m := range mentors {
		if m.Free > 0 {
			d.Capacity += m.Free
		}
	}
	now := s.now()
	var days float64
	for i := range d.Waiting {
		d.Waiting[i].Why = whyWaiting(d.Waiting[i].Request, mentors)
		days += now.Sub(d.Waiting[i].Since).Hours() / 24
	}
	if len(d.Waiting) > 0 {
		d.AvgWaitDays = days / float64(len(d.Waiting))
	}
	pairs, err := s.db.Query(ctx, `SELECT x.id, x.status, COALESCE(mp.display_name, ''), r.display_name FROM mentor_pairs x
		JOIN mentor_requests r ON r.id = x.request_id LEFT JOIN mentor_profiles mp ON mp.user_id = x.mentor_id AND mp.org_id = x.org_id
		WHERE x.org_id = $1 AND x.status IN ('proposed', 'active') ORDER BY x.id DESC LIMIT 200`, orgID)
	if err != nil {
		return Dashboard{}, err
	}
	for pairs.Next() {
		var ps PairSummary
		if err := pairs.Scan(&ps.ID, &ps.Status, &ps.MentorName, &ps.MemberName); err != nil {
			pairs.Close()
			return Dashboard{}, err
		}
		d.Pairs = append(d.Pairs, ps)
	}
	pairs.Close()
	rows, err := s.db.Query(ctx, `SELECT status, end_reason, count(*) FROM mentor_pairs WHERE org_id = $1 GROUP BY status, end_reason`, orgID)
	if err != nil {
		return Dashboard{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var st, reason string
		var n int
		if err := rows.Scan(&st, &reason, &n); err != nil {
			return Dashboard{}, err
		}
		switch st {
		case StatusProposed:
			d.Proposed += n
		case StatusActive:
			d.Active += n
		case StatusEnded:
			d.Endings[reason] += n
		}
	}
	return d, rows.Err()
}
