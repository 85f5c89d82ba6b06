package outcomes

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// FHIR R4 resources for research exports: a Questionnaire per instrument and
// language, and a QuestionnaireResponse per completed questionnaire, written
// one at a time into a Bundle of type "collection".
//
// Answers are Codings whose code is the answer code as a string (the value it
// scores), in the code system <base>/CodeSystem/<instrument>, with the
// display in the chosen language, the standard ordinalValue extension, and,
// where the fact sheet gives a LOINC answer code, that code in the extension
// <base>/StructureDefinition/loinc-answer. Questionnaires and items carry
// their LOINC codes (PHQ-9, GAD-7) in `code`. A response ends with two
// read-only items: "total" (valueDecimal) and "band" (valueString).

const (
	loincSystem  = "http://loinc.org"
	ordinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
)

// FHIRResponse is one completed questionnaire to export. Pseudonym is an
// opaque identifier of the person for this export, never an account name.
type FHIRResponse struct {
	ID, Pseudonym, Instrument, Lang string
	Authored                        time.Time
	Answers                         []int
	Result                          Result
}

type fhirCoding struct {
	Extension []fhirExtension `json:"extension,omitempty"`
	System    string          `json:"system,omitempty"`
	Code      string          `json:"code"`
	Display   string          `json:"display,omitempty"`
}

type fhirExtension struct {
	URL          string      `json:"url"`
	ValueDecimal *float64    `json:"valueDecimal,omitempty"`
	ValueCoding  *fhirCoding `json:"valueCoding,omitempty"`
}

type fhirAnswerOption struct {
	ValueCoding fhirCoding `json:"valueCoding"`
}

type fhirEnableWhen struct {
	Question     string     `json:"question"`
	Operator     string     `json:"operator"`
	AnswerCoding fhirCoding `json:"answerCoding"`
}

type fhirItem struct {
	LinkID       string             `json:"linkId"`
	Code         []fhirCoding       `json:"code,omitempty"`
	Text         string             `json:"text,omitempty"`
	Type         string             `json:"type"`
	EnableWhen   []fhirEnableWhen   `json:"enableWhen,omitempty"`
	Required     bool               `json:"required,omitempty"`
	ReadOnly     bool               `json:"readOnly,omitempty"`
	AnswerOption []fhirAnswerOption `json:"answerOption,omitempty"`
}

type fhirQuestionnaire struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id"`
	Language     string       `json:"language"`
	URL          string       `json:"url"`
	Name         string       `json:"name"`
	Title        string       `json:"title"`
	Status       string       `json:"status"`
	SubjectType  []string     `json:"subjectType"`
	Description  string       `json:"description,omitempty"`
	Copyright    string       `json:"copyright,omitempty"`
	Code         []fhirCoding `json:"code,omitempty"`
	Item         []fhirItem   `json:"item"`
}

type fhirIdentifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

type fhirReference struct {
	Identifier fhirIdentifier `json:"identifier"`
}

type fhirAnswer struct {
	ValueCoding  *fhirCoding `json:"valueCoding,omitempty"`
	ValueDecimal *float64    `json:"valueDecimal,omitempty"`
	ValueString  string      `json:"valueString,omitempty"`
}

type fhirResponseItem struct {
	LinkID string       `json:"linkId"`
	Answer []fhirAnswer `json:"answer"`
}

type fhirQuestionnaireResponse struct {
	ResourceType  string             `json:"resourceType"`
	ID            string             `json:"id"`
	Language      string             `json:"language"`
	Questionnaire string             `json:"questionnaire"`
	Status        string             `json:"status"`
	Subject       fhirReference      `json:"subject"`
	Authored      string             `json:"authored"`
	Item          []fhirResponseItem `json:"item"`
}

var fhirID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

var resultLabels = map[string][2]string{ // [total, band] by language
	"en": {"Total score", "Band"},
	"id": {"Skor total", "Kategori"},
}

// QuestionnaireURL is the canonical URL of an instrument's Questionnaire.
func QuestionnaireURL(base, code string) string {
	return strings.TrimRight(base, "/") + "/Questionnaire/" + code
}

// FHIRQuestionnaire builds the Questionnaire of an instrument in a language
// ("en" or "id"), with ids and URLs under base.
func FHIRQuestionnaire(base string, in *Instrument, lang string) (json.RawMessage, error) {
	q, err := buildQuestionnaire(strings.TrimRight(base, "/"), in, lang)
	if err != nil {
		return nil, err
	}
	return json.Marshal(q)
}

// FHIRQuestionnaireResponse builds the QuestionnaireResponse of one completed
// questionnaire, with its canonical and identifiers under base.
func FHIRQuestionnaireResponse(base string, r FHIRResponse) (json.RawMessage, error) {
	qr, err := buildResponse(strings.TrimRight(base, "/"), r)
	if err != nil {
		return nil, err
	}
	return json.Marshal(qr)
}

func checkLang(lang string) error {
	if _, ok := resultLabels[lang]; !ok {
		return fmt.Errorf("outcomes: fhir: language %q (want en or id)", lang)
	}
	return nil
}

func buildQuestionnaire(base string, in *Instrument, lang string) (*fhirQuestionnaire, error) {
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	system := base + "/CodeSystem/" + in.Code
	q := &fhirQuestionnaire{
		ResourceType: "Questionnaire",
		ID:           in.Code + "-" + lang,
		Language:     lang,
		URL:          QuestionnaireURL(base, in.Code),
		Name:         strings.ToUpper(in.Code),
		Title:        in.Name.In(lang),
		Status:       "active",
		SubjectType:  []string{"Patient"},
		Description:  in.Citation,
		Copyright:    in.Terms,
		Code:         loinc(in.LOINC),
	}
	if s := in.Stem.In(lang); s != "" {
		q.Item = append(q.Item, fhirItem{LinkID: "stem", Text: s, Type: "display"})
	}
	for i, it := range in.Items {
		fi := fhirItem{LinkID: it.LinkID, Code: loinc(it.LOINC), Text: it.Text.In(lang), Type: "choice", Required: it.Scored}
		for _, c := range in.ChoicesOf(i) {
			fi.AnswerOption = append(fi.AnswerOption, fhirAnswerOption{ValueCoding: answerCoding(base, system, c, lang)})
		}
		if s := it.Skip; s != nil {
			fi.EnableWhen = []fhirEnableWhen{{
				Question:     in.Items[s.Item-1].LinkID,
				Operator:     "!=",
				AnswerCoding: fhirCoding{System: system, Code: itoa(s.Value)},
			}}
		}
		q.Item = append(q.Item, fi)
	}
	labels := resultLabels[lang]
	q.Item = append(q.Item,
		fhirItem{LinkID: "total", Code: loinc(in.TotalLOINC), Text: labels[0], Type: "decimal", ReadOnly: true},
		fhirItem{LinkID: "band", Text: labels[1], Type: "string", ReadOnly: true})
	return q, nil
}

func loinc(code string) []fhirCoding {
	if code == "" {
		return nil
	}
	return []fhirCoding{{System: loincSystem, Code: code}}
}

func answerCoding(base, system string, c Choice, lang string) fhirCoding {
	v := float64(c.Value)
	coding := fhirCoding{
		Extension: []fhirExtension{{URL: ordinalValue, ValueDecimal: &v}},
		System:    system,
		Code:      itoa(c.Value),
		Display:   c.Label.In(lang),
	}
	if c.LOINC != "" {
		coding.Extension = append(coding.Extension, fhirExtension{
			URL:         base + "/StructureDefinition/loinc-answer",
			ValueCoding: &fhirCoding{System: loincSystem, Code: c.LOINC, Display: c.Label.In("en")},
		})
	}
	return coding
}

// buildResponse checks the answers by scoring them; a Result that is given
// (its Band set) must agree with that score, so that an export never carries
// a total its answers do not add up to.
func buildResponse(base string, r FHIRResponse) (*fhirQuestionnaireResponse, error) {
	in, ok := Lookup(r.Instrument)
	switch {
	case !ok:
		return nil, fmt.Errorf("outcomes: fhir: unknown instrument %q", r.Instrument)
	case !fhirID.MatchString(r.ID):
		return nil, fmt.Errorf("outcomes: fhir: response id %q is not a FHIR id", r.ID)
	case strings.TrimSpace(r.Pseudonym) == "":
		return nil, errors.New("outcomes: fhir: a response needs a pseudonym")
	case r.Authored.IsZero():
		return nil, errors.New("outcomes: fhir: a response needs its time")
	}
	if err := checkLang(r.Lang); err != nil {
		return nil, err
	}
	res, err := in.Score(r.Answers)
	if err != nil {
		return nil, fmt.Errorf("outcomes: fhir: response %s: %w", r.ID, err)
	}
	if r.Result.Band != "" && (r.Result.Band != res.Band || math.Abs(r.Result.Total-res.Total) > 1e-9) {
		return nil, fmt.Errorf("outcomes: fhir: response %s: stored total %v (%s) disagrees with its answers (%v, %s)",
			r.ID, r.Result.Total, r.Result.Band, res.Total, res.Band)
	}
	system := base + "/CodeSystem/" + in.Code
	qr := &fhirQuestionnaireResponse{
		ResourceType:  "QuestionnaireResponse",
		ID:            r.ID,
		Language:      r.Lang,
		Questionnaire: QuestionnaireURL(base, in.Code),
		Status:        "completed",
		Subject:       fhirReference{Identifier: fhirIdentifier{System: base + "/pseudonym", Value: r.Pseudonym}},
		Authored:      r.Authored.UTC().Format(time.RFC3339),
	}
	for i, v := range r.Answers {
		if v == Missing {
			continue
		}
		for _, c := range in.ChoicesOf(i) {
			if c.Value == v {
				coding := fhirCoding{System: system, Code: itoa(v), Display: c.Label.In(r.Lang)}
				qr.Item = append(qr.Item, fhirResponseItem{LinkID: in.Items[i].LinkID, Answer: []fhirAnswer{{ValueCoding: &coding}}})
			}
		}
	}
	total := res.Total
	qr.Item = append(qr.Item,
		fhirResponseItem{LinkID: "total", Answer: []fhirAnswer{{ValueDecimal: &total}}},
		fhirResponseItem{LinkID: "band", Answer: []fhirAnswer{{ValueString: res.Band}}})
	return qr, nil
}

// BundleWriter streams a FHIR Bundle of type "collection": each resource is
// written as soon as it is added, so memory stays flat however many there
// are. The first error is kept and returned by every later call.
type BundleWriter struct {
	w       io.Writer
	base    string
	entries int
	err     error
	closed  bool
}

// NewBundleWriter checks base (an absolute http or https URL, the FHIR base
// under which ids and canonicals are made, e.g.
// https://rangkul.example/fhir) and writes the Bundle's header.
func NewBundleWriter(w io.Writer, base string) (*BundleWriter, error) {
	base = strings.TrimRight(base, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(base, " ?#") {
		return nil, fmt.Errorf("outcomes: fhir: base %q is not an absolute http(s) URL", base)
	}
	b := &BundleWriter{w: w, base: base}
	ts, _ := json.Marshal(time.Now().UTC().Format(time.RFC3339))
	// "entry" is opened with the first resource: FHIR JSON has no empty arrays.
	b.write(`{"resourceType":"Bundle","type":"collection","timestamp":` + string(ts))
	return b, b.err
}

func (b *BundleWriter) write(s string) {
	if b.err == nil {
		_, b.err = io.WriteString(b.w, s)
	}
}

func (b *BundleWriter) entry(fullURL string, resource any) error {
	if b.closed {
		return errors.New("outcomes: fhir: bundle already closed")
	}
	if b.err != nil {
		return b.err
	}
	data, err := json.Marshal(struct {
		FullURL  string `json:"fullUrl"`
		Resource any    `json:"resource"`
	}{fullURL, resource})
	if err != nil {
		return err
	}
	if b.entries == 0 {
		b.write(`,"entry":[`)
	} else {
		b.write(",")
	}
	b.write("\n")
	b.write(string(data))
	b.entries++
	return b.err
}

// Questionnaire adds an instrument's Questionnaire in a language.
func (b *BundleWriter) Questionnaire(in *Instrument, lang string) error {
	q, err := buildQuestionnaire(b.base, in, lang)
	if err != nil {
		return err
	}
	return b.entry(b.base+"/Questionnaire/"+q.ID, q)
}

// Response adds a QuestionnaireResponse. A response that does not check out
// (unknown instrument, answers that do not score, a stored total that
// disagrees) is refused with an error and nothing is written; the bundle can
// go on.
func (b *BundleWriter) Response(r FHIRResponse) error {
	qr, err := buildResponse(b.base, r)
	if err != nil {
		return err
	}
	return b.entry(b.base+"/QuestionnaireResponse/"+qr.ID, qr)
}

// Close ends the Bundle. It does not close the underlying writer.
func (b *BundleWriter) Close() error {
	if b.closed {
		return b.err
	}
	b.closed = true
	if b.entries > 0 {
		b.write("\n]")
	}
	b.write("}\n")
	return b.err
}
