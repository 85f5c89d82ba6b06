package library

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/textkit"
	"github.com/rangkul/rangkul/internal/valid"
)

// FieldErrors are every wrong field of a form at once; errors.As finds the
// first, and pages show them all.
type FieldErrors []*valid.Error

func (fe FieldErrors) Error() string { return fmt.Sprintf("library: %d fields to correct", len(fe)) }

// Unwrap lets errors.As and valid.As see each field error.
func (fe FieldErrors) Unwrap() []error {
	out := make([]error, len(fe))
	for i, e := range fe {
		out[i] = e
	}
	return out
}

// checkName checks a name to be shown: a pseudonym, never the sign-in name.
func checkName(field, v string, p *auth.Principal) (string, *valid.Error) {
	name, fe := valid.Name(field, v, 2, MaxName)
	if fe != nil {
		return "", fe
	}
	if strings.EqualFold(name, p.Username) {
		return "", valid.Field(field, "library.name_is_username")
	}
	return name, nil
}

// checkURL checks a web address: http or https, with a host.
func checkURL(field, v string, required bool) (string, *valid.Error) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			return "", valid.Field(field, "library.url_required")
		}
		return "", nil
	}
	if utf8.RuneCountInString(v) > MaxURL {
		return "", valid.Field(field, "form.too_long", "max", MaxURL)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || strings.ContainsAny(v, " \t\r\n<>\"") {
		return "", valid.Field(field, "library.url_http")
	}
	return v, nil
}

// check validates a resource form and renders its body. Every wrong field is
// reported at once.
func (s *Service) check(p *auth.Principal, in Input, orgErr *valid.Error) (Input, template.HTML, error) {
	var errs FieldErrors
	fail := func(e *valid.Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	fail(orgErr)
	var fe *valid.Error
	in.Kind, fe = valid.OneOf("kind", in.Kind, Kinds)
	fail(fe)
	in.Language, fe = valid.OneOf("language", in.Language, Languages)
	fail(fe)
	in.Topic, fe = valid.OneOf("topic", in.Topic, s.topics)
	fail(fe)
	in.Title, fe = valid.Name("title", in.Title, 3, MaxTitle)
	fail(fe)
	// The summary is written in a text area but shown as one paragraph.
	in.Summary, fe = valid.Text("summary", in.Summary, 10, MaxSummary, true)
	in.Summary = strings.Join(strings.Fields(in.Summary), " ")
	fail(fe)
	in.URL, fe = checkURL("url", in.URL, NeedsURL(in.Kind))
	fail(fe)
	bodyMin := 0
	if in.Kind == KindArticle || in.Kind == KindGuide {
		bodyMin = 30
	}
	in.Body, fe = valid.Text("body", in.Body, bodyMin, MaxBody, true)
	if fe != nil && fe.Key == "form.required" {
		fe = valid.Field("body", "library.body_required")
	}
	fail(fe)
	in.AuthorName, fe = checkName("author_name", in.AuthorName, p)
	fail(fe)
	if len(errs) > 0 {
		return in, "", errs
	}
	html, err := s.markup.HTML(in.Body)
	return in, html, err
}

// searchTerms is what a resource is found by: its words and the site it
// points to.
func searchTerms(in Input) string {
	host := ""
	if u, err := url.Parse(in.URL); err == nil {
		host = strings.ReplaceAll(u.Hostname(), ".", " ")
	}
	return textkit.SearchTerms(strings.Join([]string{in.Title, in.Summary, in.Body, host}, " "))
}
