package groups

import (
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/web"
)

// attendanceRoutes adds the routes of attendance, notes and feedback.
func (h *Handler) attendanceRoutes(rt *web.Router) {
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/roll", h.markRoll)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/checkin-code", h.makeCheckInCode)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/checkin", h.checkIn)
	rt.Handle("GET /groups/{id}/sessions/{sid}/{occ}/notes", h.notes)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/notes", h.addNote)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/feedback", h.feedback)
	rt.Handle("GET /groups/{id}/attendance", h.history)
}

func occurrencePath(r *http.Request) string {
	return "/groups/" + r.PathValue("id") + "/sessions/" + r.PathValue("sid") + "/" + r.PathValue("occ")
}

// againOccurrence shows the meeting page again with a form's errors.
func (h *Handler) againOccurrence(w http.ResponseWriter, r *http.Request) func(*web.Form) error {
	return func(f *web.Form) error { return h.occurrencePage(w, r, f, http.StatusUnprocessableEntity) }
}

func (h *Handler) markRoll(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		var present []int64
		for _, v := range f.Values["present"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				present = append(present, n)
			}
		}
		return web.Outcome{Flash: "flash.saved", To: occurrencePath(r)}, h.svc.MarkRoll(r.Context(), id, sid, occ, present)
	}, h.againOccurrence(w, r))
}

func (h *Handler) makeCheckInCode(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.CheckInCode(r.Context(), id, sid, occ); err != nil {
		return err
	}
	return web.Done(w, r, "flash.checkin_code_ready", occurrencePath(r))
}

func (h *Handler) checkIn(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.checked_in", To: occurrencePath(r)}, h.svc.CheckIn(r.Context(), id, sid, occ, f.Get("code"))
	}, h.againOccurrence(w, r))
}

type notesView struct {
	View  View
	Occ   Occurrence
	Notes []Note
}

func (h *Handler) notesPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	notes, err := h.svc.Notes(r.Context(), id, sid, occ)
	if err != nil {
		return err
	}
	v, o, err := h.svc.Occurrence(r.Context(), id, sid, occ)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/notes", Status: status, Form: f, Data: notesView{View: v, Occ: o, Notes: notes}})
}

func (h *Handler) notes(w http.ResponseWriter, r *http.Request) error {
	return h.notesPage(w, r, nil, 0)
}

func (h *Handler) addNote(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: occurrencePath(r) + "/notes"}, h.svc.AddNote(r.Context(), id, sid, occ, f.Get("note"))
	}, func(f *web.Form) error { return h.notesPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) feedback(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := FeedbackInput{Helpful: f.Get("helpful"), Safe: f.Get("safe"), Comment: f.Get("comment")}
		sc, err := h.svc.GiveFeedback(r.Context(), id, sid, occ, in)
		return helpCard(web.Outcome{Flash: "flash.feedback_thanks", To: occurrencePath(r)}, sc), err
	}, h.againOccurrence(w, r))
}

type historyView struct {
	View View
	Rows []HistoryRow
}

func (h *Handler) history(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rows, err := h.svc.History(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/attendance", Data: historyView{View: v, Rows: rows}})
}
