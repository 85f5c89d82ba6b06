package measure

import (
	"embed"
	"errors"
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /outcomes: members' questionnaires, history and research
// profile; the instrument library; coordinators' surveys, plans and rounds.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the measurement pages.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("measure", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.outcomes", Href: "/outcomes", Order: 35, Show: func(p *auth.Principal) bool { return p != nil }})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the measurement pages.
func (h *Handler) Routes(rt *web.Router) {
	// Members.
	rt.Handle("GET /outcomes", h.home)
	rt.Handle("GET /outcomes/due/{due}", h.questionnaire)
	rt.Handle("POST /outcomes/due/{due}", h.submit)
	rt.Handle("GET /outcomes/history/{instrument}", h.history)
	rt.Handle("GET /outcomes/profile", h.profile)
	rt.Handle("POST /outcomes/profile", h.saveProfile)
	rt.Handle("GET /outcomes/profile/delete", h.confirmDeleteProfile)
	rt.Handle("POST /outcomes/profile/delete", h.deleteProfile)
	// The instrument library.
	rt.Handle("GET /outcomes/instruments", h.instruments)
	rt.Handle("GET /outcomes/instruments/{instrument}", h.instrument)
	// Coordinators.
	rt.Handle("GET /outcomes/org/{org}", h.org)
	rt.Handle("POST /outcomes/org/{org}/surveys", h.createSurvey)
	rt.Handle("POST /outcomes/org/{org}/plans", h.createPlan)
	rt.Handle("POST /outcomes/org/{org}/rounds", h.openRound)
	rt.Handle("GET /outcomes/surveys/{survey}", h.survey)
	rt.Handle("POST /outcomes/surveys/{survey}", h.updateSurvey)
	rt.Handle("POST /outcomes/surveys/{survey}/archive", h.archiveSurvey)
	rt.Handle("POST /outcomes/surveys/{survey}/questions", h.addQuestion)
	rt.Handle("POST /outcomes/surveys/{survey}/questions/{question}/move", h.moveQuestion)
	rt.Handle("GET /outcomes/surveys/{survey}/questions/{question}/delete", h.confirmDeleteQuestion)
	rt.Handle("POST /outcomes/surveys/{survey}/questions/{question}/delete", h.deleteQuestion)
	rt.Handle("GET /outcomes/plans/{plan}", h.plan)
	rt.Handle("POST /outcomes/plans/{plan}", h.updatePlan)
	rt.Handle("POST /outcomes/plans/{plan}/steps", h.addStep)
	rt.Handle("GET /outcomes/plans/{plan}/steps/{step}/delete", h.confirmDeleteStep)
	rt.Handle("POST /outcomes/plans/{plan}/steps/{step}/delete", h.deleteStep)
	rt.Handle("POST /outcomes/rounds/{round}/close", h.closeRound)
}

type homeView struct {
	Mine  Mine
	Orgs  []Org
	Staff bool
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	mine, err := h.svc.MyQuestionnaires(r.Context())
	if err != nil {
		return err
	}
	orgs, err := h.svc.CoordinatedOrgs(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/home", Data: homeView{Mine: mine, Orgs: orgs, Staff: IsStaff(auth.FromContext(r.Context()))}})
}

type questionnaireView struct {
	Q      Questionnaire
	Chosen map[string]bool // "field=value" pairs chosen, to refill checkboxes
}

func (h *Handler) questionnairePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "due")
	if err != nil {
		return err
	}
	q, err := h.svc.Questionnaire(r.Context(), id, web.Lang(r))
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	chosen := map[string]bool{}
	for k, vs := range f.Values {
		for _, v := range vs {
			chosen[k+"="+v] = true
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/questionnaire", Status: status, Form: f, Data: questionnaireView{Q: q, Chosen: chosen}})
}

func (h *Handler) questionnaire(w http.ResponseWriter, r *http.Request) error {
	return h.questionnairePage(w, r, nil, 0)
}

func (h *Handler) submit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "due")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	out, err := h.svc.Submit(r.Context(), id, web.Lang(r), f.Values)
	if err != nil {
		var probs Problems
		switch {
		case errors.As(err, &probs):
			for _, p := range probs {
				f.Fail(p)
			}
		case !f.Check(err):
			return err
		}
		return h.questionnairePage(w, r, f, http.StatusUnprocessableEntity)
	}
	to := "/outcomes"
	if out.Instrument != "" {
		to = "/outcomes/history/" + out.Instrument
	}
	flash := "flash.questionnaire_saved"
	if out.Help {
		flash = web.HelpFlash
	}
	return web.Done(w, r, flash, to)
}

func (h *Handler) history(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.History(r.Context(), r.PathValue("instrument"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/history", Data: c})
}

func (h *Handler) profilePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	pr, err := h.svc.MyProfile(r.Context())
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		if pr.BirthYear > 0 {
			f.Values.Set("birth_year", strconv.Itoa(pr.BirthYear))
		}
		f.Values.Set("gender", pr.Gender)
		f.Values.Set("region", pr.Region)
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/profile", Status: status, Form: f, Data: struct {
		Profile Profile
		Genders []string
	}{pr, Genders}})
}

func (h *Handler) profile(w http.ResponseWriter, r *http.Request) error {
	return h.profilePage(w, r, nil, 0)
}

func (h *Handler) saveProfile(w http.ResponseWriter, r *http.Request) error {
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		in := ProfileInput{BirthYear: f.Get("birth_year"), Gender: f.Get("gender"), Region: f.Get("region")}
		flash := "flash.saved"
		if in == (ProfileInput{}) {
			flash = "flash.profile_deleted"
		}
		return web.Outcome{Flash: flash, To: "/outcomes/profile"}, h.svc.SaveProfile(r.Context(), in)
	}, func(f *web.Form) error { return h.profilePage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) confirmDeleteProfile(w http.ResponseWriter, r *http.Request) error {
	pr, err := h.svc.MyProfile(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/profile-delete", Data: pr})
}

func (h *Handler) deleteProfile(w http.ResponseWriter, r *http.Request) error {
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	if err := h.svc.DeleteProfile(r.Context()); err != nil {
		return err
	}
	return web.Done(w, r, "flash.profile_deleted", "/outcomes/profile")
}

func (h *Handler) instruments(w http.ResponseWriter, r *http.Request) error {
	list, err := h.svc.Instruments(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/instruments", Data: list})
}

func (h *Handler) instrument(w http.ResponseWriter, r *http.Request) error {
	l, err := h.svc.Instrument(r.Context(), r.PathValue("instrument"))
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/instrument", Data: l})
}
