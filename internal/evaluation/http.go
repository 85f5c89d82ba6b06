package evaluation

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /evaluation.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the evaluation pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("evaluation", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.evaluation", Href: "/evaluation", Order: 60, Show: func(p *auth.Principal) bool {
		return p != nil && (p.SiteAdmin || p.CanAny(auth.PermViewOutcomes) || p.HasRole(auth.RoleFacilitator))
	}})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the evaluation pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /evaluation", h.dashboard)
	rt.Handle("POST /evaluation/exports", h.startExport)
	rt.Handle("GET /evaluation/exports/{id}", h.exportPage)
	rt.Handle("GET /evaluation/exports/{id}/file", h.exportFile)
	rt.Handle("GET /evaluation/reports", h.reports)
	rt.Handle("GET /evaluation/reports/new", h.newReport)
	rt.Handle("POST /evaluation/reports", h.createReport)
	rt.Handle("GET /evaluation/reports/{id}", h.report)
	rt.Handle("GET /evaluation/reports/{id}/edit", h.editReport)
	rt.Handle("POST /evaluation/reports/{id}", h.updateReport)
	rt.Handle("GET /evaluation/reports/{id}/delete", h.confirmDelete)
	rt.Handle("POST /evaluation/reports/{id}/delete", h.deleteReport)
}

// dashView is the dashboard page.
type dashView struct {
	Figures   *Figures
	Orgs      []Option
	Groups    []Option
	Topics    []string
	CanExport bool
	Reports   bool
	None      bool // the caller facilitates no group yet and sees nothing else
	// ExportError is why an export could not start (a known message key).
	ExportError string
}

// exportErrors are the messages an export's start may send back.
var exportErrors = map[string]bool{"evaluation.export.busy": true, "evaluation.export.busy_you": true, "form.choose": true,
	"form.required": true, "form.date": true, "evaluation.period_order": true, "evaluation.period_long": true}

func filterForm(r *http.Request) *web.Form {
	return web.DecodeValues(r.URL.Query())
}

func (h *Handler) parseFilter(f *web.Form) (Filter, error) {
	return h.svc.ParseFilter(f.Get("from"), f.Get("to"), f.Get("org"), f.Get("group"), f.Get("topic"))
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	form := filterForm(r)
	v := dashView{Topics: h.svc.Topics}
	a, err := h.svc.viewer(ctx)
	if err != nil {
		return err
	}
	if !a.any() {
		if !p.HasRole(auth.RoleFacilitator) {
			return auth.ErrForbidden
		}
		v.None = true
		return h.rd.Render(w, r, web.Page{Name: "evaluation/dashboard", Form: form, Data: v})
	}
	status := 0
	f, err := h.parseFilter(form)
	if err != nil {
		if !form.Check(err) {
			return err
		}
		status = http.StatusUnprocessableEntity
		f, _ = h.svc.ParseFilter("", "", form.Get("org"), form.Get("group"), "")
	}
	if v.Orgs, v.Groups, err = h.svc.Options(ctx, f); err != nil {
		return err
	}
	d, err := h.svc.Dashboard(ctx, f)
	if err != nil {
		return err
	}
	if form.Get("from") == "" {
		form.Values.Set("from", f.From.Format("2006-01-02"))
	}
	if form.Get("to") == "" {
		form.Values.Set("to", f.LastDay().Format("2006-01-02"))
	}
	v.Figures = NewFigures(d, h.rd.Bundle(), web.Lang(r), "")
	_, _, err = h.svc.exportScope(ctx, f)
	v.CanExport = err == nil
	v.Reports = a.network || len(a.orgs) > 0
	if k := form.Get("export_error"); exportErrors[k] {
		v.ExportError = k
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/dashboard", Status: status, Form: form, Data: v})
}

func (h *Handler) startExport(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	filter, err := h.parseFilter(f)
	if err == nil {
		var id string
		id, err = h.svc.StartExport(r.Context(), filter, f.Get("format"))
		if err == nil {
			http.Redirect(w, r, "/evaluation/exports/"+id, http.StatusSeeOther)
			return nil
		}
	}
	fe, ok := valid.As(err)
	if !ok {
		return err
	}
	// Back to the dashboard with the message, keeping the filters.
	q := url.Values{}
	for _, k := range []string{"from", "to", "org", "group", "topic"} {
		if v := f.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("export_error", fe.Key)
	http.Redirect(w, r, "/evaluation?"+q.Encode()+"#exports", http.StatusSeeOther)
	return nil
}

func (h *Handler) exportPage(w http.ResponseWriter, r *http.Request) error {
	run, err := h.svc.ExportRun(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/export", Data: run})
}

func (h *Handler) exportFile(w http.ResponseWriter, r *http.Request) error {
	file, name, at, err := h.svc.ExportFile(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer file.Close()
	ctype := "text/csv; charset=utf-8"
	if name == fileName(FormatFHIR) {
		ctype = "application/fhir+json"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, name, at, file)
	return nil
}

func (h *Handler) reports(w http.ResponseWriter, r *http.Request) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	list, more, err := h.svc.Reports(r.Context(), page)
	if err != nil {
		return err
	}
	orgs, err := h.svc.ReportOrgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/reports", Data: struct {
		Reports []Report
		Orgs    []Option
		Page    int
		More    bool
	}{list, orgs, page, more}})
}

// formView is the report form.
type formView struct {
	Report Report // ID 0 for a new report
	Orgs   []Option
	Groups []Option
	Chosen map[int64]bool
}

func (h *Handler) formPage(w http.ResponseWriter, r *http.Request, f *web.Form, v formView, status int) error {
	var err error
	if v.Report.OrgID != 0 {
		if v.Groups, err = h.svc.OrgGroups(r.Context(), v.Report.OrgID); err != nil {
			return err
		}
	}
	v.Chosen = map[int64]bool{}
	for _, g := range f.Values["groups"] {
		if id, err := strconv.ParseInt(g, 10, 64); err == nil {
			v.Chosen[id] = true
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/report_form", Status: status, Form: f, Data: v})
}

func (h *Handler) newReport(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.svc.ReportOrgs(r.Context())
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return auth.ErrForbidden
	}
	v := formView{Orgs: orgs}
	org, _ := strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	for _, o := range orgs {
		if o.ID == org || len(orgs) == 1 {
			v.Report.OrgID = o.ID
		}
	}
	f := web.NewForm()
	if v.Report.OrgID != 0 {
		f.Values.Set("org", strconv.FormatInt(v.Report.OrgID, 10))
	}
	now := h.svc.now().In(h.svc.Zone)
	start := monthStart(now).AddDate(0, -3, 0)
	f.Values.Set("from", start.Format("2006-01-02"))
	f.Values.Set("to", monthStart(now).AddDate(0, 0, -1).Format("2006-01-02"))
	return h.formPage(w, r, f, v, 0)
}

func reportInput(f *web.Form) ReportInput {
	return ReportInput{Title: f.Get("title"), From: f.Get("from"), To: f.Get("to"), Narrative: f.Get("narrative"), Groups: f.Values["groups"]}
}

func (h *Handler) createReport(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	orgs, err := h.svc.ReportOrgs(r.Context())
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return auth.ErrForbidden
	}
	org := f.Int("org")
	if org <= 0 && len(orgs) == 1 {
		org = orgs[0].ID
	}
	if org <= 0 {
		f.Fail(valid.Field("org", "form.choose"))
		return h.formPage(w, r, f, formView{Orgs: orgs}, http.StatusUnprocessableEntity)
	}
	id, err := h.svc.CreateReport(r.Context(), org, reportInput(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/evaluation/reports/"+strconv.FormatInt(id, 10))
	}
	if !f.Check(err) {
		return err
	}
	return h.formPage(w, r, f, formView{Report: Report{OrgID: org}, Orgs: orgs}, http.StatusUnprocessableEntity)
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rv, err := h.svc.Report(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/report", Data: struct {
		ReportView
		Figures *Figures
		Printed time.Time
	}{rv, NewFigures(rv.Dashboard, h.rd.Bundle(), web.Lang(r), "r-"), h.svc.now().In(h.svc.Zone)}})
}

func (h *Handler) editReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := h.svc.EditReport(r.Context(), id)
	if err != nil {
		return err
	}
	f := web.NewForm()
	f.Values.Set("title", rep.Title)
	f.Values.Set("from", rep.From.Format("2006-01-02"))
	f.Values.Set("to", rep.LastDay().Format("2006-01-02"))
	f.Values.Set("narrative", rep.Narrative)
	for _, g := range rep.GroupIDs {
		f.Values.Add("groups", strconv.FormatInt(g, 10))
	}
	return h.formPage(w, r, f, formView{Report: rep}, 0)
}

func (h *Handler) updateReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := h.svc.EditReport(r.Context(), id)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: "/evaluation/reports/" + strconv.FormatInt(id, 10)},
			h.svc.UpdateReport(r.Context(), id, reportInput(f))
	}, func(f *web.Form) error {
		return h.formPage(w, r, f, formView{Report: rep}, http.StatusUnprocessableEntity)
	})
}

func (h *Handler) confirmDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := h.svc.EditReport(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "evaluation/report_delete", Data: rep})
}

func (h *Handler) deleteReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	if err := h.svc.DeleteReport(r.Context(), id); err != nil {
		return err
	}
	return web.Done(w, r, "flash.deleted", "/evaluation/reports")
}
