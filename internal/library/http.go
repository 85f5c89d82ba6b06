package library

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /library.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the library pages and adds the library to the navigation, for
// everyone.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("library", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.library", Href: "/library", Order: 15})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the library pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /library", h.list)
	rt.Handle("GET /library/manage", h.manage)
	rt.Handle("GET /library/new", h.newForm)
	rt.Handle("POST /library/new", h.create)
	rt.Handle("GET /library/{id}", h.resource)
	rt.Handle("GET /library/{id}/edit", h.editForm)
	rt.Handle("POST /library/{id}/edit", h.update)
	rt.Handle("POST /library/{id}/submit", h.step(step{Key: "flash.library_submitted", Do: h.svc.Submit}))
	rt.Handle("POST /library/{id}/withdraw", h.step(step{Key: "flash.library_withdrawn", Do: h.svc.Withdraw}))
	rt.Handle("POST /library/{id}/approve", h.review(true))
	rt.Handle("POST /library/{id}/return", h.review(false))
	rt.Handle("GET /library/{id}/unpublish", h.confirm("unpublish"))
	rt.Handle("POST /library/{id}/unpublish", h.step(step{Key: "flash.library_unpublished", Do: h.svc.Unpublish}))
	rt.Handle("GET /library/{id}/archive", h.confirm("archive"))
	rt.Handle("POST /library/{id}/archive", h.step(step{Key: "flash.library_archived", Do: h.svc.Archive}))
	rt.Handle("POST /library/{id}/restore", h.step(step{Key: "flash.library_restored", Do: h.svc.Restore}))
}

type listView struct {
	Items            []Resource
	Total            int
	Page, Pages      int
	Filter           Filter
	Kinds, Languages []string
	Topics           []string
	PrevURL, NextURL string
	CanWrite         bool
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	f := Filter{Query: q.Get("q"), Kind: q.Get("kind"), Language: q.Get("language"), Topic: q.Get("topic"), Page: max(page, 1), PerPage: 9}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	items, total, err := h.svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	v := listView{Items: items, Total: total, Page: f.Page, Pages: max((total+f.PerPage-1)/f.PerPage, 1), Filter: f,
		Kinds: Kinds, Languages: Languages, Topics: h.svc.Topics(), CanWrite: auth.FromContext(r.Context()).CanAny(auth.PermWriteLibrary)}
	link := func(p int) string {
		u := url.Values{}
		for k, val := range map[string]string{"q": f.Query, "kind": f.Kind, "language": f.Language, "topic": f.Topic} {
			if val != "" {
				u.Set(k, val)
			}
		}
		u.Set("page", strconv.Itoa(p))
		return "/library?" + u.Encode()
	}
	if f.Page > 1 {
		v.PrevURL = link(min(f.Page-1, v.Pages))
	}
	if f.Page < v.Pages {
		v.NextURL = link(f.Page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "library/list", Data: v})
}

func (h *Handler) resourcePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		if v.CanReview() {
			name, err := h.svc.PenName(r.Context())
			if err != nil {
				return err
			}
			f.Values.Set("reviewer_name", name)
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "library/resource", Status: status, Form: f, Data: v})
}

func (h *Handler) resource(w http.ResponseWriter, r *http.Request) error {
	return h.resourcePage(w, r, nil, 0)
}

// step is a review step that needs nothing but the resource, and the message
// shown when it is done.
type step struct {
	Key string
	Do  func(ctx context.Context, id int64) error
}

func (h *Handler) step(s step) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		if _, err := web.ParseForm(w, r); err != nil {
			return err
		}
		if done, err := stepFailed(w, r, id, s.Do(r.Context(), id)); done || err != nil {
			return err
		}
		return web.Done(w, r, s.Key, "/library/"+strconv.FormatInt(id, 10))
	}
}

// stepFailed answers a step refused for the resource's state or the
// caller's own work with a message on the resource's page.
func stepFailed(w http.ResponseWriter, r *http.Request, id int64, err error) (bool, error) {
	to := "/library/" + strconv.FormatInt(id, 10)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, ErrState):
		return true, web.Done(w, r, "flash.library_state", to)
	case errors.Is(err, ErrOwnWork):
		return true, web.Done(w, r, "flash.library_own_work", to)
	}
	return true, err
}

// review approves (or returns) a resource; a wrong name or a missing note
// shows the page again with the message.
func (h *Handler) review(approve bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		f, err := web.ParseForm(w, r)
		if err != nil {
			return err
		}
		if approve {
			err = h.svc.Approve(r.Context(), id, f.Get("reviewer_name"))
		} else {
			err = h.svc.Return(r.Context(), id, f.Get("note"))
		}
		if f.Check(err) {
			return h.resourcePage(w, r, f, http.StatusUnprocessableEntity)
		}
		if done, err := stepFailed(w, r, id, err); done || err != nil {
			return err
		}
		if approve {
			return web.Done(w, r, "flash.library_published", "/library/"+strconv.FormatInt(id, 10))
		}
		return web.Done(w, r, "flash.library_returned", "/library/"+strconv.FormatInt(id, 10))
	}
}

type confirmView struct {
	R      Resource
	Action string // unpublish or archive
}

// confirm asks before a resource is unpublished or archived.
func (h *Handler) confirm(action string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		res, err := h.svc.Editable(r.Context(), id)
		if err != nil {
			return err
		}
		if (action == "unpublish" && res.State != StatePublished) || (action == "archive" && res.State == StateArchived) {
			return web.Done(w, r, "flash.library_state", "/library/"+strconv.FormatInt(id, 10))
		}
		return h.rd.Render(w, r, web.Page{Name: "library/confirm", Data: confirmView{R: res, Action: action}})
	}
}

func (h *Handler) manage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	d, err := h.svc.Manage(r.Context(), q.Get("state"), page)
	if err != nil {
		return err
	}
	pages := max((d.Total+d.PerPage-1)/d.PerPage, 1)
	link := func(p int) string {
		u := url.Values{}
		if d.State != "" {
			u.Set("state", d.State)
		}
		u.Set("page", strconv.Itoa(p))
		return "/library/manage?" + u.Encode()
	}
	v := struct {
		Desk
		States           []string
		Pages            int
		PrevURL, NextURL string
	}{Desk: d, States: States, Pages: pages}
	if d.Page > 1 {
		v.PrevURL = link(min(d.Page-1, pages))
	}
	if d.Page < pages {
		v.NextURL = link(d.Page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "library/manage", Data: v})
}
