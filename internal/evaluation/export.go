package evaluation

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/privacy"
)

// A research export holds validated instruments' responses of people who
// agreed to research use, under a pseudonym made for that export alone (an
// HMAC of the account id with a random key that is never stored), with no
// account name, e-mail, free text or date: time is days since the person's
// baseline. Age band, region and gender are generalised with
// outcomes.Generalise so that every combination covers at least MinCell
// people; the rows of people who cannot be covered are left out.

// LongHeader is the header of the tidy CSV, one row per item answer.
var LongHeader = []string{"pseudonym", "instrument", "item", "value", "total", "band", "timepoint", "days_since_baseline",
	"group_topic", "age_band", "region", "gender"}

// wideFront are the wide CSV's columns before the item columns.
var wideFront = []string{"pseudonym", "instrument", "total", "band", "timepoint", "days_since_baseline", "group_topic",
	"age_band", "region", "gender"}

// ExportStats describe one export, for the audit log and the page.
type ExportStats struct {
	People       int // people in the export
	Responses    int
	Rows         int // data rows (CSV) or QuestionnaireResponse resources (FHIR)
	NotConsented int // people in scope who have not agreed to research use
	Suppressed   int // agreeing people left out because their combination could not cover MinCell people
	Invalid      int // responses whose answers do not score to their stored total (FHIR refuses them)
}

// Export writes the research export of f's scope in format to w, for the
// caller (the command line acts as auth.System). progress, if not nil, is
// told how many responses of the total have been read.
func (s *Service) Export(ctx context.Context, f Filter, format string, w io.Writer, progress func(done, total int)) (ExportStats, error) {
	p, sc, err := s.exportScope(ctx, f)
	if err != nil {
		return ExportStats{}, err
	}
	return s.export(ctx, p, sc, f, format, w, progress)
}

// exportScope: exports are for an organisation's coordinators and
// administrators, analysts and network administrators, never for a
// facilitator's own groups alone (which hold too few people).
func (s *Service) exportScope(ctx context.Context, f Filter) (*auth.Principal, Scope, error) {
	a, err := s.viewer(ctx)
	if err != nil {
		return nil, Scope{}, err
	}
	if !a.network && len(a.orgs) == 0 {
		return nil, Scope{}, auth.ErrForbidden
	}
	sc, err := s.resolve(ctx, a, f)
	if err != nil {
		return nil, sc, err
	}
	if sc.Level == LevelMine || sc.Level == LevelGroup && !a.hasOrg(sc.OrgIDs[0]) {
		return nil, sc, auth.ErrForbidden
	}
	sc.Exempt = false
	return a.p, sc, nil
}

// person is one exported person.
type person struct {
	pseudonym string
	quasi     outcomes.Quasi
}

// population finds the people in scope with instrument responses in the
// period, keeps those agreeing to research use, and generalises their
// quasi-identifiers, dropping whom generalisation cannot cover.
func (s *Service) population(ctx context.Context, sc Scope, f Filter, key []byte) (map[int64]person, ExportStats, error) {
	var st ExportStats
	q := sc.sql(f.From.UTC(), f.To.UTC())
	rows, err := s.db.Query(ctx, q.with()+`SELECT DISTINCT r.user_id FROM outcome_responses r
		WHERE `+q.Responses+` AND r.instrument <> '' AND r.completed_at >= $1 AND r.completed_at < $2 ORDER BY r.user_id`, q.Args...)
	if err != nil {
		return nil, st, fmt.Errorf("evaluation: export population: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, st, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, st, err
	}
	year := f.To.Add(-time.Second).Year()
	var agreed []int64
	var quasi []outcomes.Quasi
	const batch = 500
	for i := 0; i < len(ids); i += batch {
		part := ids[i:min(i+batch, len(ids))]
		ok, err := privacy.Consenting(ctx, s.db, privacy.PurposeResearch, part)
		if err != nil {
			return nil, st, err
		}
		var yes []int64
		for _, id := range part {
			if ok[id] {
				yes = append(yes, id)
			} else {
				st.NotConsented++
			}
		}
		profiles, err := s.profiles(ctx, yes, year)
		if err != nil {
			return nil, st, err
		}
		for _, id := range yes {
			agreed = append(agreed, id)
			quasi = append(quasi, profiles[id])
		}
	}
	general, keep := outcomes.Generalise(quasi, MinCell)
	out := make(map[int64]person, len(agreed))
	for i, id := range agreed {
		if !keep[i] {
			st.Suppressed++
			continue
		}
		out[id] = person{pseudonym: pseudonym(key, id), quasi: general[i]}
	}
	st.People = len(out)
	return out, st, nil
}

// profiles reads the optional research facts of ids; someone who gave none
// has empty quasi-identifiers (generalisation treats them as unknown).
func (s *Service) profiles(ctx context.Context, ids []int64, year int) (map[int64]outcomes.Quasi, error) {
	out := map[int64]outcomes.Quasi{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, db.IDList("wanted", ids)+`SELECT user_id, birth_year, gender, region FROM outcome_profiles
		WHERE user_id IN (SELECT value FROM wanted)`)
	if err != nil {
		return nil, fmt.Errorf("evaluation: export profiles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var born sql.NullInt64
		var gender, region string
		if err := rows.Scan(&id, &born, &gender, &region); err != nil {
			return nil, err
		}
		q := outcomes.Quasi{Gender: gender, Region: region}
		if born.Valid {
			q.AgeBand = outcomes.AgeBand(int(born.Int64), year)
		}
		out[id] = q
	}
	return out, rows.Err()
}

// pseudonym is the export's name for a person: stable within one export,
// unlinkable across exports without the key, which is never stored.
func pseudonym(key []byte, userID int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(userID, 10)))
	return "p" + hex.EncodeToString(m.Sum(nil)[:8])
}

// responseID is the export's id for a response, made like a pseudonym.
func responseID(key []byte, id int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("response:" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// response is one response as an export reads it.
type response struct {
	id         int64
	userID     int64
	instrument string
	lang       string
	total      sql.NullFloat64
	band       string
	flags      string
	timepoint  string
	completed  time.Time
	baselineAt *time.Time
	topic      sql.NullString
	sealed     string
}

// daysSinceBaseline is "" for a response with no baseline, 0 for a baseline.
func (r response) daysSinceBaseline() string {
	switch {
	case r.timepoint == "baseline":
		return "0"
	case r.baselineAt != nil:
		return strconv.Itoa(int(r.completed.Sub(*r.baselineAt).Hours() / 24))
	}
	return ""
}

func (r response) totalText() string {
	if !r.total.Valid {
		return ""
	}
	return strconv.FormatFloat(r.total.Float64, 'f', -1, 64)
}

// instrumentsIn lists the instruments (and languages) answered in scope, in
// the library's order, for the wide header and the FHIR Questionnaires.
func (s *Service) instrumentsIn(ctx context.Context, sc Scope, f Filter) ([]*outcomes.Instrument, map[string][]string, error) {
	q := sc.sql(f.From.UTC(), f.To.UTC())
	rows, err := s.db.Query(ctx, q.with()+`SELECT DISTINCT r.instrument, r.language FROM outcome_responses r
		WHERE `+q.Responses+` AND r.instrument <> '' AND r.completed_at >= $1 AND r.completed_at < $2`, q.Args...)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluation: export instruments: %w", err)
	}
	defer rows.Close()
	langs := map[string][]string{}
	for rows.Next() {
		var code, lang string
		if err := rows.Scan(&code, &lang); err != nil {
			return nil, nil, err
		}
		langs[code] = append(langs[code], lang)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var ins []*outcomes.Instrument
	for _, in := range outcomes.Instruments() {
		if len(langs[in.Code]) > 0 {
			ins = append(ins, in)
		}
	}
	return ins, langs, nil
}

// export writes the file. Responses are read through one cursor in id order
// and written as they come; each one's answers are opened alone, so memory
// holds the people in scope (a pseudonym and three short strings each), not
// the responses.
func (s *Service) export(ctx context.Context, p *auth.Principal, sc Scope, f Filter, format string, w io.Writer, progress func(done, total int)) (ExportStats, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return ExportStats{}, err
	}
	people, st, err := s.population(ctx, sc, f, key)
	if err != nil {
		return st, err
	}
	ins, langs, err := s.instrumentsIn(ctx, sc, f)
	if err != nil {
		return st, err
	}
	q := sc.sql(f.From.UTC(), f.To.UTC())
	const where = ` AND r.instrument <> '' AND r.completed_at >= $1 AND r.completed_at < $2`
	var total int
	if err := s.db.QueryRow(ctx, q.with()+`SELECT count(*) FROM outcome_responses r WHERE `+q.Responses+where, q.Args...).Scan(&total); err != nil {
		return st, fmt.Errorf("evaluation: export count: %w", err)
	}
	var out sink
	buf := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case FormatLong:
		out = &longSink{w: csv.NewWriter(buf)}
	case FormatWide:
		out = newWideSink(csv.NewWriter(buf), ins)
	case FormatFHIR:
		tw := &trackWriter{w: buf}
		bw, err := outcomes.NewBundleWriter(tw, s.fhirBase())
		if err != nil {
			return st, err
		}
		out = &fhirSink{b: bw, key: key, w: tw}
	default:
		return st, fmt.Errorf("evaluation: unknown export format %q", format)
	}
	if err := out.begin(ins, langs); err != nil {
		return st, err
	}
	rows, err := s.db.Query(ctx, q.with()+`SELECT r.id, r.user_id, r.instrument, r.language, r.total, r.band, r.flags, r.timepoint,
		r.completed_at, b.completed_at, g.topic, r.answers_sealed
		FROM outcome_responses r
		LEFT JOIN outcome_responses b ON b.id = r.baseline_id
		LEFT JOIN support_groups g ON g.id = r.group_id
		WHERE `+q.Responses+where+` ORDER BY r.id`, q.Args...)
	if err != nil {
		return st, fmt.Errorf("evaluation: export responses: %w", err)
	}
	defer rows.Close()
	done := 0
	for rows.Next() {
		var r response
		if err := rows.Scan(&r.id, &r.userID, &r.instrument, &r.lang, &r.total, &r.band, &r.flags, &r.timepoint,
			&r.completed, &r.baselineAt, &r.topic, &r.sealed); err != nil {
			return st, err
		}
		done++
		if progress != nil && done%500 == 0 {
			progress(done, total)
		}
		who, ok := people[r.userID]
		if !ok {
			continue
		}
		in, ok := outcomes.Lookup(r.instrument)
		if !ok {
			continue
		}
		a, err := measure.OpenAnswers(s.secrets, r.id, r.sealed)
		if err != nil {
			return st, err
		}
		n, err := out.write(in, who, r, a.Items)
		if errors.Is(err, errInvalid) {
			st.Invalid++
			continue
		}
		if err != nil {
			return st, err
		}
		st.Responses++
		st.Rows += n
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	if err := out.end(); err != nil {
		return st, err
	}
	if err := buf.Flush(); err != nil {
		return st, err
	}
	if progress != nil {
		progress(total, total)
	}
	err = s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "evaluation.export",
		Target: scopeTarget(sc), IP: audit.IPFrom(ctx),
		Detail: fmt.Sprintf("format:%s rows:%d responses:%d people:%d suppressed:%d from:%s to:%s", format, st.Rows, st.Responses,
			st.People, st.Suppressed, f.From.UTC().Format("2006-01-02"), f.To.UTC().Format("2006-01-02"))})
	return st, err
}

// scopeTarget names a scope for the audit log, with ids only.
func scopeTarget(sc Scope) string {
	var parts []string
	switch {
	case len(sc.GroupIDs) > 0:
		parts = append(parts, "groups:"+joinIDs(sc.GroupIDs))
	case sc.Network:
		parts = append(parts, "network")
	default:
		parts = append(parts, "orgs:"+joinIDs(sc.OrgIDs))
	}
	if sc.Topic != "" {
		parts = append(parts, "topic:"+sc.Topic)
	}
	return strings.Join(parts, " ")
}

// sink writes one export format.
type sink interface {
	begin(ins []*outcomes.Instrument, langs map[string][]string) error
	// write writes one response and returns the rows it made.
	write(in *outcomes.Instrument, who person, r response, items []int) (int, error)
	end() error
}

type longSink struct{ w *csv.Writer }

func (l *longSink) begin([]*outcomes.Instrument, map[string][]string) error {
	return l.w.Write(LongHeader)
}

func (l *longSink) write(in *outcomes.Instrument, who person, r response, items []int) (int, error) {
	n := 0
	row := make([]string, len(LongHeader))
	for i, v := range items {
		if i >= len(in.Items) || v == outcomes.Missing {
			continue
		}
		row[0], row[1], row[2], row[3] = who.pseudonym, in.Code, in.Items[i].LinkID, strconv.Itoa(v)
		row[4], row[5], row[6], row[7] = r.totalText(), r.band, r.timepoint, r.daysSinceBaseline()
		row[8], row[9], row[10], row[11] = r.topic.String, who.quasi.AgeBand, who.quasi.Region, who.quasi.Gender
		if err := l.w.Write(row); err != nil {
			return n, err
		}
		n++
	}
	return n, l.w.Error()
}

func (l *longSink) end() error { l.w.Flush(); return l.w.Error() }

// wideSink writes one row per response with a column per item of every
// instrument in the export, named instrument_linkid (e.g. phq9_1).
type wideSink struct {
	w      *csv.Writer
	offset map[string]int // first item column of each instrument
	width  int
}

func newWideSink(w *csv.Writer, ins []*outcomes.Instrument) *wideSink {
	ws := &wideSink{w: w, offset: map[string]int{}, width: len(wideFront)}
	for _, in := range ins {
		ws.offset[in.Code] = ws.width
		ws.width += len(in.Items)
	}
	return ws
}

func (ws *wideSink) begin(ins []*outcomes.Instrument, _ map[string][]string) error {
	header := append([]string{}, wideFront...)
	for _, in := range ins {
		for _, it := range in.Items {
			header = append(header, in.Code+"_"+it.LinkID)
		}
	}
	return ws.w.Write(header)
}

func (ws *wideSink) write(in *outcomes.Instrument, who person, r response, items []int) (int, error) {
	row := make([]string, ws.width)
	copy(row, []string{who.pseudonym, in.Code, r.totalText(), r.band, r.timepoint, r.daysSinceBaseline(), r.topic.String,
		who.quasi.AgeBand, who.quasi.Region, who.quasi.Gender})
	off, ok := ws.offset[in.Code]
	if !ok {
		return 0, nil
	}
	for i, v := range items {
		if i < len(in.Items) && v != outcomes.Missing {
			row[off+i] = strconv.Itoa(v)
		}
	}
	if err := ws.w.Write(row); err != nil {
		return 0, err
	}
	return 1, ws.w.Error()
}

func (ws *wideSink) end() error { ws.w.Flush(); return ws.w.Error() }

// fhirSink writes a Bundle: the Questionnaires answered (one per instrument
// and language), then a QuestionnaireResponse per response, whose id is an
// HMAC of the response id under the export's key.
type fhirSink struct {
	b   *outcomes.BundleWriter
	key []byte
	w   *trackWriter
}

// trackWriter remembers a write error, to tell a refused response (the
// bundle goes on) from a failed write (the export stops).
type trackWriter struct {
	w   io.Writer
	err error
}

func (t *trackWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

func (fs *fhirSink) begin(ins []*outcomes.Instrument, langs map[string][]string) error {
	for _, in := range ins {
		for _, lang := range langs[in.Code] {
			if err := fs.b.Questionnaire(in, lang); err != nil {
				return err
			}
		}
	}
	return nil
}

func (fs *fhirSink) write(in *outcomes.Instrument, who person, r response, items []int) (int, error) {
	res := outcomes.Result{Band: r.band}
	if r.total.Valid {
		res.Total = r.total.Float64
	}
	if r.flags != "" {
		res.Flags = strings.Split(r.flags, ",")
	}
	// authored is generalised to the first day of the month: an exact date
	// is a quasi-identifier, and the CSV gives none either.
	err := fs.b.Response(outcomes.FHIRResponse{ID: responseID(fs.key, r.id), Pseudonym: who.pseudonym, Instrument: in.Code,
		Lang: r.lang, Authored: monthStart(r.completed.UTC()), Answers: items, Result: res})
	if err != nil {
		if fs.w.err == nil { // the bundle goes on: this response was refused
			return 0, fmt.Errorf("%w: %v", errInvalid, err)
		}
		return 0, err
	}
	return 1, nil
}

// errInvalid marks a response an export refuses and counts.
var errInvalid = errors.New("evaluation: response does not check out")

func (fs *fhirSink) end() error { return fs.b.Close() }
