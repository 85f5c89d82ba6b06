package groups

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the group pages.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New returns the group pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("groups", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.groups", Href: "/groups", Order: 10})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes adds the group routes.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /groups", h.directory)
	rt.Handle("GET /groups/mine", h.mine)
	rt.Handle("GET /groups/new", h.newForm)
	rt.Handle("POST /groups", h.create)
	rt.Handle("GET /groups/{id}", h.show)
	rt.Handle("GET /groups/{id}/edit", h.editForm)
	rt.Handle("POST /groups/{id}/edit", h.update)
	rt.Handle("POST /groups/{id}/facilitators", h.assign)
	rt.Handle("GET /groups/{id}/join", h.joinForm)
	rt.Handle("POST /groups/{id}/join", h.join)
	rt.Handle("GET /groups/{id}/leave", h.confirmLeave)
	rt.Handle("POST /groups/{id}/leave", h.leave)
	rt.Handle("GET /groups/{id}/members", h.members)
	rt.Handle("GET /groups/{id}/requests", h.requests)
	rt.Handle("POST /groups/{id}/requests/{member}", h.decide)
	h.sessionRoutes(rt)
}

type directoryView struct {
	Groups                   []Group
	Total, Page, Pages       int
	Filter                   Filter
	Topics, Languages, Modes []string
	Regions                  []string
	PrevURL, NextURL         string
	CanCreate                bool
	Next                     map[int64]Occurrence
	Days                     []int
}

func (h *Handler) directory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	f := Filter{Query: q.Get("q"), Topic: q.Get("topic"), Language: q.Get("language"), Region: q.Get("region"),
		Mode: q.Get("mode"), Open: q.Get("open"), Day: q.Get("day"), Page: max(page, 1), PerPage: 12}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	groups, total, err := h.svc.Directory(r.Context(), f)
	if err != nil {
		return err
	}
	regions, err := h.svc.Regions(r.Context())
	if err != nil {
		return err
	}
	v := directoryView{Groups: groups, Total: total, Page: f.Page, Pages: (total + f.PerPage - 1) / f.PerPage, Filter: f,
		Topics: Topics, Languages: Languages, Modes: Modes, Regions: regions,
		CanCreate: auth.FromContext(r.Context()).CanAny(auth.PermManageGroups), Days: []int{1, 2, 3, 4, 5, 6, 0}}
	ids := make([]int64, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	if v.Next, err = h.svc.NextMeetings(r.Context(), ids); err != nil {
		return err
	}
	link := func(p int) string {
		u := url.Values{}
		for k, val := range map[string]string{"q": f.Query, "topic": f.Topic, "language": f.Language, "region": f.Region, "mode": f.Mode, "open": f.Open, "day": f.Day} {
			if val != "" {
				u.Set(k, val)
			}
		}
		u.Set("page", strconv.Itoa(p))
		return "/groups?" + u.Encode()
	}
	if f.Page > 1 {
		v.PrevURL = link(f.Page - 1)
	}
	if f.Page < v.Pages {
		v.NextURL = link(f.Page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/directory", Data: v})
}

type mineView struct {
	Groups   []Group
	Members  []Member
	HasLink  bool
	Attended map[int64]int
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) error {
	gs, ms, err := h.svc.Mine(r.Context())
	if err != nil {
		return err
	}
	link, err := h.svc.HasCalendarLink(r.Context())
	if err != nil {
		return err
	}
	attended, err := h.svc.MyAttendance(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/mine", Data: mineView{Groups: gs, Members: ms, HasLink: link, Attended: attended}})
}

type formView struct {
	ID                       int64
	Orgs                     []auth.Grant
	Topics, Languages, Modes []string
	Holds                    []string
}

func formOf(in Input) *web.Form {
	f := web.NewForm()
	for k, v := range map[string]string{"name": in.Name, "description": in.Description, "topic": in.Topic, "language": in.Language,
		"region": in.Region, "mode": in.Mode, "capacity": in.Capacity, "place": in.Place, "house_rules": in.HouseRules, "screen_hold": in.ScreenHold} {
		f.Values.Set(k, v)
	}
	if in.Open {
		f.Values.Set("open", "1")
	}
	if in.Listed {
		f.Values.Set("listed", "1")
	}
	return f
}

func inputOf(f *web.Form) Input {
	return Input{Name: f.Get("name"), Description: f.Get("description"), Topic: f.Get("topic"), Language: f.Get("language"),
		Region: f.Get("region"), Mode: f.Get("mode"), Capacity: f.Get("capacity"), Place: f.Get("place"),
		HouseRules: f.Get("house_rules"), ScreenHold: f.Get("screen_hold"), Open: f.Get("open") == "1", Listed: f.Get("listed") == "1"}
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.svc.ManageableOrgs(r.Context())
	if err != nil {
		return err
	}
	f := formOf(Input{Capacity: "12", Open: true, Listed: true, Language: "id", Mode: "in_person", ScreenHold: HoldCrisis})
	return h.rd.Render(w, r, web.Page{Name: "groups/form", Form: f,
		Data: formView{Orgs: orgs, Topics: Topics, Languages: Languages, Modes: Modes, Holds: ScreenHolds}})
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	orgID := f.Int("org")
	if orgID == 0 {
		if _, err := auth.Require(r.Context(), auth.PermManageGroups, 0); err != nil {
			return err
		}
		f.Fail(valid.Field("org", "form.choose"))
	} else {
		id, err := h.svc.Create(r.Context(), orgID, inputOf(f))
		if err == nil {
			return web.Done(w, r, "flash.group_created", "/groups/"+strconv.FormatInt(id, 10))
		}
		if !f.Check(err) {
			return err
		}
	}
	orgs, err := h.svc.ManageableOrgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/form", Status: http.StatusUnprocessableEntity, Form: f,
		Data: formView{Orgs: orgs, Topics: Topics, Languages: Languages, Modes: Modes, Holds: ScreenHolds}})
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.groupPage(w, r, id, web.NewForm(), 0)
}

type groupView struct {
	View
	Upcoming []Occurrence
	Polls    []Poll
}

func (h *Handler) groupPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	up, err := h.svc.Upcoming(r.Context(), id, upcomingSpan)
	if err != nil {
		return err
	}
	polls, err := h.svc.OpenPolls(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/group", Status: status, Data: groupView{View: v, Upcoming: up, Polls: polls}, Form: f})
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	if !v.CanManage {
		return web.ErrForbidden
	}
	if f == nil {
		f = formOf(InputOf(v.Group))
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/form", Status: status, Form: f,
		Data: formView{ID: id, Topics: Topics, Languages: Languages, Modes: Modes, Holds: ScreenHolds}})
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.editPage(w, r, id, nil, 0)
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
	err = h.svc.Update(r.Context(), id, inputOf(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/groups/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.editPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.AssignFacilitator(r.Context(), id, f.Get("username"), f.Get("display_name"))
	if err == nil {
		return web.Done(w, r, "flash.facilitator_assigned", "/groups/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.groupPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) joinForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/join", Data: v, Form: web.NewForm()})
}

func (h *Handler) join(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	status, err := h.svc.Join(r.Context(), id, JoinInput{DisplayName: f.Get("display_name"),
		AcceptRules: f.Get("accept_rules") == "1", Message: f.Get("message")})
	if err == nil {
		flash := "flash.joined"
		if status == StatusPending {
			flash = "flash.join_requested"
		}
		return web.Done(w, r, flash, "/groups/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/join", Status: http.StatusUnprocessableEntity, Data: v, Form: f})
}

func (h *Handler) confirmLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	if v.Me == nil || (v.Me.Status != StatusActive && v.Me.Status != StatusPending) {
		return web.ErrNotFound
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/leave", Data: v})
}

func (h *Handler) leave(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Leave(r.Context(), id); err != nil {
		return err
	}
	return web.Done(w, r, "flash.left_group", "/groups/"+strconv.FormatInt(id, 10))
}

type membersView struct {
	View    View
	Members []Member
}

func (h *Handler) members(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ms, err := h.svc.Members(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/members", Data: membersView{View: v, Members: ms}})
}

func (h *Handler) requestsPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	reqs, err := h.svc.Requests(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/requests", Status: status, Form: f, Data: membersView{View: v, Members: reqs}})
}

func (h *Handler) requests(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.requestsPage(w, r, id, nil, 0)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	memberID, err := web.PathID(r, "member")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	decision := f.Get("decision")
	if decision != "approve" && decision != "decline" {
		if _, err := h.svc.Requests(r.Context(), id); err != nil {
			return err
		}
		f.Fail(valid.Field("decision", "form.choose"))
		return h.requestsPage(w, r, id, f, http.StatusUnprocessableEntity)
	}
	err = h.svc.Decide(r.Context(), id, memberID, decision == "approve", f.Get("message"))
	if err == nil {
		flash := "flash.request_declined"
		if decision == "approve" {
			flash = "flash.request_approved"
		}
		return web.Done(w, r, flash, "/groups/"+strconv.FormatInt(id, 10)+"/requests")
	}
	if !f.Check(err) {
		return err
	}
	return h.requestsPage(w, r, id, f, http.StatusUnprocessableEntity)
}
