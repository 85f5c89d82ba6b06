// Package valid holds the input rules shared by services and forms, and the
// error a service returns when one field of its input is wrong, so that the page
// can show the message beside that field in the reader's language.
package valid

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error says that one field's value is not acceptable. Key is a translation key;
// Args are its {name} arguments as name/value pairs.
type Error struct {
	Field string
	Key   string
	Args  []any
}

func (e *Error) Error() string { return e.Field + ": " + e.Key }

// Field returns a field error.
func Field(field, key string, args ...any) *Error {
	return &Error{Field: field, Key: key, Args: args}
}

// As returns the field error inside err, if any.
func As(err error) (*Error, bool) {
	var fe *Error
	ok := errors.As(err, &fe)
	return fe, ok
}

// Text checks a free-text value: valid UTF-8, no control characters except
// line breaks and tabs when multiline, and between min and max characters after
// trimming. It returns the trimmed value or a field error.
func Text(field, v string, min, max int, multiline bool) (string, *Error) {
	if !utf8.ValidString(v) {
		return "", Field(field, "form.invalid_text")
	}
	v = strings.TrimSpace(v)
	for _, r := range v {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return "", Field(field, "form.invalid_text")
		}
	}
	n := utf8.RuneCountInString(v)
	if n == 0 && min > 0 {
		return "", Field(field, "form.required")
	}
	if n < min {
		return "", Field(field, "form.too_short", "min", min)
	}
	if n > max {
		return "", Field(field, "form.too_long", "max", max)
	}
	return v, nil
}

// Name checks a short display name: Text plus no angle brackets, which have no
// place in a name and are the usual sign of injected markup.
func Name(field, v string, min, max int) (string, *Error) {
	v, err := Text(field, v, min, max, false)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(v, "<>") {
		return "", Field(field, "form.no_markup")
	}
	return v, nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slug checks a URL name: lower-case letters, digits and single dashes.
func Slug(field, v string, max int) (string, *Error) {
	v, err := Text(field, strings.ToLower(v), 2, max, false)
	if err != nil {
		return "", err
	}
	if !slugRE.MatchString(v) {
		return "", Field(field, "form.slug_chars")
	}
	return v, nil
}

var emailRE = regexp.MustCompile(`^[^\s@<>()\[\],;:"]+@[^\s@<>()\[\],;:"]+\.[^\s@<>()\[\],;:".]{2,}$`)

// Email checks an optional e-mail address; empty is allowed.
func Email(field, v string) (string, *Error) {
	v, err := Text(field, v, 0, 254, false)
	if err != nil {
		return "", err
	}
	if v == "" {
		return "", nil
	}
	if !emailRE.MatchString(v) {
		return "", Field(field, "form.email")
	}
	return strings.ToLower(v), nil
}

// OneOf checks that v is one of the allowed values.
func OneOf(field, v string, allowed []string) (string, *Error) {
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	if v == "" {
		return "", Field(field, "form.required")
	}
	return "", Field(field, "form.choose")
}
