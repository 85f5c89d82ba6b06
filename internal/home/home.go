// Package home serves the front page: what Rangkul is, in plain words, and the
// way to a group, to services and to help.
package home

import (
	"embed"
	"net/http"

	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the front page.
type Handler struct{ rd *web.Renderer }

// New returns the front page.
func New(rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("home", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.home", Href: "/", Order: 0})
	rd.AddNav(web.NavEntry{Key: "nav.help", Href: "/help", Order: 80})
	return &Handler{rd: rd}, nil
}

// Routes adds the front page route.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /{$}", h.show)
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, web.Page{Name: "home/home"})
}
