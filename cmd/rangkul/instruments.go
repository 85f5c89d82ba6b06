package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rangkul/rangkul/internal/outcomes"
)

// exitError carries a process exit status other than 1 (see main).
type exitError struct {
	status int
	err    error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitStatus is the process exit status for an error returned by run.
func exitStatus(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.status
	}
	return 1
}

const instrumentsUsage = `usage:
  rangkul instruments list          the questionnaires: code, name, items, wording status
  rangkul instruments score CODE    read answer vectors on stdin, one per line; print one JSON
                                    score per line: {"total":..,"band":"..","flags":[..]}

Answers are comma-separated, in the instrument's own answer codes, items in order.
An empty field is an unanswered item, allowed only where a skip rule allows it
(K10 items 3 and 6) or for an unscored item (PHQ-9 item 10). Blank lines are skipped.
If any line is wrong, every problem is listed and nothing is printed.
`

// instruments scores questionnaires from the command line, so that a
// researcher can check the scoring against their own hand calculation:
//
//	echo 3,3,3,2,2 | rangkul instruments score who5
//	{"total":52,"band":"good","flags":[]}
//
// Nothing is stored; it needs no database.
func instruments(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, instrumentsUsage)
		return &exitError{2, errors.New("instruments: want list or score CODE")}
	}
	switch args[0] {
	case "list":
		if len(args) != 1 {
			return &exitError{2, errors.New("instruments list takes no arguments")}
		}
		return listInstruments(stdout)
	case "score":
		if len(args) != 2 {
			fmt.Fprint(stderr, instrumentsUsage)
			return &exitError{2, errors.New("instruments score: want exactly one CODE")}
		}
		in, ok := outcomes.Lookup(args[1])
		if !ok {
			return &exitError{2, fmt.Errorf("instruments score: unknown instrument %q (codes: %s)",
				args[1], strings.Join(outcomes.Codes(), ", "))}
		}
		return scoreLines(in, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, instrumentsUsage)
		return nil
	}
	fmt.Fprint(stderr, instrumentsUsage)
	return &exitError{2, fmt.Errorf("instruments: unknown command %q (want list or score)", args[0])}
}

func listInstruments(stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tITEMS\tWORDING")
	for _, in := range outcomes.Instruments() {
		fmt.Fprintf(tw, "%s\t%s\t%d\ten %s, id %s\n", in.Code, in.Name.In("en"), len(in.Items), in.Wording["en"], in.Wording["id"])
	}
	return tw.Flush()
}

// scoreLines validates every line before writing anything, so that a file
// with a mistake produces no partial output.
func scoreLines(in *outcomes.Instrument, stdin io.Reader, stdout, stderr io.Writer) error {
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var results []outcomes.Result
	var problems []string
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		answers, bad := parseAnswers(in, text)
		for _, b := range bad {
			problems = append(problems, fmt.Sprintf("line %d: %s", line, b))
		}
		if len(bad) > 0 {
			continue
		}
		if probs := in.Problems(answers); len(probs) > 0 {
			for _, p := range probs {
				problems = append(problems, fmt.Sprintf("line %d: %s", line, in.Describe(p)))
			}
			continue
		}
		r, err := in.Score(answers)
		if err != nil { // Problems found none, so this does not happen
			return err
		}
		results = append(results, r)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("instruments score: reading standard input: %w", err)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		return fmt.Errorf("instruments score: %d problem(s); nothing was scored", len(problems))
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return out.Flush()
}

// parseAnswers reads "1,2,,3": an empty field is outcomes.Missing. A negative
// number is never an answer code (and must not be taken for Missing).
func parseAnswers(in *outcomes.Instrument, text string) ([]int, []string) {
	fields := strings.Split(text, ",")
	answers := make([]int, len(fields))
	var bad []string
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			answers[i] = outcomes.Missing
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil {
			bad = append(bad, fmt.Sprintf("item %d: %q is not a whole number", i+1, f))
			continue
		}
		if v < 0 {
			bad = append(bad, in.Describe(outcomes.AnswerError{Item: i + 1, Value: v, Reason: outcomes.ReasonOutOfRange}))
			continue
		}
		answers[i] = v
	}
	return answers, bad
}
