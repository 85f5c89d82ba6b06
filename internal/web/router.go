package web

import (
	"errors"
	"log/slog"
	"net/http"
	"sort"
	"strings"
)

// HandlerFunc is a handler that may fail; the router turns its error into the
// right page (sign-in redirect, 403, 404, 413 or 500).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one line of the route table.
type Route struct {
	Method  string
	Path    string
	Pattern string
}

// Router is the application's route table: each feature adds its routes in its
// Routes function, and Routes() lists them for the role-by-route test.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	rd     *Renderer
	log    *slog.Logger
}

// NewRouter returns an empty route table rendering errors through rd.
func NewRouter(rd *Renderer, log *slog.Logger) *Router {
	rt := &Router{mux: http.NewServeMux(), rd: rd, log: log}
	rt.mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.rd.Error(w, r, http.StatusNotFound)
	}))
	return rt
}

// Handle adds a route such as "POST /groups/{id}/join".
func (rt *Router) Handle(pattern string, h HandlerFunc) {
	rt.add(pattern)
	rt.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			rt.Fail(w, r, err)
		}
	}))
}

// HandleHTTP adds a route served by a plain http.Handler (static files, metrics).
func (rt *Router) HandleHTTP(pattern string, h http.Handler) {
	rt.add(pattern)
	rt.mux.Handle(pattern, h)
}

func (rt *Router) add(pattern string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("web: route pattern needs a method: " + pattern)
	}
	rt.routes = append(rt.routes, Route{Method: method, Path: path, Pattern: pattern})
}

// Routes lists the route table, sorted by path then method.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// ServeHTTP dispatches to the matching route, and tells the outer logging
// middleware which route pattern served the request.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt.mux.ServeHTTP(w, r)
	if p, ok := r.Context().Value(patternKey{}).(*string); ok {
		*p = r.Pattern
	}
}

// Fail answers a request whose handler returned err.
func (rt *Router) Fail(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, ErrSignInRequired):
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		rt.rd.Error(w, r, http.StatusUnauthorized)
	case errors.Is(err, ErrForbidden):
		rt.rd.Error(w, r, http.StatusForbidden)
	case errors.Is(err, ErrNotFound):
		rt.rd.Error(w, r, http.StatusNotFound)
	case errors.Is(err, ErrBadRequest):
		rt.rd.Error(w, r, http.StatusBadRequest)
	case errors.As(err, &tooBig):
		rt.rd.Error(w, r, http.StatusRequestEntityTooLarge)
	default:
		rt.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err.Error())
		rt.rd.Error(w, r, http.StatusInternalServerError)
	}
}
