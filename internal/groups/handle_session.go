package groups

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/calendar"
	"github.com/rangkul/rangkul/internal/web"
)

// sessionRoutes adds the routes of sessions, places and calendar feeds.
func (h *Handler) sessionRoutes(rt *web.Router) {
	rt.Handle("GET /groups/{id}/sessions/new", h.sessionForm)
	rt.Handle("POST /groups/{id}/sessions", h.createSession)
	rt.Handle("GET /groups/{id}/sessions/{sid}/{occ}", h.occurrence)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/rsvp", h.rsvp)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/change", h.changeOccurrence)
	rt.Handle("GET /groups/{id}/calendar.ics", h.groupFeed)
	rt.Handle("GET /calendar/{token}", h.personalFeed)
	rt.Handle("POST /groups/calendar-link", h.newCalendarLink)
	rt.Handle("POST /groups/calendar-link/revoke", h.revokeCalendarLink)
	h.guestRoutes(rt)
	h.attendanceRoutes(rt)
	h.boardRoutes(rt)
	h.pollRoutes(rt)
	h.roomRoutes(rt)
}

type sessionFormView struct {
	View    View
	Repeats []string
	Zone    string
}

func (h *Handler) sessionPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
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
		f = web.NewForm()
		f.Values.Set("minutes", "90")
		f.Values.Set("time", "19:00")
		f.Values.Set("repeat", "weekly")
		f.Values.Set("capacity", strconv.Itoa(v.Group.Capacity))
		f.Values.Set("place", v.Group.Place)
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/session-form", Status: status, Form: f,
		Data: sessionFormView{View: v, Repeats: append(Repeats, "custom"), Zone: h.svc.zone().String()}})
}

func (h *Handler) sessionForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.sessionPage(w, r, id, nil, 0)
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		_, err := h.svc.CreateSession(r.Context(), id, SessionInput{Title: f.Get("title"), Date: f.Get("date"), Time: f.Get("time"),
			Minutes: f.Get("minutes"), Repeat: f.Get("repeat"), RRule: f.Get("rrule"), Until: f.Get("until"), Count: f.Get("count"),
			Capacity: f.Get("capacity"), Place: f.Get("place")})
		return web.Outcome{Flash: "flash.session_created", To: "/groups/" + strconv.FormatInt(id, 10)}, err
	}, func(f *web.Form) error { return h.sessionPage(w, r, id, f, http.StatusUnprocessableEntity) })
}

// occurrenceIDs reads {id}, {sid} and {occ} (the original start, Unix seconds).
func occurrenceIDs(r *http.Request) (int64, int64, int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, 0, 0, err
	}
	sid, err := web.PathID(r, "sid")
	if err != nil {
		return 0, 0, 0, err
	}
	occ, err := web.PathID(r, "occ")
	if err != nil {
		return 0, 0, 0, err
	}
	return id, sid, occ, nil
}

type occurrenceView struct {
	View    View
	Occ     Occurrence
	State   MeetingState
	Roll    []RollRow
	Summary FeedbackSummary
	Code    string
	Scores  []int
}

func (h *Handler) occurrencePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, sid, occ, err := occurrenceIDs(r)
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
	ov := occurrenceView{View: v, Occ: o, Scores: []int{1, 2, 3, 4, 5}}
	if ov.State, err = h.svc.MyMeetingState(r.Context(), o); err != nil {
		return err
	}
	if v.CanManage {
		if ov.Roll, err = h.svc.Roll(r.Context(), id, sid, occ); err != nil {
			return err
		}
		if ov.Summary, err = h.svc.Summary(r.Context(), id, sid, occ); err != nil {
			return err
		}
		if ov.Code, err = h.svc.CurrentCheckInCode(r.Context(), id, sid, occ); err != nil {
			return err
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/occurrence", Status: status, Form: f, Data: ov})
}

func (h *Handler) occurrence(w http.ResponseWriter, r *http.Request) error {
	return h.occurrencePage(w, r, nil, 0)
}

func (h *Handler) rsvp(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	flash := "flash.rsvp_yes"
	if f.Get("going") == "0" {
		err, flash = h.svc.CancelRSVP(r.Context(), id, sid, occ), "flash.rsvp_no"
	} else {
		err = h.svc.RSVP(r.Context(), id, sid, occ)
	}
	if err == nil {
		return web.Done(w, r, flash, r.URL.Path[:strings.LastIndex(r.URL.Path, "/")])
	}
	if !f.Check(err) {
		return err
	}
	return h.occurrencePage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) changeOccurrence(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		err := h.svc.ChangeOccurrence(r.Context(), id, sid, occ, f.Get("new_date"), f.Get("new_time"), f.Get("reason"))
		out := web.Outcome{Flash: "flash.session_moved", To: "/groups/" + strconv.FormatInt(id, 10)}
		if strings.TrimSpace(f.Get("new_date")) == "" {
			out.Flash = "flash.session_cancelled"
		}
		return out, err
	}, h.againOccurrence(w, r))
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func writeFeed(w http.ResponseWriter, name string, events []calendar.Event) error {
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, name, events); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err := w.Write(buf.Bytes())
	return err
}

func (h *Handler) groupFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	name, events, err := h.svc.GroupFeed(r.Context(), id, baseURL(r))
	if err != nil {
		return err
	}
	return writeFeed(w, name+" · Rangkul", events)
}

func (h *Handler) personalFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	events, err := h.svc.PersonalFeed(r.Context(), token, baseURL(r))
	if err != nil {
		return err
	}
	return writeFeed(w, "Rangkul", events)
}

type linkView struct{ URL string }

func (h *Handler) newCalendarLink(w http.ResponseWriter, r *http.Request) error {
	token, err := h.svc.NewCalendarLink(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/calendar-link", Data: linkView{URL: baseURL(r) + "/calendar/" + token + ".ics"}})
}

func (h *Handler) revokeCalendarLink(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.RevokeCalendarLink(r.Context()); err != nil {
		return err
	}
	return web.Done(w, r, "flash.calendar_link_revoked", "/groups/mine")
}

// upcomingSpan is how far ahead a group page lists meetings.
const upcomingSpan = 6 * 7 * 24 * time.Hour
