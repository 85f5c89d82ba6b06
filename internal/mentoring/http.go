package mentoring

import (
	"embed"
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /mentoring.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the mentoring pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("mentoring", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.mentoring", Href: "/mentoring", Order: 20, Show: func(p *auth.Principal) bool { return p != nil }})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the mentoring pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /mentoring", h.mine)
	rt.Handle("POST /mentoring/profile", h.saveProfile)
	rt.Handle("POST /mentoring/requests", h.ask)
	rt.Handle("GET /mentoring/coordinate/{org}", h.coordinate)
	rt.Handle("POST /mentoring/coordinate/{org}/match", h.match)
	rt.Handle("GET /mentoring/pairs/{id}", h.pair)
	rt.Handle("POST /mentoring/pairs/{id}/accept", h.accept)
	rt.Handle("POST /mentoring/pairs/{id}/checkins", h.checkIn)
	rt.Handle("POST /mentoring/pairs/{id}/end", h.end)
}

type mineView struct {
	Mine                             Mine
	Forms                            []profileForm
	Topics                           map[string]bool // the request form's ticked topics
	Languages, Genders, Modes, Areas []string
	FormOrg                          int64 // which profile form the errors belong to
}

// profileForm is one profile with its ticked choices: the saved ones, or
// what was just sent when it comes back with a message.
type profileForm struct {
	P            Profile
	Langs, Areas map[string]bool
	Errors       bool
}

func ticked(list []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range list {
		m[x] = true
	}
	return m
}

func (h *Handler) minePage(w http.ResponseWriter, r *http.Request, f *web.Form, formOrg int64, status int) error {
	m, err := h.svc.MyMentoring(r.Context())
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	v := mineView{Mine: m, Languages: Languages, Genders: Genders, Modes: Modes, Areas: Areas, FormOrg: formOrg,
		Topics: ticked(f.Values["topics"])}
	for _, p := range m.Profiles {
		pf := profileForm{P: p, Langs: ticked(p.Languages), Areas: ticked(p.Areas)}
		if formOrg == p.OrgID { // show what was sent, with the messages
			pf.Errors = true
			pf.Langs, pf.Areas = ticked(f.Values["languages"]), ticked(f.Values["areas"])
			pf.P.DisplayName, pf.P.Gender, pf.P.Region = f.Get("display_name"), f.Get("gender"), f.Get("region")
			pf.P.Availability = f.Get("availability")
			pf.P.Online, pf.P.InPerson, pf.P.Active = f.Get("online") == "1", f.Get("in_person") == "1", f.Get("active") == "1"
			if n, err := strconv.Atoi(f.Get("capacity")); err == nil {
				pf.P.Capacity = n
			}
		}
		v.Forms = append(v.Forms, pf)
	}
	return h.rd.Render(w, r, web.Page{Name: "mentoring/mine", Status: status, Form: f, Data: v})
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) error {
	return h.minePage(w, r, nil, 0, 0)
}

func (h *Handler) saveProfile(w http.ResponseWriter, r *http.Request) error {
	var org int64
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		org = f.Int("org")
		in := ProfileInput{DisplayName: f.Get("display_name"), Gender: f.Get("gender"), Region: f.Get("region"),
			Availability: f.Get("availability"), Capacity: f.Get("capacity"), Languages: f.Values["languages"], Areas: f.Values["areas"],
			Online: f.Get("online") == "1", InPerson: f.Get("in_person") == "1", Active: f.Get("active") == "1"}
		return web.Outcome{Flash: "flash.saved", To: "/mentoring"}, h.svc.SaveProfile(r.Context(), org, in)
	}, func(f *web.Form) error { return h.minePage(w, r, f, org, http.StatusUnprocessableEntity) })
}

func (h *Handler) ask(w http.ResponseWriter, r *http.Request) error {
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := RequestInput{Org: f.Int("org"), DisplayName: f.Get("display_name"), Language: f.Get("language"), Gender: f.Get("gender"),
			Mode: f.Get("mode"), Region: f.Get("region"), Note: f.Get("note"), Topics: f.Values["topics"]}
		_, err := h.svc.Ask(r.Context(), in)
		return web.Outcome{Flash: "flash.mentor_asked", To: "/mentoring"}, err
	}, func(f *web.Form) error { return h.minePage(w, r, f, 0, http.StatusUnprocessableEntity) })
}

func (h *Handler) coordinate(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	d, err := h.svc.Coordinate(r.Context(), org)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "mentoring/coordinate", Data: struct {
		D       Dashboard
		Reasons []string
	}{d, EndReasons}})
}

func (h *Handler) match(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	if _, err := h.svc.RunMatching(r.Context(), org); err != nil {
		return err
	}
	return web.Done(w, r, "flash.matching_done", "/mentoring/coordinate/"+strconv.FormatInt(org, 10))
}

func (h *Handler) pairPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.Pair(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "mentoring/pair", Status: status, Form: f, Data: struct {
		P       PairView
		Reasons []string
	}{v, EndReasons}})
}

func (h *Handler) pair(w http.ResponseWriter, r *http.Request) error { return h.pairPage(w, r, nil, 0) }

func (h *Handler) pairAction(w http.ResponseWriter, r *http.Request, do func(f *web.Form, id int64) (string, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		flash, err := do(f, id)
		return web.Outcome{Flash: flash, To: "/mentoring/pairs/" + strconv.FormatInt(id, 10)}, err
	}, func(f *web.Form) error { return h.pairPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) accept(w http.ResponseWriter, r *http.Request) error {
	return h.pairAction(w, r, func(f *web.Form, id int64) (string, error) {
		return "flash.saved", h.svc.Accept(r.Context(), id, f.Get("accept") == "1")
	})
}

func (h *Handler) checkIn(w http.ResponseWriter, r *http.Request) error {
	return h.pairAction(w, r, func(f *web.Form, id int64) (string, error) {
		flagged, err := h.svc.LogCheckIn(r.Context(), id, f.Get("body"))
		if flagged {
			return "flash.checkin_flagged", err
		}
		return "flash.saved", err
	})
}

func (h *Handler) end(w http.ResponseWriter, r *http.Request) error {
	return h.pairAction(w, r, func(f *web.Form, id int64) (string, error) {
		return "flash.saved", h.svc.End(r.Context(), id, f.Get("reason"), f.Get("feedback"))
	})
}
