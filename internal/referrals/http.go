package referrals

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /referrals.
type Handler struct {
	svc *Service
	rd  *web.Renderer
	// BaseURL is this Rangkul's public address, printed on invitations;
	// empty uses the address the request came to.
	BaseURL string
}

// New parses the referral pages and adds the navigation entry.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("referrals", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.referrals", Href: "/referrals", Order: 35, Show: func(p *auth.Principal) bool {
		return IsProfessional(p) || CanReport(p) || p.HasRole(auth.RoleFacilitator)
	}})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the referral pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /referrals", h.index)
	rt.Handle("GET /referrals/new", h.newForm)
	rt.Handle("POST /referrals", h.create)
	rt.Handle("GET /referrals/claim", h.claimForm)
	rt.Handle("POST /referrals/claim", h.claim)
	rt.Handle("GET /referrals/report", h.report)
	rt.Handle("GET /referrals/{id}", h.show)
	rt.Handle("POST /referrals/{id}/accept", h.accept)
	rt.Handle("POST /referrals/{id}/decline", h.decline)
	rt.Handle("POST /referrals/{id}/code", h.newCode)
	rt.Handle("POST /referrals/{id}/attended", h.attended)
	rt.Handle("POST /referrals/{id}/close", h.close)
}

type indexView struct {
	View             string // "sent", "received" or "mine"
	Status           string
	Statuses         []string
	Refers, Receives bool
	CanReport        bool
	List             Page
	Mine             []Referral
	PrevURL, NextURL string
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	refers, receives, err := h.svc.Roles(ctx)
	if err != nil {
		return err
	}
	mine, err := h.svc.Mine(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := indexView{View: q.Get("view"), Status: validStatus(q.Get("status")), Statuses: Statuses, Refers: refers, Receives: receives,
		CanReport: CanReport(auth.FromContext(ctx)), Mine: mine}
	if v.View != "sent" && v.View != "received" && v.View != "mine" {
		switch {
		case refers:
			v.View = "sent"
		case receives:
			v.View = "received"
		default:
			v.View = "mine"
		}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	switch v.View {
	case "sent":
		v.List, err = h.svc.Sent(ctx, v.Status, page)
	case "received":
		v.List, err = h.svc.Received(ctx, v.Status, page)
	}
	if err != nil {
		return err
	}
	link := func(n int) string {
		u := url.Values{"view": {v.View}, "page": {strconv.Itoa(n)}}
		if v.Status != "" {
			u.Set("status", v.Status)
		}
		return "/referrals?" + u.Encode()
	}
	if v.List.Page > 1 {
		v.PrevURL = link(v.List.Page - 1)
	}
	if v.List.Page < v.List.Pages {
		v.NextURL = link(v.List.Page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "referrals/index", Data: v})
}

type formView struct {
	Choices        FormChoices
	ConsentMethods []string
	InviteLangs    []string
	ServicesNamed  bool
}

func (h *Handler) formPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	fc, err := h.svc.Choices(r.Context())
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("kind", KindGroup)
		f.Values.Set("invite_lang", web.Lang(r))
		f.Values.Set("consent_on", time.Now().In(h.zone()).Format("2006-01-02"))
		if g := r.URL.Query().Get("group"); g != "" {
			f.Values.Set("group_id", g)
		}
		if sv := r.URL.Query().Get("service"); sv != "" {
			f.Values.Set("kind", KindService)
			f.Values.Set("service_id", sv)
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "referrals/new", Status: status, Form: f, Data: formView{Choices: fc,
		ConsentMethods: ConsentMethods, InviteLangs: InviteLangs, ServicesNamed: h.svc.Services != nil}})
}

func (h *Handler) zone() *time.Location {
	if h.svc.Zone != nil {
		return h.svc.Zone
	}
	return time.UTC
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.formPage(w, r, nil, 0)
}

func inputOf(f *web.Form) Input {
	return Input{OrgID: f.Int("org"), Kind: f.Get("kind"), GroupID: f.Int("group_id"), ServiceID: f.Get("service_id"),
		DestOrgID: f.Int("dest_org"), Name: f.Get("name"), Contact: f.Get("contact"), Email: f.Get("email"), Reason: f.Get("reason"),
		InviteLang: f.Get("invite_lang"), Consent: f.Get("consent") == "1", ConsentMethod: f.Get("consent_method"), ConsentOn: f.Get("consent_on")}
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	in := inputOf(f)
	// Every field is checked first, so all messages show at once.
	errs, err := h.svc.Check(r.Context(), in)
	if err != nil {
		return err
	}
	for _, e := range errs {
		f.Fail(e)
	}
	if f.OK() {
		id, err := h.svc.Create(r.Context(), in)
		if err == nil {
			return web.Done(w, r, "flash.referral_sent", "/referrals/"+strconv.FormatInt(id, 10))
		}
		if !f.Check(err) {
			return err
		}
	}
	return h.formPage(w, r, f, http.StatusUnprocessableEntity)
}

type showView struct {
	R              Referral
	DeclineReasons []string
	Today          string
}

func (h *Handler) showPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ref, err := h.svc.Referral(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "referrals/referral", Status: status, Form: f, Data: showView{R: ref,
		DeclineReasons: DeclineReasons, Today: time.Now().In(h.zone()).Format("2006-01-02")}})
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) error { return h.showPage(w, r, nil, 0) }

// step runs one action on a referral: on success back to its page with a
// message; a refused step shows the page again with why, and nothing changed.
func (h *Handler) step(w http.ResponseWriter, r *http.Request, flash string, do func(id int64, f *web.Form) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: flash, To: "/referrals/" + strconv.FormatInt(id, 10)}, do(id, f)
	}, func(f *web.Form) error { return h.showPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) decline(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "flash.referral_declined", func(id int64, f *web.Form) error {
		return h.svc.Decline(r.Context(), id, f.Get("decline_reason"))
	})
}

func (h *Handler) attended(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "flash.saved", func(id int64, f *web.Form) error {
		return h.svc.RecordAttended(r.Context(), id, f.Get("attended_on"))
	})
}

func (h *Handler) close(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "flash.referral_closed", func(id int64, _ *web.Form) error { return h.svc.Close(r.Context(), id) })
}

type invitationView struct {
	R     Referral
	Code  string
	Link  string
	First bool // just accepted
}

// invitation shows a fresh code once, to print or read out; the response is
// not stored by the browser (the renderer's no-store).
func (h *Handler) invitation(w http.ResponseWriter, r *http.Request, first bool, make func(id int64) (string, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	code, err := make(id)
	if err != nil {
		if !f.Check(err) {
			return err
		}
		return h.showPage(w, r, f, http.StatusUnprocessableEntity)
	}
	ref, err := h.svc.Referral(r.Context(), id)
	if err != nil {
		return err
	}
	base := h.BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return h.rd.Render(w, r, web.Page{Name: "referrals/invitation", Data: invitationView{R: ref, Code: code, Link: base + "/referrals/claim", First: first}})
}

func (h *Handler) accept(w http.ResponseWriter, r *http.Request) error {
	return h.invitation(w, r, true, func(id int64) (string, error) { return h.svc.Accept(r.Context(), id) })
}

func (h *Handler) newCode(w http.ResponseWriter, r *http.Request) error {
	return h.invitation(w, r, false, func(id int64) (string, error) { return h.svc.NewCode(r.Context(), id) })
}
