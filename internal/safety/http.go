package safety

import (
	"bufio"
	"context"
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the safety pages: the staff's dashboard, escalations,
// reports, appeals and cases; members' reports and their moderation page;
// and the screener tester.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the safety pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("safety", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.safety", Href: "/safety", Order: 75, Show: IsStaff})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the safety pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /safety", h.dashboard)
	rt.Handle("GET /safety/escalations/{id}", h.escalation)
	rt.Handle("POST /safety/escalations/{id}", h.updateEscalation)
	rt.Handle("POST /safety/escalations/{id}/release", h.release)
	rt.Handle("GET /safety/reports/{id}", h.report)
	rt.Handle("POST /safety/reports/{id}", h.decide)
	rt.Handle("POST /safety/appeals/{id}", h.decideAppeal)
	rt.Handle("GET /safety/cases/new", h.newCase)
	rt.Handle("POST /safety/cases", h.openCase)
	rt.Handle("GET /safety/cases/{id}", h.caseFile)
	rt.Handle("POST /safety/cases/{id}", h.updateCase)
	rt.Handle("GET /safety/screen", h.screenForm)
	rt.Handle("POST /safety/screen", h.screen)
	rt.Handle("GET /report", h.reportForm)
	rt.Handle("POST /report", h.fileReport)
	rt.Handle("GET /account/moderation", h.mine)
	rt.Handle("POST /account/moderation/{id}/appeal", h.appeal)
}

type dashboardView struct {
	Escalations []Escalation
	Reports     []Report
	Appeals     []Action
	Cases       []Case
	Groups      []StaffGroup
	All         bool
	CanTry      bool
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) error {
	return h.dashboardStatus(w, r, 0)
}

func (h *Handler) dashboardStatus(w http.ResponseWriter, r *http.Request, status int) error {
	ctx := r.Context()
	all := r.URL.Query().Get("all") == "1"
	esc, err := h.svc.Escalations(ctx, all, 100)
	if err != nil {
		return err
	}
	reps, err := h.svc.Reports(ctx, all, 100)
	if err != nil {
		return err
	}
	appeals, err := h.svc.Appeals(ctx)
	if err != nil {
		return err
	}
	cases, err := h.svc.Cases(ctx)
	if err != nil {
		return err
	}
	mine, err := h.svc.StaffGroups(ctx)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/dashboard", Status: status, Data: dashboardView{Escalations: esc, Reports: reps,
		Appeals: appeals, Cases: cases, Groups: mine, All: all, CanTry: auth.FromContext(ctx).CanAny(auth.PermModerate)}})
}

type escalationView struct {
	E        Escalation
	Statuses []string
}

func (h *Handler) escalationPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := h.svc.Escalation(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("status", e.Status)
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/escalation", Status: status, Form: f,
		Data: escalationView{E: e, Statuses: EscalationStatuses}})
}

func (h *Handler) escalation(w http.ResponseWriter, r *http.Request) error {
	return h.escalationPage(w, r, nil, 0)
}

func (h *Handler) updateEscalation(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: "/safety/escalations/" + strconv.FormatInt(id, 10)},
			h.svc.UpdateEscalation(r.Context(), id, f.Get("status"), f.Get("note"))
	}, func(f *web.Form) error { return h.escalationPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) release(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: "/safety/escalations/" + strconv.FormatInt(id, 10)},
			h.svc.ReleaseHeld(r.Context(), id, f.Get("release") == "1")
	}, func(f *web.Form) error { return h.escalationPage(w, r, f, http.StatusUnprocessableEntity) })
}

type reportView struct {
	R       Report
	Actions []string
}

func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := h.svc.ReportDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("hours", "24")
		f.Values.Set("days", "7")
	}
	acts := []string{ActDismiss, ActWarn, ActMute}
	if rep.Kind != groups.SourceMember {
		acts = []string{ActDismiss, ActHide, ActWarn, ActMute}
	}
	if rep.CanLead {
		acts = append(acts, ActSuspend, ActBan)
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/report", Status: status, Form: f, Data: reportView{R: rep, Actions: acts}})
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) error {
	return h.reportPage(w, r, nil, 0)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := ActionInput{Kind: f.Get("kind"), Reason: f.Get("reason"), Hours: f.Get("hours"), Days: f.Get("days")}
		return web.Outcome{Flash: "flash.saved", To: "/safety"}, h.svc.Decide(r.Context(), id, in)
	}, func(f *web.Form) error { return h.reportPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) decideAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if err := h.svc.DecideAppeal(r.Context(), id, f.Get("decision")); err != nil {
		if fe, ok := valid.As(err); ok {
			flash := "flash.choose_decision"
			if fe.Key == "safety.appeal.not_pending" {
				flash = "flash.appeal_not_pending"
			}
			web.SetFlash(w, r, flash)
			return h.dashboardStatus(w, r, http.StatusUnprocessableEntity)
		}
		return err
	}
	return web.Done(w, r, "flash.saved", "/safety#appeals")
}

type caseFormView struct {
	Group   groups.View
	Members []groups.Member
}

func (h *Handler) caseForm(w http.ResponseWriter, r *http.Request, groupID int64, f *web.Form, status int) error {
	v, members, err := h.svc.CaseMembers(r.Context(), groupID)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/case-new", Status: status, Form: f, Data: caseFormView{Group: v, Members: members}})
}

func (h *Handler) newCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.svc.StaffGroups(r.Context()); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.URL.Query().Get("group"), 10, 64)
	if err != nil || id <= 0 {
		return web.ErrNotFound
	}
	return h.caseForm(w, r, id, nil, 0)
}

func (h *Handler) openCase(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	groupID := f.Int("group")
	var parties []int64
	for _, v := range f.Values["party"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			parties = append(parties, n)
		}
	}
	id, err := h.svc.OpenCase(r.Context(), groupID, CaseInput{Parties: parties, Summary: f.Get("summary")})
	if err == nil {
		return web.Done(w, r, "flash.saved", "/safety/cases/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.caseForm(w, r, groupID, f, http.StatusUnprocessableEntity)
}

func (h *Handler) casePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/case", Status: status, Form: f, Data: c})
}

func (h *Handler) caseFile(w http.ResponseWriter, r *http.Request) error {
	return h.casePage(w, r, nil, 0)
}

func (h *Handler) updateCase(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := CaseUpdate{Note: f.Get("note"), Agreed: f.Get("agreed"), Outcome: f.Get("outcome"), Close: f.Get("close") == "1"}
		return web.Outcome{Flash: "flash.saved", To: "/safety/cases/" + strconv.FormatInt(id, 10)}, h.svc.UpdateCase(r.Context(), id, in)
	}, func(f *web.Form) error { return h.casePage(w, r, f, http.StatusUnprocessableEntity) })
}

// The screener tester: one message per line, each line's result beside it.

type screenLine struct {
	Text   string
	Result Result
}

type screenView struct {
	Lines []screenLine
}

func (h *Handler) screenForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.svc.CanTryScreen(r.Context()); err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/screen", Form: web.NewForm(), Data: screenView{}})
}

func (h *Handler) screen(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	lines, err := h.svc.TryScreen(r.Context(), f.Get("text"))
	status := http.StatusOK
	if err != nil {
		if !f.Check(err) {
			return err
		}
		status = http.StatusUnprocessableEntity
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/screen", Status: status, Form: f, Data: screenView{Lines: lines}})
}

// Members' reports.

type reportFormView struct {
	Kind    string
	ID      int64
	Content groups.Content
	Reasons []string
}

func (h *Handler) reportFormPage(w http.ResponseWriter, r *http.Request, kind string, id int64, f *web.Form, status int) error {
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	c, err := h.svc.groups.Content(r.Context(), kind, id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/report-new", Status: status, Form: f,
		Data: reportFormView{Kind: kind, ID: id, Content: c, Reasons: ReportReasons}})
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("id"), 10, 64)
	if err != nil || id <= 0 || !validKind(q.Get("kind")) {
		return web.ErrNotFound
	}
	return h.reportFormPage(w, r, q.Get("kind"), id, nil, 0)
}

func validKind(k string) bool {
	for _, x := range ReportKinds {
		if x == k {
			return true
		}
	}
	return false
}

func (h *Handler) fileReport(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	kind, id := f.Get("kind"), f.Int("id")
	_, err = h.svc.Report(r.Context(), kind, id, f.Get("reason"), f.Get("detail"))
	if err == nil {
		back := "/groups"
		if c, cerr := h.svc.groups.Content(r.Context(), kind, id); cerr == nil {
			back = c.Link
		}
		return web.Done(w, r, "flash.reported", back)
	}
	if !f.Check(err) {
		return err
	}
	if !validKind(kind) || id <= 0 {
		return web.ErrNotFound
	}
	if fe, ok := valid.As(err); ok && fe.Key == "safety.report.not_found" {
		return web.ErrNotFound
	}
	return h.reportFormPage(w, r, kind, id, f, http.StatusUnprocessableEntity)
}

type mineView struct {
	Actions []Action
}

func (h *Handler) minePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	acts, err := h.svc.MyActions(r.Context())
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "safety/mine", Status: status, Form: f, Data: mineView{Actions: acts}})
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) error { return h.minePage(w, r, nil, 0) }

func (h *Handler) appeal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.appeal_sent", To: "/account/moderation"}, h.svc.Appeal(r.Context(), id, f.Get("appeal"))
	}, func(f *web.Form) error { return h.minePage(w, r, f, http.StatusUnprocessableEntity) })
}

// CanTryScreen admits safety leads and network administrators to the
// screener tester.
func (s *Service) CanTryScreen(ctx context.Context) (*auth.Principal, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !p.CanAny(auth.PermModerate) {
		return nil, auth.ErrForbidden
	}
	return p, nil
}

// TryScreen screens each line of text, for a safety lead trying phrases.
// Nothing is stored and no one is alerted.
func (s *Service) TryScreen(ctx context.Context, text string) ([]screenLine, error) {
	if _, err := s.CanTryScreen(ctx); err != nil {
		return nil, err
	}
	text, fe := valid.Text("text", text, 1, 20000, true)
	if fe != nil {
		return nil, fe
	}
	var out []screenLine
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if len(out) == 200 {
			return nil, valid.Field("text", "safety.screen.too_many", "max", 200)
		}
		out = append(out, screenLine{Text: line, Result: Screen(line)})
	}
	return out, nil
}
