package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rangkul/rangkul/internal/valid"
)

// MaxFormBytes bounds a submitted form; larger bodies get 413.
const MaxFormBytes = 1 << 20

// Form is a decoded form submission with its field errors.
type Form struct {
	Values url.Values
	Errors map[string]*valid.Error
	order  []string
}

// NewForm returns an empty form, for the first display of a page.
func NewForm() *Form { return &Form{Values: url.Values{}, Errors: map[string]*valid.Error{}} }

// ParseForm decodes a urlencoded or multipart POST body (bounded by
// MaxFormBytes). Values that are not valid UTF-8 are dropped and their field
// marked with form.invalid_text, so no handler ever sees broken text.
func ParseForm(w http.ResponseWriter, r *http.Request) (*Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, ErrBadRequest
	}
	return DecodeValues(r.PostForm), nil
}

// DecodeValues builds a Form from raw values (ParseForm's work after the body
// has been read; split out so that it can be fuzzed).
func DecodeValues(raw url.Values) *Form {
	f := NewForm()
	for k, vs := range raw {
		if !utf8.ValidString(k) || len(k) > 100 {
			continue
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				f.Fail(valid.Field(k, "form.invalid_text"))
				continue
			}
			f.Values.Add(k, v)
		}
	}
	return f
}

// Get returns the first value of field, or "".
func (f *Form) Get(field string) string { return f.Values.Get(field) }

// Int returns field as an int64, or 0 when absent or not a number.
func (f *Form) Int(field string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(f.Get(field)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// Fail records an error for its field; the first error of a field wins.
func (f *Form) Fail(e *valid.Error) {
	if _, ok := f.Errors[e.Field]; ok {
		return
	}
	f.Errors[e.Field] = e
	f.order = append(f.order, e.Field)
}

// Check records err if it is a field error and reports whether it was one, so
// a handler can re-show the form; any other error is for the caller to return.
func (f *Form) Check(err error) bool {
	if fe, ok := valid.As(err); ok {
		f.Fail(fe)
		return true
	}
	return false
}

// OK reports whether no field has an error.
func (f *Form) OK() bool { return len(f.Errors) == 0 }

func (f *Form) ordered() []*valid.Error {
	out := make([]*valid.Error, 0, len(f.order))
	for _, k := range f.order {
		out = append(out, f.Errors[k])
	}
	return out
}
