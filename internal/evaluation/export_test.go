package evaluation

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/measure"
)

// exportFixture: seven people answer the PHQ-9 at baseline (1 February) and
// follow-up (1 May, 89 days later); person 1 also the GAD-7. Six agree to
// research use; five share an age band, region and gender, the sixth is the
// only one of theirs. Person 1 also wrote free text in a custom survey.
type exportFixture struct {
	f      *fx
	org    int64
	coord  int64
	people []int64
}

const secretText = "rahasia pribadi sekali"

func newExportFixture(t *testing.T) *exportFixture {
	f := newFx(t)
	ef := &exportFixture{f: f, org: f.org("a")}
	ef.coord = f.user("coord")
	f.grant(ef.coord, ef.org, auth.RoleCoordinator)
	g := f.group(ef.org, "Ruang", "depression")
	for i := 0; i < 7; i++ {
		p := f.user("person" + string(rune('1'+i)))
		ef.people = append(ef.people, p)
		f.member(g, p, "member", day(2026, 1, 10))
		b := f.response(p, ef.org, g, "phq9", "baseline", float64(10+i), 0, day(2026, 2, 1))
		post := float64(5 + i)
		if i == 1 {
			post = 27 // person 2's alone, to see them leave
		}
		f.response(p, ef.org, g, "phq9", "followup", post, b, day(2026, 5, 1))
		if i < 6 {
			f.consent(p)
		}
		switch {
		case i < 5:
			f.profile(p, 1990, "perempuan", "DKI Jakarta")
		case i == 5:
			f.profile(p, 1950, "laki-laki", "Papua")
		}
	}
	f.response(ef.people[0], ef.org, g, "gad7", "adhoc", 12, 0, day(2026, 3, 1))
	survey := f.id(`INSERT INTO outcome_surveys (org_id, title, created_at, updated_at) VALUES ($1, 'Masukan', $2, $2)`, ef.org, f.now)
	r := f.id(`INSERT INTO outcome_responses (user_id, org_id, group_id, survey_id, timepoint, language, answers_sealed, completed_at)
		VALUES ($1, $2, $3, $4, 'feedback', 'id', '', $5)`, ef.people[0], ef.org, g, survey, day(2026, 3, 2))
	sealed, err := measure.SealAnswers(f.box, r, measure.Answers{Survey: []measure.SurveyAnswer{{Question: 1, Text: secretText}}})
	if err != nil {
		t.Fatal(err)
	}
	f.exec(`UPDATE outcome_responses SET answers_sealed = $1 WHERE id = $2`, sealed, r)
	return ef
}

func (ef *exportFixture) export(t *testing.T, format string) ([]byte, ExportStats) {
	t.Helper()
	var buf bytes.Buffer
	fl := period()
	fl.OrgID = ef.org
	st, err := ef.f.s.Export(ef.f.as(ef.coord), fl, format, &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), st
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// noIdentity fails when an export holds an account name, an e-mail address
// or the custom survey's free text.
func noIdentity(t *testing.T, f *fx, out []byte) {
	t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT username, email FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, email string
		if err := rows.Scan(&name, &email); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte(name)) || bytes.Contains(out, []byte(email)) {
			t.Errorf("the export names %s", name)
		}
	}
	if bytes.Contains(out, []byte(secretText)) || bytes.Contains(out, []byte("@")) {
		t.Error("the export holds free text or an address")
	}
}

var pseudonymRE = regexp.MustCompile(`^p[0-9a-f]{16}$`)

func TestExportLongCSV(t *testing.T) {
	ef := newExportFixture(t)
	out, st := ef.export(t, FormatLong)
	noIdentity(t, ef.f, out)
	rows := readCSV(t, out)
	want := "pseudonym,instrument,item,value,total,band,timepoint,days_since_baseline,group_topic,age_band,region,gender"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header %q", got)
	}
	// People 1-5 (6 stands out alone, 7 did not agree): person 1 has 9 + 9
	// PHQ-9 answers and 7 GAD-7 answers, the others 18.
	if st.People != 5 || st.Suppressed != 1 || st.NotConsented != 1 || st.Rows != 25+4*18 || len(rows)-1 != st.Rows {
		t.Fatalf("stats %+v, %d rows", st, len(rows)-1)
	}
	per := map[string]int{}
	for _, r := range rows[1:] {
		if !pseudonymRE.MatchString(r[0]) {
			t.Fatalf("pseudonym %q", r[0])
		}
		per[r[0]]++
		if r[9] != "35-44" || r[10] != "DKI Jakarta" || r[11] != "perempuan" || r[8] != "depression" {
			t.Fatalf("row %v", r)
		}
		switch r[6] {
		case "baseline":
			if r[7] != "0" {
				t.Fatalf("baseline row %v", r)
			}
		case "followup":
			if r[7] != "89" {
				t.Fatalf("follow-up row %v", r)
			}
		case "adhoc":
			if r[1] != "gad7" || r[7] != "" || r[4] != "12" {
				t.Fatalf("GAD-7 row %v", r)
			}
		}
	}
	if len(per) != 5 {
		t.Errorf("%d pseudonyms, want 5", len(per))
	}
	// A second export names the same people differently.
	again, _ := ef.export(t, FormatLong)
	for p := range per {
		if bytes.Contains(again, []byte(p)) {
			t.Errorf("pseudonym %s appears in two exports", p)
		}
	}
	var n int
	if err := ef.f.d.QueryRow(ef.f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'evaluation.export' AND detail LIKE 'format:csv rows:97 %'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("audit entries %d %v", n, err)
	}
}

// TestExportAfterWithdrawal: person 2 withdraws; the next export leaves them
// out, and the four left of their combination are generalised together with
// person 6 until all five share one.
func TestExportAfterWithdrawal(t *testing.T) {
	ef := newExportFixture(t)
	ef.f.withdraw(ef.people[1])
	out, st := ef.export(t, FormatLong)
	if st.People != 5 || st.NotConsented != 2 || st.Suppressed != 0 {
		t.Fatalf("stats %+v", st)
	}
	for _, r := range readCSV(t, out)[1:] {
		if r[4] == "27" {
			t.Fatalf("person 2 is still exported: %v", r)
		}
		if r[9] != "*" || r[10] != "*" || r[11] != "*" {
			t.Fatalf("not generalised: %v", r)
		}
	}
}

func TestExportWide(t *testing.T) {
	ef := newExportFixture(t)
	out, st := ef.export(t, FormatWide)
	noIdentity(t, ef.f, out)
	rows := readCSV(t, out)
	head := strings.Join(rows[0], ",")
	if !strings.HasPrefix(head, "pseudonym,instrument,total,band,timepoint,days_since_baseline,group_topic,age_band,region,gender,phq9_1,") ||
		!strings.HasSuffix(head, ",phq9_10,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7") {
		t.Fatalf("header %q", head)
	}
	if st.Rows != 11 || len(rows) != 12 {
		t.Fatalf("stats %+v, %d lines", st, len(rows))
	}
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			t.Fatalf("row width %d", len(r))
		}
		if r[1] == "phq9" && (r[10] == "" || r[18] == "" || r[19] != "" || r[20] != "") {
			t.Fatalf("PHQ-9 row %v", r)
		}
	}
}

// TestExportFHIR validates every resource of the Bundle against the FHIR R4
// JSON schema subset.
func TestExportFHIR(t *testing.T) {
	ef := newExportFixture(t)
	out, st := ef.export(t, FormatFHIR)
	noIdentity(t, ef.f, out)
	var bundle struct {
		ResourceType, Type string
		Entry              []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		}
	}
	if err := json.Unmarshal(out, &bundle); err != nil {
		t.Fatal(err)
	}
	if bundle.ResourceType != "Bundle" || bundle.Type != "collection" || len(bundle.Entry) != 2+11 || st.Rows != 11 {
		t.Fatalf("bundle %s/%s with %d entries, stats %+v", bundle.ResourceType, bundle.Type, len(bundle.Entry), st)
	}
	schemas := fhirSchemas(t)
	kinds := map[string]int{}
	for _, e := range bundle.Entry {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(e.Resource))
		if err != nil {
			t.Fatal(err)
		}
		kind, _ := v.(map[string]any)["resourceType"].(string)
		kinds[kind]++
		s := schemas[kind]
		if s == nil {
			t.Fatalf("resource %s", kind)
		}
		if err := s.Validate(v); err != nil {
			t.Fatalf("%s %s: %v", kind, e.FullURL, err)
		}
		if !strings.HasPrefix(e.FullURL, "https://rangkul.invalid/fhir/") {
			t.Errorf("fullUrl %s", e.FullURL)
		}
	}
	if kinds["Questionnaire"] != 2 || kinds["QuestionnaireResponse"] != 11 {
		t.Errorf("kinds %v", kinds)
	}
	if !bytes.Contains(out, []byte(`"authored":"2026-05-01T00:00:00Z"`)) {
		t.Error("authored is not generalised to the month")
	}
}

func fhirSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	file, err := os.Open("../outcomes/testdata/fhir-r4-questionnaire-subset.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	doc, err := jsonschema.UnmarshalJSON(file)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const loc = "https://rangkul.example/schema/fhir.schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"Questionnaire", "QuestionnaireResponse"} {
		if out[name], err = c.Compile(loc + "#/definitions/" + name); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestExportRunFromTheWeb: an export started from the dashboard runs in the
// background; only its owner sees its progress and file.
func TestExportRunFromTheWeb(t *testing.T) {
	ef := newExportFixture(t)
	f := ef.f
	fl := period()
	fl.OrgID = ef.org
	id, err := f.s.StartExport(f.as(ef.coord), fl, FormatLong)
	if err != nil {
		t.Fatal(err)
	}
	other := f.user("other-coord")
	f.grant(other, ef.org, auth.RoleCoordinator)
	if _, err := f.s.ExportRun(f.as(other), id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("someone else's run: %v", err)
	}
	var run RunView
	for {
		if run, err = f.s.ExportRun(f.as(ef.coord), id); err != nil {
			t.Fatal(err)
		}
		if run.Finished || run.Failed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if run.Failed || run.Stats.Rows != 97 || run.Percent() != 100 {
		t.Fatalf("run %+v", run)
	}
	file, name, _, err := f.s.ExportFile(f.as(ef.coord), id)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(file); err != nil {
		t.Fatal(err)
	}
	if name != "rangkul-responses.csv" || len(readCSV(t, buf.Bytes())) != 98 {
		t.Errorf("file %s, %d bytes", name, buf.Len())
	}
	if _, _, _, err := f.s.ExportFile(f.as(other), id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("someone else's file: %v", err)
	}
	if _, err := f.s.StartExport(f.as(ef.coord), fl, "xml"); err == nil {
		t.Error("an unknown format was accepted")
	}
}
