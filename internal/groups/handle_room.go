package groups

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/live"
	"github.com/rangkul/rangkul/internal/web"
)

// roomRoutes adds the routes of live rooms.
func (h *Handler) roomRoutes(rt *web.Router) {
	rt.Handle("GET /groups/{id}/sessions/{sid}/{occ}/room", h.room)
	rt.Handle("GET /groups/{id}/sessions/{sid}/{occ}/room/events", h.roomEvents)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/room/messages", h.say)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/room/mood", h.mood)
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/room/control", h.control)
}

type roomView struct {
	Room    Room
	Actions []string
	Scores  []int
}

func (h *Handler) roomPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	room, err := h.svc.OpenRoom(r.Context(), id, sid, occ)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/room", Status: status, Form: f,
		Data: roomView{Room: room, Actions: roomActions, Scores: []int{1, 2, 3, 4, 5}}})
}

func (h *Handler) room(w http.ResponseWriter, r *http.Request) error { return h.roomPage(w, r, nil, 0) }

// againRoom shows the room again with a form's errors.
func (h *Handler) againRoom(w http.ResponseWriter, r *http.Request) func(*web.Form) error {
	return func(f *web.Form) error { return h.roomPage(w, r, f, http.StatusUnprocessableEntity) }
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (h *Handler) say(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	m, err := h.svc.Say(r.Context(), id, sid, occ, f.Get("body"))
	if err == nil {
		if wantsJSON(r) {
			// The page's script shows the help card it already holds.
			w.Header().Set("Content-Type", "application/json")
			return json.NewEncoder(w).Encode(map[string]bool{"help": m.Screening.Flagged(), "held": m.Held})
		}
		if m.Screening.Flagged() {
			web.SetFlash(w, r, web.HelpFlash)
		}
		http.Redirect(w, r, occurrencePath(r)+"/room#say", http.StatusSeeOther)
		return nil
	}
	if !f.Check(err) {
		return err
	}
	return h.roomPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) mood(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		sc, err := h.svc.Mood(r.Context(), id, sid, occ, f.Get("phase"), f.Get("score"), f.Get("comment"))
		return helpCard(web.Outcome{Flash: "flash.mood_thanks", To: occurrencePath(r) + "/room"}, sc), err
	}, h.againRoom(w, r))
}

func (h *Handler) control(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		err := h.svc.Control(r.Context(), id, sid, occ, f.Get("action"), f.Int("user"), int(f.Int("amount")))
		return web.Outcome{Flash: "flash.saved", To: occurrencePath(r) + "/room"}, err
	}, h.againRoom(w, r))
}

// roomEvents streams the room's events as server-sent events until the
// client leaves, it falls too far behind, or the server shuts down.
func (h *Handler) roomEvents(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	sub, staff, leave, err := h.svc.Subscribe(r.Context(), id, sid, occ)
	if err != nil {
		return err
	}
	defer leave()
	var staffC <-chan live.Event // nil, never ready, for those who get no alerts
	if staff != nil {
		staffC = staff.C
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("groups: response cannot stream")
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	flusher.Flush()
	beat := time.NewTicker(25 * time.Second)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-beat.C:
			if err := h.svc.StillHere(r.Context(), id, sid, occ); err != nil && r.Context().Err() == nil {
				return err
			}
			fmt.Fprint(w, ": still here\n\n")
			flusher.Flush()
		case e, ok := <-sub.C:
			if !ok {
				return nil // dropped for being slow; EventSource reconnects
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data)
			flusher.Flush()
		case e, ok := <-staffC:
			if !ok {
				return nil
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data)
			flusher.Flush()
		}
	}
}
