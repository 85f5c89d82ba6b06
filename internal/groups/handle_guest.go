package groups

import (
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/web"
)

// guestRoutes adds the routes of trial sessions (guest passes).
func (h *Handler) guestRoutes(rt *web.Router) {
	rt.Handle("POST /groups/{id}/sessions/{sid}/{occ}/guest", h.takeGuestSeat)
	rt.Handle("GET /guest/{code}", h.guestPass)
	rt.Handle("POST /guest/{code}/claim", h.claimPass)
}

type passView struct {
	Pass  GuestPass
	IsNew bool
}

func (h *Handler) takeGuestSeat(w http.ResponseWriter, r *http.Request) error {
	id, sid, occ, err := occurrenceIDs(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	code, err := h.svc.TakeGuestSeat(r.Context(), id, sid, occ, f.Get("guest_name"), f.Get("guest_rules") == "1")
	if err == nil {
		pass, err := h.svc.Pass(r.Context(), code)
		if err != nil {
			return err
		}
		return h.rd.Render(w, r, web.Page{Name: "groups/guest-pass", Data: passView{Pass: pass, IsNew: true}, Form: web.NewForm()})
	}
	if !f.Check(err) {
		return err
	}
	return h.occurrencePage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) guestPass(w http.ResponseWriter, r *http.Request) error {
	pass, err := h.svc.Pass(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/guest-pass", Data: passView{Pass: pass}, Form: web.NewForm()})
}

func (h *Handler) claimPass(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	groupID, status, err := h.svc.ClaimPass(r.Context(), r.PathValue("code"))
	if err == nil {
		flash := "flash.joined"
		if status == StatusPending {
			flash = "flash.join_requested"
		}
		return web.Done(w, r, flash, "/groups/"+strconv.FormatInt(groupID, 10))
	}
	if !f.Check(err) {
		return err
	}
	pass, err := h.svc.Pass(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/guest-pass", Status: http.StatusUnprocessableEntity, Data: passView{Pass: pass}, Form: f})
}
