package outcomes

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

const M = Missing

type scoreCase struct {
	code    string
	answers []int
	total   float64
	band    string
}

// bandCases sit on both sides of every band boundary of every instrument
// (the highest total of a band and the lowest of the next), plus each range's
// ends. TestBandBoundariesCovered checks that none is left out.
var bandCases = []scoreCase{
	{"phq9", []int{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "minimal"},
	{"phq9", []int{1, 1, 1, 1, 0, 0, 0, 0, 0}, 4, "minimal"},
	{"phq9", []int{1, 1, 1, 1, 1, 0, 0, 0, 0}, 5, "mild"},
	{"phq9", []int{3, 3, 3, 0, 0, 0, 0, 0, 0}, 9, "mild"},
	{"phq9", []int{3, 3, 3, 1, 0, 0, 0, 0, 0}, 10, "moderate"},
	{"phq9", []int{3, 3, 3, 3, 2, 0, 0, 0, 0}, 14, "moderate"},
	{"phq9", []int{3, 3, 3, 3, 3, 0, 0, 0, 0}, 15, "moderately-severe"},
	{"phq9", []int{3, 3, 3, 3, 3, 3, 1, 0, 0, 2}, 19, "moderately-severe"},
	{"phq9", []int{3, 3, 3, 3, 3, 3, 2, 0, 0, M}, 20, "severe"},
	{"phq9", []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 27, "severe"},

	{"gad7", []int{0, 0, 0, 0, 0, 0, 0}, 0, "minimal"},
	{"gad7", []int{1, 1, 1, 1, 0, 0, 0}, 4, "minimal"},
	{"gad7", []int{1, 1, 1, 1, 1, 0, 0}, 5, "mild"},
	{"gad7", []int{3, 3, 3, 0, 0, 0, 0}, 9, "mild"},
	{"gad7", []int{3, 3, 3, 1, 0, 0, 0}, 10, "moderate"},
	{"gad7", []int{2, 2, 2, 2, 2, 2, 2}, 14, "moderate"},
	{"gad7", []int{3, 2, 2, 2, 2, 2, 2}, 15, "severe"},
	{"gad7", []int{3, 3, 3, 3, 3, 3, 3}, 21, "severe"},

	// WHO-5: Total = raw x 4 (not (raw-5) x 4).
	{"who5", []int{0, 0, 0, 0, 0}, 0, "likely-depression"},
	{"who5", []int{2, 2, 1, 1, 1}, 28, "likely-depression"}, // raw 7
	{"who5", []int{2, 2, 2, 1, 1}, 32, "poor"},              // raw 8
	{"who5", []int{3, 3, 2, 2, 2}, 48, "poor"},              // raw 12
	{"who5", []int{3, 3, 3, 2, 2}, 52, "good"},              // raw 13
	{"who5", []int{5, 5, 5, 5, 5}, 100, "good"},             // raw 25

	{"k10", []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 10, "low"},
	{"k10", []int{2, 2, 2, 2, 2, 1, 1, 1, 1, 1}, 15, "low"},
	{"k10", []int{2, 2, 2, 2, 2, 2, 1, 1, 1, 1}, 16, "moderate"},
	{"k10", []int{3, 3, 3, 3, 3, 2, 1, 1, 1, 1}, 21, "moderate"},
	{"k10", []int{3, 3, 3, 3, 3, 3, 1, 1, 1, 1}, 22, "high"},
	{"k10", []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 2}, 29, "high"},
	{"k10", []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 30, "very-high"},
	{"k10", []int{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 50, "very-high"},

	{"ucla3", []int{1, 1, 1}, 3, "not-lonely"},
	{"ucla3", []int{2, 2, 1}, 5, "not-lonely"},
	{"ucla3", []int{2, 2, 2}, 6, "lonely"},
	{"ucla3", []int{3, 3, 3}, 9, "lonely"},

	{"osss3", []int{1, 1, 1}, 3, "poor"},
	{"osss3", []int{2, 3, 3}, 8, "poor"},
	{"osss3", []int{3, 3, 3}, 9, "moderate"},
	{"osss3", []int{3, 4, 4}, 11, "moderate"},
	{"osss3", []int{4, 4, 4}, 12, "strong"},
	{"osss3", []int{4, 5, 5}, 14, "strong"},
}

func TestScoreBands(t *testing.T) {
	for _, c := range bandCases {
		in, _ := Lookup(c.code)
		r, err := in.Score(c.answers)
		if err != nil || r.Total != c.total || r.Band != c.band || r.Flags == nil {
			t.Errorf("%s %v: %+v %v, want %v %s", c.code, c.answers, r, err, c.total, c.band)
		}
		if b := in.BandOf(c.total); b.Code != c.band {
			t.Errorf("%s BandOf(%v) = %s", c.code, c.total, b.Code)
		}
	}
}

// TestBandBoundariesCovered: for every pair of adjacent bands, bandCases has
// the highest total a person can reach in the lower band and the lowest in
// the upper one (WHO-5 totals go in steps of 4).
func TestBandBoundariesCovered(t *testing.T) {
	for _, in := range Instruments() {
		step := in.factor()
		has := func(band string, lo, hi float64) bool {
			for _, c := range bandCases {
				if c.code == in.Code && c.band == band && c.total >= lo && c.total <= hi {
					return true
				}
			}
			return false
		}
		for i := 1; i < len(in.Bands); i++ {
			below, above := in.Bands[i-1], in.Bands[i]
			if !has(below.Code, below.Max-step+1, below.Max) || !has(above.Code, above.Min, above.Min+step-1) {
				t.Errorf("%s: boundary %s/%s not tested on both sides", in.Code, below.Code, above.Code)
			}
		}
		if !has(in.Bands[0].Code, in.Min, in.Min) || !has(in.Bands[len(in.Bands)-1].Code, in.Max, in.Max) {
			t.Errorf("%s: range ends not tested", in.Code)
		}
	}
}

// TestBandOfBetween: a mean between two bands goes the way the cut-off does.
func TestBandOfBetween(t *testing.T) {
	for _, c := range []struct {
		code  string
		total float64
		band  string
	}{
		{"phq9", 4.5, "minimal"}, {"phq9", 9.9, "mild"}, {"phq9", -3, "minimal"}, {"phq9", 40, "severe"},
		{"who5", 28.5, "poor"}, {"who5", 50, "poor"}, {"who5", 50.5, "good"},
		{"osss3", 8.5, "moderate"}, {"k10", 21.5, "moderate"}, {"ucla3", 5.5, "not-lonely"},
	} {
		in, _ := Lookup(c.code)
		if b := in.BandOf(c.total); b.Code != c.band {
			t.Errorf("%s BandOf(%v) = %s, want %s", c.code, c.total, b.Code, c.band)
		}
	}
}

func TestClinical(t *testing.T) {
	for _, c := range []struct {
		code         string
		in, out      float64 // just clinical, just not
		higherBetter bool
	}{
		{"phq9", 10, 9, false}, {"gad7", 10, 9, false}, {"who5", 48, 52, true},
		{"k10", 22, 21, false}, {"ucla3", 6, 5, false}, {"osss3", 8, 9, true},
	} {
		in, _ := Lookup(c.code)
		if !in.Clinical(c.in) || in.Clinical(c.out) || in.HigherIsBetter != c.higherBetter {
			t.Errorf("%s: clinical(%v)=%v clinical(%v)=%v", c.code, c.in, in.Clinical(c.in), c.out, in.Clinical(c.out))
		}
	}
	who, _ := Lookup("who5")
	if !who.Clinical(50) {
		t.Error("WHO-5 50 is poor well-being (<= 50)")
	}
}

func TestSafetyFlag(t *testing.T) {
	phq, _ := Lookup("phq9")
	for _, c := range []struct {
		answers []int
		flagged bool
		band    string
	}{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1}, true, "minimal"}, // total 1: flagged whatever the total
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 3, 0}, true, "minimal"},
		{[]int{3, 3, 3, 3, 3, 3, 3, 3, 0}, false, "severe"},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, false, "minimal"}, // item 10 is not item 9
	} {
		r, err := phq.Score(c.answers)
		if err != nil || r.HasFlag(FlagSafety) != c.flagged || r.Band != c.band {
			t.Errorf("%v: %+v %v", c.answers, r, err)
		}
		if c.flagged && fmt.Sprint(r.Flags) != "[safety]" {
			t.Errorf("%v: flags %v", c.answers, r.Flags)
		}
	}
	// No other instrument flags anything.
	gad, _ := Lookup("gad7")
	if r, _ := gad.Score([]int{3, 3, 3, 3, 3, 3, 3}); len(r.Flags) != 0 {
		t.Errorf("GAD-7 flags %v", r.Flags)
	}
}

func TestResultJSON(t *testing.T) {
	for _, r := range []Result{{Total: 52, Band: "good"}, {Total: 52, Band: "good", Flags: []string{}}} {
		b, err := json.Marshal(r)
		if err != nil || string(b) != `{"total":52,"band":"good","flags":[]}` {
			t.Errorf("%s %v", b, err)
		}
	}
	b, _ := json.Marshal(Result{Total: 1, Band: "minimal", Flags: []string{FlagSafety}})
	if string(b) != `{"total":1,"band":"minimal","flags":["safety"]}` {
		t.Error(string(b))
	}
}

// TestK10SkipRule: when item 2 (or 5) is "None of the time" (1), item 3 (or
// 6) scores 1, may be left unanswered, and a value given is still checked.
func TestK10SkipRule(t *testing.T) {
	k10, _ := Lookup("k10")
	for _, c := range []struct {
		answers []int
		total   float64
		err     *AnswerError
	}{
		{[]int{1, 1, M, 2, 1, M, 1, 1, 1, 1}, 11, nil},
		{[]int{2, 1, M, 2, 1, M, 1, 1, 1, 1}, 12, nil},
		{[]int{1, 1, 4, 1, 1, 5, 1, 1, 1, 1}, 10, nil}, // given values score 1 all the same
		{[]int{3, 3, 4, 1, 1, 1, 1, 1, 1, 1}, 17, nil}, // no skip: item 3 counts
		{[]int{1, 1, 9, 1, 1, 1, 1, 1, 1, 1}, 0, &AnswerError{3, 9, ReasonOutOfRange}},
		{[]int{1, 2, M, 1, 1, 1, 1, 1, 1, 1}, 0, &AnswerError{3, M, ReasonMissing}},
		{[]int{1, 1, 1, 1, 3, M, 1, 1, 1, 1}, 0, &AnswerError{6, M, ReasonMissing}},
		{[]int{1, M, M, 1, 1, 1, 1, 1, 1, 1}, 0, &AnswerError{2, M, ReasonMissing}},
		{[]int{M, 1, M, 1, 1, 1, 1, 1, 1, 1}, 0, &AnswerError{1, M, ReasonMissing}},
		{[]int{1, 1, 1, 1, 1, 1, 1, 1, 1, M}, 0, &AnswerError{10, M, ReasonMissing}},
	} {
		r, err := k10.Score(c.answers)
		if c.err == nil {
			if err != nil || r.Total != c.total {
				t.Errorf("%v: %+v %v, want %v", c.answers, r, err, c.total)
			}
			continue
		}
		var ae AnswerError
		if !errors.As(err, &ae) || ae != *c.err {
			t.Errorf("%v: error %v, want %v", c.answers, err, *c.err)
		}
	}
}

func TestAnswerErrors(t *testing.T) {
	phq, _ := Lookup("phq9")
	osss, _ := Lookup("osss3")
	who, _ := Lookup("who5")
	for _, c := range []struct {
		in      *Instrument
		answers []int
		want    []AnswerError
	}{
		{phq, []int{0, 0, 0, 0, 0, 0, 0, 0}, []AnswerError{{0, 8, ReasonCount}}},
		{phq, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []AnswerError{{0, 11, ReasonCount}}},
		{phq, nil, []AnswerError{{0, 0, ReasonCount}}},
		{phq, []int{0, 4, 0, 0, 0, 0, -2, 0, 0}, []AnswerError{{2, 4, ReasonOutOfRange}, {7, -2, ReasonOutOfRange}}},
		{phq, []int{0, 0, 0, 0, 0, 0, 0, 0, M}, []AnswerError{{9, M, ReasonMissing}}},
		{phq, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 4}, []AnswerError{{10, 4, ReasonOutOfRange}}},
		{phq, []int{0, 5, 0}, []AnswerError{{0, 3, ReasonCount}, {2, 5, ReasonOutOfRange}}},
		{osss, []int{5, 5, 5}, []AnswerError{{1, 5, ReasonOutOfRange}}}, // item 1 codes 1-4 only
		{osss, []int{0, 1, 1}, []AnswerError{{1, 0, ReasonOutOfRange}}},
		{who, []int{6, 0, 0, 0, 0}, []AnswerError{{1, 6, ReasonOutOfRange}}},
	} {
		got := c.in.Problems(c.answers)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s %v: %v, want %v", c.in.Code, c.answers, got, c.want)
		}
		_, err := c.in.Score(c.answers)
		if err == nil || err.Error() != c.want[0].Error() {
			t.Errorf("%s %v: Score error %v", c.in.Code, c.answers, err)
		}
		var p *AnswerError
		if !errors.As(err, &p) || *p != c.want[0] {
			t.Errorf("errors.As through a pointer: %v", p)
		}
	}
	// PHQ-9 item 10 is optional: 9 answers, or 10 with item 10 Missing.
	for _, a := range [][]int{{1, 1, 1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 0, 0, 0, 0, M}} {
		if r, err := phq.Score(a); err != nil || r.Total != 5 {
			t.Errorf("%v: %+v %v", a, r, err)
		}
	}
	if got := phq.Describe(AnswerError{0, 8, ReasonCount}); got != "8 answers given, PHQ-9 (Patient Health Questionnaire) takes 9 or 10" {
		t.Error(got)
	}
	if got := osss.Describe(AnswerError{1, 5, ReasonOutOfRange}); got != "item 1: 5 is not an answer code (1-4)" {
		t.Error(got)
	}
}
