package directory

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

type manageView struct {
	*ManagePage
	PrevURL, NextURL string
	Shows            []string
}

func (h *Handler) manage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	m, err := h.svc.Manage(r.Context(), ManageQuery{Text: q.Get("q"), Show: q.Get("show"), Page: page})
	if err != nil {
		return err
	}
	v := manageView{ManagePage: m, Shows: []string{ShowNever, ShowStale, ShowProblems}}
	link := func(p int) string {
		u := url.Values{}
		if m.Query.Text != "" {
			u.Set("q", m.Query.Text)
		}
		if m.Query.Show != "" {
			u.Set("show", m.Query.Show)
		}
		u.Set("page", strconv.Itoa(p))
		return "/services/manage?" + u.Encode()
	}
	if m.Page > 1 {
		v.PrevURL = link(min(m.Page-1, m.Pages))
	}
	if m.Page < m.Pages {
		v.NextURL = link(m.Page + 1)
	}
	return h.rd.Render(w, r, web.Page{Name: "directory/manage", Data: v})
}

type editView struct {
	*Editing
	Action       string
	Statuses     []statusOption
	Costs        []string
	Languages    []LanguageChoice
	Weekdays     []weekdayView
	PhoneRows    []int
	ChosenTerms  map[string]bool
	ChosenLangs  map[string]bool
	PhoneIDs     []string
	PhoneNumbers []string
	PhoneDescs   []string
	CancelURL    string
	IsNew        bool
	HasOnline    bool
	HasPhysical  bool
}

type statusOption struct{ Value, Key string }

type weekdayView struct {
	Code, Lower   string
	Day           int
	Opens, Closes string
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request, id string, f *web.Form, status int) error {
	e, values, err := h.svc.Edit(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values = values
	}
	v := editView{Editing: e, Costs: Costs, Languages: LanguageChoices, ChosenTerms: map[string]bool{},
		ChosenLangs: map[string]bool{}, IsNew: id == "", HasOnline: f.Get("online") == "1", HasPhysical: f.Get("in_person") == "1"}
	for _, st := range Statuses {
		v.Statuses = append(v.Statuses, statusOption{st, StatusKey(st)})
	}
	if id == "" {
		v.Action, v.CancelURL = "/services/manage/new", "/services/manage"
	} else {
		v.Action, v.CancelURL = "/services/"+url.PathEscape(id)+"/edit", "/services/"+url.PathEscape(id)
	}
	for _, t := range f.Values["term"] {
		v.ChosenTerms[t] = true
	}
	for _, l := range f.Values["language"] {
		v.ChosenLangs[l] = true
	}
	for _, d := range Weekdays {
		lower := lowerCode(d.Code)
		v.Weekdays = append(v.Weekdays, weekdayView{Code: d.Code, Lower: lower, Day: d.Day, Opens: f.Get("opens_" + lower), Closes: f.Get("closes_" + lower)})
	}
	v.PhoneIDs, v.PhoneNumbers, v.PhoneDescs = f.Values["phone_id"], f.Values["phone_number"], f.Values["phone_description"]
	rows := max(len(v.PhoneNumbers)+1, 2)
	for i := 0; i < rows; i++ {
		v.PhoneRows = append(v.PhoneRows, i)
	}
	return h.rd.Render(w, r, web.Page{Name: "directory/edit", Status: status, Form: f, Data: v})
}

func lowerCode(c string) string {
	b := []byte(c)
	for i := range b {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.editPage(w, r, "", nil, 0)
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) error {
	return h.editPage(w, r, r.PathValue("id"), nil, 0)
}

func (h *Handler) save(w http.ResponseWriter, r *http.Request, id string) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	newID, err := h.svc.Save(r.Context(), id, InputFromValues(f.Values))
	if err == nil {
		return web.Done(w, r, "flash.directory_saved", "/services/"+url.PathEscape(newID))
	}
	if !f.Check(err) {
		return err
	}
	return h.editPage(w, r, id, f, http.StatusUnprocessableEntity)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error { return h.save(w, r, "") }

func (h *Handler) update(w http.ResponseWriter, r *http.Request) error {
	return h.save(w, r, r.PathValue("id"))
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if err := h.svc.Verify(r.Context(), id); err != nil {
		return err
	}
	return web.Done(w, r, "flash.directory_verified", web.LocalPath(f.Get("next"), "/services/"+url.PathEscape(id)))
}

func (h *Handler) confirm(action string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		e, _, err := h.svc.Edit(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		return h.rd.Render(w, r, web.Page{Name: "directory/confirm", Data: struct {
			S      *Editing
			Action string
			Path   string
		}{e, action, url.PathEscape(e.S.ID)}})
	}
}

func (h *Handler) deactivate(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	if err := h.svc.Deactivate(r.Context(), id); err != nil {
		return err
	}
	return web.Done(w, r, "flash.directory_deactivated", "/services/"+url.PathEscape(id))
}

func (h *Handler) remove(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	if err := h.svc.Delete(r.Context(), id); err != nil {
		return err
	}
	return web.Done(w, r, "flash.directory_deleted", "/services/manage")
}

type problemsView struct {
	Reports          []Report
	Status           string
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	Active           int64 // the report whose form shows an error
}

func (h *Handler) problemsPage(w http.ResponseWriter, r *http.Request, status string, page int, f *web.Form, active int64, code int) error {
	reports, total, err := h.svc.Reports(r.Context(), status, page)
	if err != nil {
		return err
	}
	if status != ReportOpen {
		status = "handled"
	}
	v := problemsView{Reports: reports, Status: status, Total: total, Page: max(page, 1), Pages: max((total+ReportsPerPage-1)/ReportsPerPage, 1), Active: active}
	link := func(p int) string {
		return "/services/manage/problems?status=" + status + "&page=" + strconv.Itoa(p)
	}
	if v.Page > 1 {
		v.PrevURL = link(min(v.Page-1, v.Pages))
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "directory/problems", Status: code, Form: f, Data: v})
}

func (h *Handler) problems(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := q.Get("status")
	if status == "" {
		status = ReportOpen
	}
	page, _ := strconv.Atoi(q.Get("page"))
	return h.problemsPage(w, r, status, page, nil, 0, 0)
}

func (h *Handler) handleProblem(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "report")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	action := f.Get("action")
	if action != "resolve" && action != "dismiss" {
		f.Fail(valid.Field("answer", "directory.problems.choose_action"))
		return h.problemsPage(w, r, ReportOpen, 1, f, id, http.StatusUnprocessableEntity)
	}
	err = h.svc.HandleReport(r.Context(), id, action == "resolve", f.Get("answer"))
	switch {
	case err == nil:
		return web.Done(w, r, map[bool]string{true: "flash.directory_resolved", false: "flash.directory_dismissed"}[action == "resolve"], "/services/manage/problems")
	case errors.Is(err, ErrHandled):
		return web.Done(w, r, "flash.directory_handled", "/services/manage/problems")
	case f.Check(err):
		return h.problemsPage(w, r, ReportOpen, 1, f, id, http.StatusUnprocessableEntity)
	}
	return err
}
