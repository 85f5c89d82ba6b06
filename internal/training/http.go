package training

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /training.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the training pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("training", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.training", Href: "/training", Order: 25, Show: func(p *auth.Principal) bool {
		return p != nil && (p.HasRole(auth.RoleFacilitator) || p.HasRole(auth.RoleMentor) || p.CanAny(auth.PermManageGroups))
	}})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the training pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /training", h.home)
	rt.Handle("GET /training/modules/{id}", h.module)
	rt.Handle("POST /training/modules/{id}", h.submit)
	rt.Handle("GET /training/org/{org}", h.org)
	rt.Handle("POST /training/org/{org}/modules", h.createModule)
	rt.Handle("POST /training/org/{org}/supervision", h.supervise)
	rt.Handle("POST /training/org/{org}/settings", h.settings)
	rt.Handle("POST /training/certifications/{id}/signoff", h.signOff)
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	mods, err := h.svc.Modules(r.Context())
	if err != nil {
		return err
	}
	certs, err := h.svc.MyCertifications(r.Context())
	if err != nil {
		return err
	}
	orgs, err := h.svc.CoordinatedOrgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "training/home", Data: struct {
		Modules []Module
		Certs   []Cert
		Orgs    [][2]string
	}{mods, certs, orgs}})
}

func (h *Handler) modulePage(w http.ResponseWriter, r *http.Request, f *web.Form, res *Result, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.svc.Module(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "training/module", Status: status, Form: f, Data: struct {
		M      Module
		Result *Result
	}{m, res}})
}

func (h *Handler) module(w http.ResponseWriter, r *http.Request) error {
	return h.modulePage(w, r, nil, nil, 0)
}

func (h *Handler) submit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	answers := map[int64]int{}
	for k, v := range f.Values {
		if q, ok := strings.CutPrefix(k, "q"); ok {
			qid, err1 := strconv.ParseInt(q, 10, 64)
			a, err2 := strconv.Atoi(v[0])
			if err1 == nil && err2 == nil {
				answers[qid] = a
			}
		}
	}
	res, err := h.svc.Submit(r.Context(), id, answers)
	if err != nil {
		if !f.Check(err) {
			return err
		}
		return h.modulePage(w, r, f, nil, http.StatusUnprocessableEntity)
	}
	return h.modulePage(w, r, f, &res, 0)
}

type orgView struct {
	Settings     Settings
	OrgID        int64
	People       []Person
	Supervisions []Supervision
}

func (h *Handler) orgPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	people, err := h.svc.Overview(r.Context(), org)
	if err != nil {
		return err
	}
	sup, err := h.svc.Supervisions(r.Context(), org)
	if err != nil {
		return err
	}
	st, err := h.svc.OrgSettings(r.Context(), org)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("pass_mark", "80")
		f.Values.Set("required", "1")
	}
	return h.rd.Render(w, r, web.Page{Name: "training/org", Status: status, Form: f, Data: orgView{OrgID: org, People: people, Supervisions: sup, Settings: st}})
}

func (h *Handler) org(w http.ResponseWriter, r *http.Request) error { return h.orgPage(w, r, nil, 0) }

func (h *Handler) createModule(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := ModuleInput{Title: f.Get("title"), Body: f.Get("body"), VideoURL: f.Get("video_url"), PassMark: f.Get("pass_mark"),
			Quiz: f.Get("quiz"), Required: f.Get("required") == "1"}
		_, err := h.svc.CreateModule(r.Context(), org, in)
		return web.Outcome{Flash: "flash.saved", To: "/training/org/" + strconv.FormatInt(org, 10)}, err
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) supervise(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: "/training/org/" + strconv.FormatInt(org, 10)},
			h.svc.LogSupervision(r.Context(), org, f.Get("person"), f.Get("held_on"), f.Get("notes"))
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) signOff(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	var org int64
	if err := h.svc.db.QueryRow(r.Context(), `SELECT org_id FROM certifications WHERE id = $1`, id).Scan(&org); err != nil {
		return err
	}
	if err := h.svc.SignOff(r.Context(), id); err != nil {
		if _, ok := valid.As(err); ok {
			return web.Done(w, r, "flash.signoff_not_pending", "/training/org/"+strconv.FormatInt(org, 10))
		}
		return err
	}
	return web.Done(w, r, "flash.saved", "/training/org/"+strconv.FormatInt(org, 10))
}

func (h *Handler) settings(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: "/training/org/" + strconv.FormatInt(org, 10)},
			h.svc.SetOrgSettings(r.Context(), org, f.Get("signoff") == "1", f.Get("days"))
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}
