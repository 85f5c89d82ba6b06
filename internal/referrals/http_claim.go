package referrals

import (
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

// claimForm asks for the code; someone signed out is first asked to sign in
// or create an account, and comes back here.
func (h *Handler) claimForm(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, web.Page{Name: "referrals/claim", Form: web.NewForm()})
}

func (h *Handler) claim(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	code := f.Get("code")
	again := func(inv *Invitation) error {
		if inv == nil || f.Errors["code"] != nil {
			return h.rd.Render(w, r, web.Page{Name: "referrals/claim", Status: http.StatusUnprocessableEntity, Form: f})
		}
		return h.rd.Render(w, r, web.Page{Name: "referrals/join", Status: http.StatusUnprocessableEntity, Form: f, Data: inv})
	}
	if f.Get("join") == "" {
		inv, err := h.svc.Invitation(r.Context(), code)
		if err != nil {
			if !f.Check(err) {
				return err
			}
			return again(nil)
		}
		if inv.Kind == KindGroup && !inv.Member {
			// The second step: the name to be known by, and the house rules.
			return h.rd.Render(w, r, web.Page{Name: "referrals/join", Form: f, Data: inv})
		}
	}
	inv, status, err := h.svc.Claim(r.Context(), code, f.Get("display_name"), f.Get("accept_rules") == "1")
	if err != nil {
		if !f.Check(err) {
			return err
		}
		if _, ok := valid.As(err); ok && inv.ReferralID == 0 {
			return again(nil)
		}
		return again(&inv)
	}
	switch {
	case inv.Kind != KindGroup:
		return web.Done(w, r, "flash.referral_linked", "/referrals?view=mine")
	case status == groups.StatusPending:
		return web.Done(w, r, "flash.join_requested", "/groups/"+strconv.FormatInt(inv.GroupID, 10))
	default:
		return web.Done(w, r, "flash.joined", "/groups/"+strconv.FormatInt(inv.GroupID, 10))
	}
}

type reportView struct {
	Report  Report
	Periods []string
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) error {
	rep, err := h.svc.Report(r.Context(), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "referrals/report", Data: reportView{Report: rep, Periods: Periods}})
}
