package outcomes

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const testBase = "https://rangkul.example/fhir"

// fhirSchemas compiles the Questionnaire and QuestionnaireResponse
// definitions of the FHIR R4 JSON schema subset in testdata. The subset keeps
// the original definitions unchanged except ResourceList ("contained"),
// which it replaces with a permissive stub; these resources contain nothing.
func fhirSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/fhir-r4-questionnaire-subset.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
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
		s, err := c.Compile(loc + "#/definitions/" + name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = s
	}
	return out
}

func validate(t *testing.T, schemas map[string]*jsonschema.Schema, raw []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	kind, _ := v.(map[string]any)["resourceType"].(string)
	s, ok := schemas[kind]
	if !ok {
		t.Fatalf("resourceType %q", kind)
	}
	return s.Validate(v)
}

var testResponses = []FHIRResponse{
	{ID: "r1", Pseudonym: "p-7f3a", Instrument: "phq9", Lang: "id", Answers: []int{1, 2, 1, 0, 0, 1, 0, 0, 1, 1}},
	{ID: "r2", Pseudonym: "p-7f3a", Instrument: "phq9", Lang: "en", Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 0}},
	{ID: "r3", Pseudonym: "p-91bc", Instrument: "gad7", Lang: "en", Answers: []int{3, 2, 2, 2, 2, 2, 2}, Result: Result{Total: 15, Band: "severe"}},
	{ID: "r4", Pseudonym: "p-91bc", Instrument: "who5", Lang: "id", Answers: []int{3, 3, 3, 2, 2}},
	{ID: "r5", Pseudonym: "p-0d11", Instrument: "k10", Lang: "en", Answers: []int{1, 1, M, 2, 1, M, 1, 1, 1, 1}},
	{ID: "r6", Pseudonym: "p-0d11", Instrument: "ucla3", Lang: "id", Answers: []int{2, 2, 2}},
	{ID: "r7", Pseudonym: "p-0d11", Instrument: "osss3", Lang: "en", Answers: []int{4, 5, 5}},
}

// TestBundleValidates writes every instrument in both languages and a
// response to each into one bundle, checks every resource against the FHIR
// schema, and checks that the responses fit their questionnaires.
func TestBundleValidates(t *testing.T) {
	schemas := fhirSchemas(t)
	var buf bytes.Buffer
	b, err := NewBundleWriter(&buf, testBase+"/")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range Instruments() {
		for _, lang := range []string{"en", "id"} {
			if err := b.Questionnaire(in, lang); err != nil {
				t.Fatal(err)
			}
		}
	}
	authored := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("WIB", 7*3600))
	for _, r := range testResponses {
		r.Authored = authored
		if err := b.Response(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		ResourceType, Type, Timestamp string
		Entry                         []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &bundle); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if bundle.ResourceType != "Bundle" || bundle.Type != "collection" || len(bundle.Entry) != 12+len(testResponses) {
		t.Fatalf("bundle %s %s, %d entries", bundle.ResourceType, bundle.Type, len(bundle.Entry))
	}
	if _, err := time.Parse(time.RFC3339, bundle.Timestamp); err != nil {
		t.Errorf("timestamp %q", bundle.Timestamp)
	}
	type item struct {
		LinkID       string `json:"linkId"`
		Type         string
		AnswerOption []struct {
			ValueCoding struct{ System, Code, Display string }
		}
		Answer []struct {
			ValueCoding  *struct{ System, Code, Display string }
			ValueDecimal *float64
			ValueString  string
		}
	}
	type resource struct {
		ResourceType, ID, URL, Language, Questionnaire, Status, Authored string
		Subject                                                          struct {
			Identifier struct{ System, Value string }
		}
		Item []item
	}
	questionnaires := map[string]map[string]item{} // url+lang -> linkId -> item
	linkIDs := map[string][]string{}               // response id -> its items' linkIds
	seen := map[string]bool{}
	for _, e := range bundle.Entry {
		if err := validate(t, schemas, e.Resource); err != nil {
			t.Errorf("%s does not validate: %v", e.FullURL, err)
		}
		if seen[e.FullURL] {
			t.Errorf("duplicate fullUrl %s", e.FullURL)
		}
		seen[e.FullURL] = true
		var r resource
		if err := json.Unmarshal(e.Resource, &r); err != nil {
			t.Fatal(err)
		}
		if e.FullURL != testBase+"/"+r.ResourceType+"/"+r.ID {
			t.Errorf("fullUrl %s for %s/%s", e.FullURL, r.ResourceType, r.ID)
		}
		if r.ResourceType == "Questionnaire" {
			items := map[string]item{}
			for _, it := range r.Item {
				items[it.LinkID] = it
			}
			questionnaires[r.URL+"|"+r.Language] = items
			continue
		}
		// A response: completed, pseudonymous, and every answer one the
		// questionnaire offers, with the display in the response's language.
		if r.Status != "completed" || r.Subject.Identifier.Value == "" || r.Authored != "2026-03-03T22:06:07Z" {
			t.Errorf("%s: status %q subject %+v authored %q", r.ID, r.Status, r.Subject, r.Authored)
		}
		q, ok := questionnaires[r.Questionnaire+"|"+r.Language]
		if !ok {
			t.Fatalf("%s: questionnaire %s not in the bundle", r.ID, r.Questionnaire)
		}
		for _, it := range r.Item {
			linkIDs[r.ID] = append(linkIDs[r.ID], it.LinkID)
			qi, ok := q[it.LinkID]
			if !ok || len(it.Answer) != 1 {
				t.Fatalf("%s: item %s", r.ID, it.LinkID)
			}
			a := it.Answer[0]
			switch it.LinkID {
			case "total":
				if a.ValueDecimal == nil || qi.Type != "decimal" {
					t.Errorf("%s: total %+v", r.ID, a)
				}
				continue
			case "band":
				if a.ValueString == "" {
					t.Errorf("%s: no band", r.ID)
				}
				continue
			}
			found := false
			for _, o := range qi.AnswerOption {
				found = found || (a.ValueCoding != nil && o.ValueCoding == *a.ValueCoding)
			}
			if !found {
				t.Errorf("%s item %s: answer %+v is not an option", r.ID, it.LinkID, a.ValueCoding)
			}
		}
	}
	// Spot checks of content: PHQ-9 in Indonesian, the K10 skip rule.
	for _, want := range []string{
		`"url":"https://rangkul.example/fhir/Questionnaire/phq9"`,
		`{"system":"http://loinc.org","code":"44249-1"}`,
		`"display":"Lebih dari separuh waktu yang dimaksud"`,
		`"enableWhen":[{"question":"2","operator":"!=","answerCoding":{"system":"https://rangkul.example/fhir/CodeSystem/k10","code":"1"}}]`,
		`"subject":{"identifier":{"system":"https://rangkul.example/fhir/pseudonym","value":"p-7f3a"}}`,
		`{"linkId":"total","answer":[{"valueDecimal":52}]},{"linkId":"band","answer":[{"valueString":"good"}]}`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("bundle lacks %s", want)
		}
	}
	// K10: the skipped items 3 and 6 are left out of the response.
	if got := strings.Join(linkIDs["r5"], ","); got != "1,2,4,5,7,8,9,10,total,band" {
		t.Errorf("K10 response items %s", got)
	}
	// PHQ-9 with nine answers has no item 10.
	if got := strings.Join(linkIDs["r2"], ","); got != "1,2,3,4,5,6,7,8,9,total,band" {
		t.Errorf("PHQ-9 response items %s", got)
	}
}

// TestSchemaRejects: the validation can fail: a wrong status, an unknown
// property and an item type FHIR does not have are each refused, as are the
// examples from ResearchKitOnFHIR accepted (so the schema compiles as meant).
func TestSchemaRejects(t *testing.T) {
	schemas := fhirSchemas(t)
	in, _ := Lookup("gad7")
	q, err := FHIRQuestionnaire(testBase, in, "en")
	if err != nil {
		t.Fatal(err)
	}
	r, err := FHIRQuestionnaireResponse(testBase, FHIRResponse{ID: "x1", Pseudonym: "p1", Instrument: "gad7", Lang: "en",
		Authored: time.Now(), Answers: []int{0, 0, 0, 0, 0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range [][]byte{q, r} {
		if err := validate(t, schemas, ok); err != nil {
			t.Fatalf("valid resource refused: %v", err)
		}
	}
	for name, bad := range map[string][]byte{
		"status":   bytes.Replace(r, []byte(`"status":"completed"`), []byte(`"status":"done"`), 1),
		"property": bytes.Replace(r, []byte(`"status":"completed"`), []byte(`"status":"completed","account":"sari"`), 1),
		"authored": bytes.Replace(r, []byte(`"authored":"`), []byte(`"authored":"yesterday `), 1),
		"type":     bytes.Replace(q, []byte(`"type":"choice"`), []byte(`"type":"multiple-choice"`), 1),
		"id":       bytes.Replace(q, []byte(`"id":"gad7-en"`), []byte(`"id":"gad7 en"`), 1),
	} {
		if bytes.Equal(bad, q) || bytes.Equal(bad, r) {
			t.Fatalf("%s: the change did not apply", name)
		}
		if err := validate(t, schemas, bad); err == nil {
			t.Errorf("%s: invalid resource accepted", name)
		}
	}
	for _, file := range []string{"testdata/PHQ-9.json", "testdata/GAD-7.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, schemas, raw); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
}

func TestBundleRefuses(t *testing.T) {
	if _, err := NewBundleWriter(&bytes.Buffer{}, "rangkul.example/fhir"); err == nil {
		t.Error("relative base accepted")
	}
	var buf bytes.Buffer
	b, err := NewBundleWriter(&buf, testBase)
	if err != nil {
		t.Fatal(err)
	}
	header := buf.String()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	good := FHIRResponse{ID: "ok", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 1, 1}}
	for name, r := range map[string]FHIRResponse{
		"instrument": {ID: "a", Pseudonym: "p1", Instrument: "phq8", Lang: "en", Authored: at, Answers: []int{1, 1, 1}},
		"id":         {ID: "a b", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 1, 1}},
		"pseudonym":  {ID: "a", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 1, 1}},
		"time":       {ID: "a", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Answers: []int{1, 1, 1}},
		"lang":       {ID: "a", Pseudonym: "p1", Instrument: "ucla3", Lang: "fr", Authored: at, Answers: []int{1, 1, 1}},
		"answers":    {ID: "a", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 4, 1}},
		"total":      {ID: "a", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 1, 1}, Result: Result{Total: 6, Band: "lonely"}},
	} {
		if err := b.Response(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	var ae AnswerError
	if err := b.Response(FHIRResponse{ID: "a", Pseudonym: "p1", Instrument: "ucla3", Lang: "en", Authored: at, Answers: []int{1, 4, 1}}); !errors.As(err, &ae) || ae.Item != 2 {
		t.Errorf("answer error not passed on: %v", err)
	}
	if buf.String() != header || strings.Contains(header, "entry") {
		t.Fatalf("refused responses were written: %s", buf.String())
	}
	// Streaming: each resource is written when it is added.
	before := buf.Len()
	if err := b.Response(good); err != nil {
		t.Fatal(err)
	}
	if buf.Len() <= before || !strings.Contains(buf.String(), `"id":"ok"`) {
		t.Error("the response was not written at once")
	}
	if err := b.Questionnaire(&Instrument{Code: "x"}, "de"); err == nil {
		t.Error("unknown language accepted")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Response(good); err == nil {
		t.Error("response after Close accepted")
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	// An empty bundle has no "entry" (FHIR JSON has no empty arrays).
	buf.Reset()
	v = nil
	b, _ = NewBundleWriter(&buf, testBase)
	if err := b.Close(); err != nil || json.Unmarshal(buf.Bytes(), &v) != nil || v["entry"] != nil || v["type"] != "collection" {
		t.Errorf("empty bundle %s", buf.String())
	}
}

// failWriter fails after n bytes, to show that write errors are reported.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

func TestBundleWriteError(t *testing.T) {
	b, err := NewBundleWriter(&failWriter{n: 200}, testBase)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := Lookup("phq9")
	if err := b.Questionnaire(in, "en"); err == nil {
		t.Fatal("write error lost")
	}
	if err := b.Close(); err == nil {
		t.Fatal("Close after a write error succeeded")
	}
}
