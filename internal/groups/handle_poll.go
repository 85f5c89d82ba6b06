package groups

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/web"
)

// pollRoutes adds the routes of availability polls.
func (h *Handler) pollRoutes(rt *web.Router) {
	rt.Handle("GET /groups/{id}/polls/new", h.pollForm)
	rt.Handle("POST /groups/{id}/polls", h.createPoll)
	rt.Handle("GET /groups/{id}/polls/{poll}", h.showPoll)
	rt.Handle("POST /groups/{id}/polls/{poll}/answer", h.answerPoll)
	rt.Handle("POST /groups/{id}/polls/{poll}/choose", h.choosePoll)
}

func (h *Handler) pollFormPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
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
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/poll-form", Status: status, Form: f, Data: sessionFormView{View: v, Zone: h.svc.zone().String()}})
}

func (h *Handler) pollForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, _, err := h.svc.manage(r.Context(), id); err != nil {
		return err
	}
	return h.pollFormPage(w, r, id, nil, 0)
}

func (h *Handler) createPoll(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		pid, err := h.svc.CreatePoll(r.Context(), id, PollInput{Title: f.Get("title"), Minutes: f.Get("minutes"),
			Times: strings.Split(strings.ReplaceAll(f.Get("times"), "\r", ""), "\n")})
		return web.Outcome{Flash: "flash.poll_created", To: "/groups/" + strconv.FormatInt(id, 10) + "/polls/" + strconv.FormatInt(pid, 10)}, err
	}, func(f *web.Form) error { return h.pollFormPage(w, r, id, f, http.StatusUnprocessableEntity) })
}

type pollView struct {
	View    View
	Poll    Poll
	Answers []string
}

func pollIDs(r *http.Request) (int64, int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	pid, err := web.PathID(r, "poll")
	return id, pid, err
}

func (h *Handler) pollPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, pid, err := pollIDs(r)
	if err != nil {
		return err
	}
	pl, err := h.svc.Poll(r.Context(), id, pid)
	if err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/poll", Status: status, Form: f, Data: pollView{View: v, Poll: pl, Answers: Answers}})
}

func (h *Handler) showPoll(w http.ResponseWriter, r *http.Request) error {
	return h.pollPage(w, r, nil, 0)
}

func (h *Handler) answerPoll(w http.ResponseWriter, r *http.Request) error {
	id, pid, err := pollIDs(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	answers := map[int64]string{}
	for k, vs := range f.Values {
		if oid, ok := strings.CutPrefix(k, "o-"); ok && len(vs) > 0 {
			n, err := strconv.ParseInt(oid, 10, 64)
			if err != nil {
				return web.ErrBadRequest
			}
			answers[n] = vs[0]
		}
	}
	err = h.svc.Answer(r.Context(), id, pid, answers)
	if err == nil {
		return web.Done(w, r, "flash.poll_answered", r.URL.Path[:strings.LastIndex(r.URL.Path, "/")])
	}
	if !f.Check(err) {
		return err
	}
	return h.pollPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) choosePoll(w http.ResponseWriter, r *http.Request) error {
	id, pid, err := pollIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		_, err := h.svc.Choose(r.Context(), id, pid, f.Int("option"))
		return web.Outcome{Flash: "flash.poll_chosen", To: "/groups/" + strconv.FormatInt(id, 10)}, err
	}, func(f *web.Form) error { return h.pollPage(w, r, f, http.StatusUnprocessableEntity) })
}
