package outcomes

import (
	"encoding/json"
	"fmt"
)

// Missing marks an unanswered item in an answer vector.
const Missing = -1

// FlagSafety marks a result that needs safety follow-up whatever its total
// (any answer above "Not at all" on PHQ-9 item 9).
const FlagSafety = "safety"

// Result is a scored questionnaire.
type Result struct {
	Total float64  `json:"total"`
	Band  string   `json:"band"`
	Flags []string `json:"flags"`
}

// MarshalJSON writes Flags as [] when there are none, never null.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if r.Flags == nil {
		r.Flags = []string{}
	}
	return json.Marshal(plain(r))
}

// HasFlag tells whether the result carries a flag.
func (r Result) HasFlag(flag string) bool {
	for _, f := range r.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// Reasons an answer vector is refused (AnswerError.Reason).
const (
	ReasonOutOfRange = "out_of_range" // not one of the item's answer codes
	ReasonMissing    = "missing"      // unanswered where an answer is needed
	ReasonCount      = "count"        // too few or too many answers
)

// AnswerError is a problem with one answer (Item, 1-based, and its Value), or
// with the number of answers (Reason "count", Item 0, Value the count given).
type AnswerError struct {
	Item   int
	Value  int
	Reason string
}

func (e AnswerError) Error() string {
	switch e.Reason {
	case ReasonCount:
		return fmt.Sprintf("wrong number of answers (%d)", e.Value)
	case ReasonMissing:
		return fmt.Sprintf("item %d: no answer", e.Item)
	}
	return fmt.Sprintf("item %d: %d is not one of its answer codes", e.Item, e.Value)
}

// Describe says in English what is wrong and what was expected, e.g.
// "item 3: 7 is not an answer code (0-3)".
func (in *Instrument) Describe(e AnswerError) string {
	switch e.Reason {
	case ReasonCount:
		need, all := in.requiredItems(), len(in.Items)
		want := itoa(all)
		if need < all-1 {
			want = itoa(need) + " to " + want
		} else if need < all {
			want = itoa(need) + " or " + want
		}
		return fmt.Sprintf("%d answers given, %s takes %s", e.Value, in.Name.In("en"), want)
	case ReasonOutOfRange:
		if e.Item > len(in.Items) {
			return fmt.Sprintf("item %d: %d is not an answer code", e.Item, e.Value)
		}
		return fmt.Sprintf("item %d: %d is not an answer code (%s)", e.Item, e.Value, choiceRange(in.ChoicesOf(e.Item-1)))
	}
	return e.Error()
}

// As lets errors.As find an AnswerError through a *AnswerError target too.
func (e AnswerError) As(target any) bool {
	if p, ok := target.(**AnswerError); ok {
		c := e
		*p = &c
		return true
	}
	return false
}

// Score checks an answer vector (the instrument's own answer codes, items in
// order, Missing where unanswered) and computes the total, its band and any
// flags. A wrong answer count, an answer that is not one of the item's codes,
// or a missing answer where no skip rule allows it is an AnswerError: the
// first of them (Problems lists them all).
func (in *Instrument) Score(answers []int) (Result, error) {
	if probs := in.Problems(answers); len(probs) > 0 {
		return Result{Flags: []string{}}, probs[0]
	}
	raw, flags := 0, []string{}
	for i, it := range in.Items {
		v := Missing
		if i < len(answers) {
			v = answers[i]
		}
		if it.Safety && v != Missing && v > lowest(in.ChoicesOf(i)) && !hasFlag(flags, FlagSafety) {
			flags = append(flags, FlagSafety)
		}
		if !it.Scored {
			continue
		}
		if s := it.Skip; s != nil && answers[s.Item-1] == s.Value {
			raw += s.Scores
			continue
		}
		raw += v
	}
	total := float64(raw) * in.factor()
	return Result{Total: total, Band: in.BandOf(total).Code, Flags: flags}, nil
}

// Problems lists every problem with an answer vector: a wrong count first,
// then the answers given, in item order. None means Score will accept it.
func (in *Instrument) Problems(answers []int) []AnswerError {
	var out []AnswerError
	if len(answers) < in.requiredItems() || len(answers) > len(in.Items) {
		out = append(out, AnswerError{Item: 0, Value: len(answers), Reason: ReasonCount})
	}
	for i, v := range answers[:min(len(answers), len(in.Items))] {
		it, cs := in.Items[i], in.ChoicesOf(i)
		switch {
		case v == Missing:
			if it.Scored && !in.skipped(it, answers) {
				out = append(out, AnswerError{Item: i + 1, Value: v, Reason: ReasonMissing})
			}
		case !isChoice(cs, v):
			out = append(out, AnswerError{Item: i + 1, Value: v, Reason: ReasonOutOfRange})
		}
	}
	return out
}

// skipped tells whether an item's skip rule applies to these answers.
func (in *Instrument) skipped(it Item, answers []int) bool {
	s := it.Skip
	return s != nil && s.Item-1 < len(answers) && answers[s.Item-1] == s.Value
}

func isChoice(cs []Choice, v int) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

func lowest(cs []Choice) int {
	lo := cs[0].Value
	for _, c := range cs {
		lo = min(lo, c.Value)
	}
	return lo
}

func hasFlag(flags []string, f string) bool { return Result{Flags: flags}.HasFlag(f) }
