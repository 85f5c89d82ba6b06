package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
)

// The errors a handler returns to get a standard answer. They match the
// services' own sentinels, so a handler can pass a service error straight up.
var (
	ErrSignInRequired = auth.ErrUnauthenticated
	ErrForbidden      = auth.ErrForbidden
	ErrNotFound       = db.ErrNotFound
)

// ErrBadRequest answers 400 for a request no form could have sent.
var ErrBadRequest = errors.New("web: bad request")

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// LocalPath returns p if it is a path on this site ("/x", not "//host" or a
// URL), else fallback: a guard against open redirects through ?next=.
func LocalPath(p, fallback string) string {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && (p[1] == '/' || p[1] == '\\')) {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return p
}

// PathID reads a positive integer id from the route's {name} segment; anything
// else is a 404, as if the page did not exist.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// Done ends a successful form submission: the flash message (a flash.* key) is
// shown on the page the browser is sent to, so reloading it sends nothing twice.
func Done(w http.ResponseWriter, r *http.Request, flash, location string) error {
	SetFlash(w, r, flash)
	http.Redirect(w, r, location, http.StatusSeeOther)
	return nil
}

// Outcome is where a successful form submission sends the browser, and the
// flash message (a flash.* key) shown there.
type Outcome struct {
	Flash string
	To    string
}

// Submit runs the usual shape of a form POST: decode the form and do the
// work; on success send the browser on (see Done); on a field error show the
// form again through again, with the message beside the field; any other
// error is returned for the router to answer.
func Submit(w http.ResponseWriter, r *http.Request, do func(f *Form) (Outcome, error), again func(f *Form) error) error {
	f, err := ParseForm(w, r)
	if err != nil {
		return err
	}
	out, err := do(f)
	if err == nil {
		return Done(w, r, out.Flash, out.To)
	}
	if !f.Check(err) {
		return err
	}
	return again(f)
}
