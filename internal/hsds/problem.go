package hsds

import (
	"errors"
	"fmt"
	"strings"
)

// Problem is one thing wrong with imported or submitted data, named by
// table, row (CSV: as a spreadsheet counts them, the header being row 1;
// JSON: the record's position in the file, 1 for the first) and field.
type Problem struct {
	Table   string // HSDS table: "services"
	Row     int    // 0 when the problem is not about one row
	Path    string // JSON pointer of the record in a JSON file ("/0/phones/1")
	Field   string // HSDS field name, "" for the whole record
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Table != "" {
		b.WriteString("table " + p.Table)
	}
	if p.Row > 0 {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if p.Path != "" {
			fmt.Fprintf(&b, "record %d", p.Row)
		} else {
			fmt.Fprintf(&b, "row %d", p.Row)
		}
	}
	if p.Path != "" {
		fmt.Fprintf(&b, " (at %s)", p.Path)
	}
	if p.Field != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("field " + p.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found; nothing was changed.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "hsds: invalid data: " + e.Problems[0].String()
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("hsds: invalid data, %d problems:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// Problems returns the problems held by err, if it is a ValidationError.
func Problems(err error) []Problem {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// ErrNotFound is returned for an id that is not in the directory.
var ErrNotFound = errors.New("hsds: not found")

// ErrBadQuery wraps a search input that cannot be right (a latitude of 100,
// a page of -1); its text says which and why.
var ErrBadQuery = errors.New("hsds: bad query")
