package web

import (
	"context"
	"net/http"
	"regexp"
)

const flashCookie = "rangkul_flash"

// flashKey admits only translation keys of the flash namespace, so a forged
// cookie can at most show another of our own messages.
var flashKey = regexp.MustCompile(`^flash\.[a-z0-9_.]{1,60}$`)

// SetFlash arranges for the message with translation key (flash.*) to be shown
// on the next page the browser loads.
func SetFlash(w http.ResponseWriter, r *http.Request, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: isSecure(r), SameSite: http.SameSiteLaxMode})
}

type flashCtx struct{}

func flashFrom(ctx context.Context) string { s, _ := ctx.Value(flashCtx{}).(string); return s }

// withFlash moves a pending flash message from its cookie into the request
// context, and clears the cookie, for GET requests that render pages.
func withFlash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if c, err := r.Cookie(flashCookie); err == nil {
				http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
					HttpOnly: true, Secure: isSecure(r), SameSite: http.SameSiteLaxMode})
				if flashKey.MatchString(c.Value) {
					r = r.WithContext(context.WithValue(r.Context(), flashCtx{}, c.Value))
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
