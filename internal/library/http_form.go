package library

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

type formView struct {
	ID                       int64 // 0 for a new resource
	R                        Resource
	Orgs                     []Org
	Kinds, Languages, Topics []string
	Preview                  *Resource
	Editable                 bool // false: the resource is not a draft and the page says how to change it
}

func inputFrom(f *web.Form) Input {
	return Input{Kind: f.Get("kind"), Language: f.Get("language"), Topic: f.Get("topic"), Title: f.Get("title"),
		Summary: f.Get("summary"), Body: f.Get("body"), URL: f.Get("url"), AuthorName: f.Get("author_name")}
}

// failAll records every field error of err on the form and reports whether
// err was made of field errors only.
func failAll(f *web.Form, err error) bool {
	var all FieldErrors
	if errors.As(err, &all) {
		for _, e := range all {
			f.Fail(e)
		}
		return true
	}
	return f.Check(err)
}

func (h *Handler) formPage(w http.ResponseWriter, r *http.Request, v formView, f *web.Form, status int) error {
	v.Kinds, v.Languages, v.Topics = Kinds, Languages, h.svc.Topics()
	return h.rd.Render(w, r, web.Page{Name: "library/form", Status: status, Form: f, Data: v})
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.svc.WriterOrgs(r.Context())
	if err != nil {
		return err
	}
	name, err := h.svc.PenName(r.Context())
	if err != nil {
		return err
	}
	f := web.NewForm()
	f.Values.Set("kind", KindArticle)
	f.Values.Set("language", web.Lang(r))
	f.Values.Set("topic", "general")
	f.Values.Set("author_name", name)
	f.Values.Set("org", r.URL.Query().Get("org"))
	if len(orgs) == 1 {
		f.Values.Set("org", strconv.FormatInt(orgs[0].ID, 10))
	}
	return h.formPage(w, r, formView{Orgs: orgs, Editable: true}, f, 0)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	orgs, err := h.svc.WriterOrgs(r.Context())
	if err != nil {
		return err
	}
	v := formView{Orgs: orgs, Editable: true}
	org := f.Int("org")
	if f.Get("op") == "preview" {
		p, err := h.svc.Preview(r.Context(), org, inputFrom(f))
		if !failAll(f, err) && err != nil {
			return err
		}
		if err == nil {
			v.Preview = &p
			return h.formPage(w, r, v, f, 0)
		}
		return h.formPage(w, r, v, f, http.StatusUnprocessableEntity)
	}
	id, err := h.svc.Create(r.Context(), org, inputFrom(f))
	if err != nil {
		if !failAll(f, err) {
			return err
		}
		return h.formPage(w, r, v, f, http.StatusUnprocessableEntity)
	}
	return web.Done(w, r, "flash.library_saved", "/library/"+strconv.FormatInt(id, 10))
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.svc.Editable(r.Context(), id)
	if err != nil {
		return err
	}
	f := web.NewForm()
	for k, val := range map[string]string{"kind": res.Kind, "language": res.Language, "topic": res.Topic, "title": res.Title,
		"summary": res.Summary, "body": res.Body, "url": res.URL, "author_name": res.AuthorName} {
		f.Values.Set(k, val)
	}
	return h.formPage(w, r, formView{ID: id, R: res, Editable: res.State == StateDraft}, f, 0)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	res, err := h.svc.Editable(r.Context(), id)
	if err != nil {
		return err
	}
	v := formView{ID: id, R: res, Editable: true}
	if f.Get("op") == "preview" {
		p, err := h.svc.Preview(r.Context(), res.OrgID, inputFrom(f))
		if !failAll(f, err) && err != nil {
			return err
		}
		if err == nil {
			v.Preview = &p
			return h.formPage(w, r, v, f, 0)
		}
		return h.formPage(w, r, v, f, http.StatusUnprocessableEntity)
	}
	err = h.svc.Update(r.Context(), id, inputFrom(f))
	if _, ok := valid.As(err); ok && failAll(f, err) {
		return h.formPage(w, r, v, f, http.StatusUnprocessableEntity)
	}
	if done, err := stepFailed(w, r, id, err); done || err != nil {
		return err
	}
	return web.Done(w, r, "flash.library_saved", "/library/"+strconv.FormatInt(id, 10))
}
