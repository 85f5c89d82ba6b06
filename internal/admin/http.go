package admin

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the admin area.
type Handler struct {
	svc *auth.Service
	rd  *web.Renderer
	// Zone is the deployment's time zone, in which the audit log's date
	// filters are read.
	Zone *time.Location
}

// New returns the admin pages.
func New(svc *auth.Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("admin", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.admin", Href: "/admin", Order: 90,
		Show: func(p *auth.Principal) bool { return p.CanAny(auth.PermAdminArea) }})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes adds the admin routes.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /admin", h.home)
	rt.Handle("GET /admin/orgs", h.orgs)
	rt.Handle("GET /admin/orgs/new", h.newOrg)
	rt.Handle("POST /admin/orgs", h.createOrg)
	rt.Handle("GET /admin/orgs/{id}", h.org)
	rt.Handle("POST /admin/orgs/{id}", h.updateOrg)
	rt.Handle("POST /admin/orgs/{id}/grants", h.grantByName)
	rt.Handle("GET /admin/people", h.people)
	rt.Handle("GET /admin/people/{id}", h.person)
	rt.Handle("POST /admin/people/{id}/grants", h.grant)
	rt.Handle("POST /admin/people/{id}/revoke", h.revoke)
	rt.Handle("POST /admin/people/{id}/site-admin", h.siteAdmin)
	rt.Handle("GET /admin/people/{id}/disable", h.confirmDisable)
	rt.Handle("POST /admin/people/{id}/disable", h.disable)
	rt.Handle("GET /admin/audit", h.audit)
}

type homeView struct {
	Orgs []auth.Organisation
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/home", Data: homeView{Orgs: orgs}})
}

func (h *Handler) orgs(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/orgs", Data: orgs})
}

type orgFormView struct {
	Org   auth.Organisation
	Kinds []string
	Roles []auth.Role
	// People holding roles here (first page), for the organisation page.
	People []auth.Person
	Total  int
}

func (h *Handler) newOrg(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r.Context(), auth.PermManageOrgs, 0); err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/org-new", Data: orgFormView{Kinds: auth.OrgKinds}, Form: web.NewForm()})
}

func orgInput(f *web.Form) auth.OrgInput {
	return auth.OrgInput{Slug: f.Get("slug"), Name: f.Get("name"), Kind: f.Get("kind"), Region: f.Get("region")}
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	o, err := h.svc.CreateOrg(r.Context(), orgInput(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/admin/orgs/"+strconv.FormatInt(o.ID, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/org-new", Status: http.StatusUnprocessableEntity,
		Data: orgFormView{Kinds: auth.OrgKinds}, Form: f})
}

func (h *Handler) orgPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	o, err := h.svc.Org(r.Context(), id)
	if err != nil {
		return err
	}
	people, total, err := h.svc.People(r.Context(), auth.PeopleFilter{OrgID: id, PerPage: 100})
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	if f.Get("name") == "" && f.OK() {
		f.Values.Set("slug", o.Slug)
		f.Values.Set("name", o.Name)
		f.Values.Set("kind", o.Kind)
		f.Values.Set("region", o.Region)
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/org", Status: status, Form: f,
		Data: orgFormView{Org: o, Kinds: auth.OrgKinds, Roles: auth.Roles, People: people, Total: total}})
}

func (h *Handler) org(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.orgPage(w, r, id, nil, 0)
}

func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.UpdateOrg(r.Context(), id, orgInput(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", r.URL.Path)
	}
	if !f.Check(err) {
		return err
	}
	return h.orgPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) grantByName(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	p, err := h.svc.PersonByName(r.Context(), f.Get("username"))
	if errors.Is(err, db.ErrNotFound) {
		f.Fail(valid.Field("username", "admin.no_such_user"))
	} else if err != nil {
		return err
	} else if err := h.svc.GrantRole(r.Context(), p.User.ID, id, auth.Role(f.Get("role"))); err != nil {
		if !f.Check(err) {
			return err
		}
	}
	if !f.OK() {
		// Keep the organisation's own fields out of this form's refill.
		return h.orgPage(w, r, id, f, http.StatusUnprocessableEntity)
	}
	return web.Done(w, r, "flash.role_granted", "/admin/orgs/"+strconv.FormatInt(id, 10))
}

type peopleView struct {
	People  []auth.Person
	Total   int
	Page    int
	Pages   int
	Query   string
	OrgID   int64
	Role    string
	Orgs    []auth.Organisation
	Roles   []auth.Role
	PrevURL string
	NextURL string
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	orgID, _ := strconv.ParseInt(q.Get("org"), 10, 64)
	role := q.Get("role")
	if role != "" && !auth.ValidRole(auth.Role(role)) {
		role = ""
	}
	f := auth.PeopleFilter{Query: q.Get("q"), OrgID: orgID, Role: auth.Role(role), Page: page, PerPage: 25}
	people, total, err := h.svc.People(r.Context(), f)
	if err != nil {
		return err
	}
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	v := peopleView{People: people, Total: total, Page: page, Pages: (total + 24) / 25, Query: f.Query, OrgID: orgID,
		Role: role, Orgs: orgs, Roles: auth.Roles}
	link := func(p int) string {
		u := url.Values{}
		if f.Query != "" {
			u.Set("q", f.Query)
		}
		if orgID != 0 {
			u.Set("org", strconv.FormatInt(orgID, 10))
		}
		if role != "" {
			u.Set("role", role)
		}
		u.Set("page", strconv.Itoa(p))
		return "/admin/people?" + u.Encode()
	}
	if page > 1 {
		v.PrevURL = link(page - 1)
	}
	if page < v.Pages {
		v.NextURL = link(page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/people", Data: v})
}

type personView struct {
	Person auth.Person
	Orgs   []auth.Organisation
	Roles  []auth.Role
	Self   bool
	Site   bool // the viewer is a network administrator
}

func (h *Handler) personPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	p, err := h.svc.PersonByID(r.Context(), id)
	if err != nil {
		return err
	}
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	me := auth.FromContext(r.Context())
	return h.rd.Render(w, r, web.Page{Name: "admin/person", Status: status, Form: f,
		Data: personView{Person: p, Orgs: orgs, Roles: auth.Roles, Self: me.UserID == id, Site: me.SiteAdmin}})
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.personPage(w, r, id, web.NewForm(), 0)
}

func (h *Handler) grant(w http.ResponseWriter, r *http.Request) error {
	return h.changeRole(w, r, h.svc.GrantRole, "flash.role_granted")
}

func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) error {
	return h.changeRole(w, r, h.svc.RevokeRole, "flash.role_revoked")
}

func (h *Handler) changeRole(w http.ResponseWriter, r *http.Request,
	do func(ctx context.Context, userID, orgID int64, role auth.Role) error, flash string) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	orgID := f.Int("org")
	if orgID == 0 {
		f.Fail(valid.Field("org", "form.choose"))
		return h.personPage(w, r, id, f, http.StatusUnprocessableEntity)
	}
	err = do(r.Context(), id, orgID, auth.Role(f.Get("role")))
	if err == nil {
		return web.Done(w, r, flash, "/admin/people/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.personPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) siteAdmin(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.SetSiteAdmin(r.Context(), id, f.Get("on") == "1")
	if err == nil {
		return web.Done(w, r, "flash.saved", r.URL.Path[:len(r.URL.Path)-len("/site-admin")])
	}
	if !f.Check(err) {
		return err
	}
	return h.personPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) confirmDisable(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r.Context(), auth.PermManageOrgs, 0); err != nil {
		return err
	}
	p, err := h.svc.PersonByID(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/person-disable", Data: p})
}

func (h *Handler) disable(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	off := f.Get("off") == "1"
	err = h.svc.SetDisabled(r.Context(), id, off)
	if err == nil {
		if off {
			web.SetFlash(w, r, "flash.disabled")
		} else {
			web.SetFlash(w, r, "flash.enabled")
		}
		http.Redirect(w, r, "/admin/people/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	if !f.Check(err) {
		return err
	}
	return h.personPage(w, r, id, f, http.StatusUnprocessableEntity)
}

type auditView struct {
	Entries []audit.Entry
	NextURL string
	First   bool
}

// auditFilters are the audit page's filter fields, in form order.
var auditFilters = []string{"person", "record", "action", "actor", "from", "to"}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r.Context(), auth.PermViewAudit, 0); err != nil {
		return err
	}
	q := r.URL.Query()
	f := web.DecodeValues(url.Values{})
	for _, k := range auditFilters {
		f.Values.Set(k, strings.TrimSpace(q.Get(k)))
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	filter := audit.Filter{Action: f.Get("action"), Actor: f.Get("actor"), Target: f.Get("record"), Before: before, Limit: 50}
	for _, k := range auditFilters {
		if len(f.Get(k)) > 200 {
			f.Fail(valid.Field(k, "form.too_long", "max", 200))
		}
	}
	if name := f.Get("person"); name != "" && f.OK() {
		p, err := h.svc.PersonByName(r.Context(), name)
		if errors.Is(err, db.ErrNotFound) {
			f.Fail(valid.Field("person", "audit.unknown_person"))
		} else if err != nil {
			return err
		} else {
			filter.PersonID = p.User.ID
		}
	}
	zone := h.Zone
	if zone == nil {
		zone = time.UTC
	}
	day := func(field string) time.Time {
		v := f.Get(field)
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, zone)
		if err != nil {
			f.Fail(valid.Field(field, "audit.bad_date"))
		}
		return t
	}
	filter.From = day("from")
	if to := day("to"); !to.IsZero() {
		filter.To = to.AddDate(0, 0, 1) // the whole of the last day
	}
	if !filter.From.IsZero() && !filter.To.IsZero() && !filter.From.Before(filter.To) {
		f.Fail(valid.Field("to", "audit.to_before_from"))
	}
	if !f.OK() {
		return h.rd.Render(w, r, web.Page{Name: "admin/audit", Status: http.StatusUnprocessableEntity, Form: f, Data: auditView{First: true}})
	}
	entries, err := h.svc.AuditLog(r.Context(), filter)
	if err != nil {
		return err
	}
	v := auditView{Entries: entries, First: before == 0}
	if len(entries) == filter.Limit {
		u := url.Values{}
		for _, k := range auditFilters {
			if f.Get(k) != "" {
				u.Set(k, f.Get(k))
			}
		}
		u.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		v.NextURL = "/admin/audit?" + u.Encode()
	}
	return h.rd.Render(w, r, web.Page{Name: "admin/audit", Form: f, Data: v})
}
