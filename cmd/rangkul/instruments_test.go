package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func instrumentsCmd(stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(append([]string{"instruments"}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestInstrumentsScore(t *testing.T) {
	for _, c := range []struct {
		code, in, want string
	}{
		// WHO-5 raw 13, 12 and 7: x4 = 52 good, 48 poor, 28 likely depression.
		{"who5", "3,3,3,2,2\n\n3,3,2,2,2\r\n 2, 2, 1, 1, 1 \n", `{"total":52,"band":"good","flags":[]}
{"total":48,"band":"poor","flags":[]}
{"total":28,"band":"likely-depression","flags":[]}
`},
		// PHQ-9 with and without item 10; item 9 raises the safety flag.
		{"phq9", "0,0,0,0,0,0,0,0,1\n3,3,3,3,3,3,2,0,0,2\n", `{"total":1,"band":"minimal","flags":["safety"]}
{"total":20,"band":"severe","flags":[]}
`},
		// K10: an empty field where the skip rule allows it (item 2 = 1).
		{"k10", "1,1,,2,1,,1,1,1,1\n", `{"total":11,"band":"low","flags":[]}
`},
		{"gad7", "3,2,2,2,2,2,2\n", `{"total":15,"band":"severe","flags":[]}
`},
		{"ucla3", "2,2,2\n", `{"total":6,"band":"lonely","flags":[]}
`},
		{"osss3", "2,3,3\n", `{"total":8,"band":"poor","flags":[]}
`},
		{"osss3", "", ""},
	} {
		out, errOut, err := instrumentsCmd(c.in, "score", c.code)
		if err != nil || out != c.want || errOut != "" {
			t.Errorf("%s %q:\n%s%s%v\nwant\n%s", c.code, c.in, out, errOut, err, c.want)
		}
	}
}

// TestInstrumentsScoreErrors: a bad line anywhere means nothing on stdout,
// every problem on stderr with its line and item, and exit status 1.
func TestInstrumentsScoreErrors(t *testing.T) {
	in := "0,0,0,0,0,0,0,0,0\n" + // fine
		"0,4,0,0,0,0,0,0,0\n" + // line 2: item 2 out of range
		"\n" + // blank lines count for the numbering
		"0,0,0,0,0,0,0,0\n" + // line 4: eight answers
		"0,0,,0,0,0,0,0,0\n" + // line 5: item 3 missing
		"0,0,0,x,0,0,0,0,0,-1\n" // line 6: not a number, and -1 is not Missing
	out, errOut, err := instrumentsCmd(in, "score", "phq9")
	if err == nil || exitStatus(err) != 1 || out != "" {
		t.Fatalf("err %v status %d stdout %q", err, exitStatus(err), out)
	}
	want := []string{
		"line 2: item 2: 4 is not an answer code (0-3)",
		"line 4: 8 answers given, PHQ-9 (Patient Health Questionnaire) takes 9 or 10",
		"line 5: item 3: no answer",
		`line 6: item 4: "x" is not a whole number`,
		"line 6: item 10: -1 is not an answer code (0-3)",
	}
	if got := strings.Split(strings.TrimSpace(errOut), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, strings.Join(want, "\n"))
	}
	// K10: an empty item 3 is not allowed when item 2 is answered above 1.
	out, errOut, err = instrumentsCmd("1,2,,1,1,1,1,1,1,1\n", "score", "k10")
	if err == nil || out != "" || !strings.Contains(errOut, "line 1: item 3: no answer") {
		t.Errorf("k10 skip misuse: %v %q %q", err, out, errOut)
	}
}

func TestInstrumentsUsage(t *testing.T) {
	_, _, err := instrumentsCmd("", "score", "phq8")
	if err == nil || exitStatus(err) != 2 || !strings.Contains(err.Error(), "phq9, gad7, who5, k10, ucla3, osss3") {
		t.Errorf("unknown code: %v (status %d)", err, exitStatus(err))
	}
	for _, args := range [][]string{{}, {"score"}, {"frobnicate"}} {
		if _, _, err := instrumentsCmd("", args...); err == nil || exitStatus(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
	out, _, err := instrumentsCmd("", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"phq9", "PHQ-9 (Patient Health Questionnaire)", "en secondary, id unverified", "k10", "en unverified", "osss3"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 7 {
		t.Errorf("list has %d lines", n)
	}
	var help bytes.Buffer
	if err := run([]string{"help"}, nil, &help, &help); err != nil || !strings.Contains(help.String(), "rangkul instruments score CODE") {
		t.Errorf("help text: %v", err)
	}
	if exitStatus(errors.New("no database")) != 1 {
		t.Error("ordinary errors exit 1")
	}
}
