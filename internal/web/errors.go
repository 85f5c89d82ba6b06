package web

import (
	"errors"
	"net/url"

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
