package account

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/privacy"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the account pages.
type Handler struct {
	svc *auth.Service
	rd  *web.Renderer
	// Consent records the participation consent given at sign-up; nil asks
	// for none (tests of the account pages alone).
	Consent Consent
}

// Consent is what sign-up needs from the privacy feature.
type Consent interface {
	CurrentText(ctx context.Context, purpose, lang string) (privacy.Text, error)
	AgreeFor(ctx context.Context, userID int64, purpose string, version int, lang string) error
}

// New returns the account pages, registering their templates with rd.
func New(svc *auth.Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("account", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes adds the account routes.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /login", h.loginForm)
	rt.Handle("POST /login", h.login)
	rt.Handle("POST /logout", h.logout)
	rt.Handle("GET /register", h.registerForm)
	rt.Handle("POST /register", h.register)
	rt.Handle("GET /recover", h.recoverForm)
	rt.Handle("POST /recover", h.recover)
	rt.Handle("GET /account", h.account)
	rt.Handle("POST /account/email", h.saveEmail)
	rt.Handle("GET /account/password", h.passwordForm)
	rt.Handle("POST /account/password", h.changePassword)
	rt.Handle("POST /account/recovery-codes", h.newCodes)
	rt.Handle("POST /lang", h.setLang)
}

// codesView is the data of the page that shows recovery codes once.
type codesView struct {
	Codes []string
	Next  string
	New   bool // true after registering, false after renewing
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	if auth.FromContext(r.Context()) != nil {
		http.Redirect(w, r, web.LocalPath(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
		return nil
	}
	f := web.NewForm()
	f.Values.Set("next", web.LocalPath(r.URL.Query().Get("next"), ""))
	return h.rd.Render(w, r, web.Page{Name: "account/login", Form: f})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	user, pw := f.Get("username"), f.Get("password")
	if user == "" {
		f.Fail(valid.Field("username", "form.required"))
	}
	if pw == "" {
		f.Fail(valid.Field("password", "form.required"))
	}
	if f.OK() {
		token, _, err := h.svc.Login(r.Context(), user, pw, r.UserAgent())
		var limited *auth.RateLimitedError
		switch {
		case err == nil:
			web.SetSession(w, r, token, h.svc.SessionTTL)
			return web.Done(w, r, "flash.signed_in", web.LocalPath(f.Get("next"), "/"))
		case errors.Is(err, auth.ErrBadCredentials):
			f.Fail(valid.Field("password", "auth.bad_credentials"))
		case errors.Is(err, auth.ErrDisabled):
			f.Fail(valid.Field("username", "auth.disabled"))
		case errors.As(err, &limited):
			f.Fail(valid.Field("password", "auth.rate_limited", "minutes", limited.Minutes()))
		default:
			return err
		}
	}
	f.Values.Del("password")
	status := http.StatusUnprocessableEntity
	if e := f.Errors["password"]; e != nil && e.Key == "auth.rate_limited" {
		status = http.StatusTooManyRequests
	}
	return h.rd.Render(w, r, web.Page{Name: "account/login", Status: status, Form: f})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if err := h.svc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	web.ClearSession(w, r)
	return web.Done(w, r, "flash.signed_out", "/")
}

// registerView carries the participation text the sign-up form shows.
type registerView struct {
	Consent *privacy.Text
}

func (h *Handler) registerPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	var v registerView
	if h.Consent != nil {
		t, err := h.Consent.CurrentText(r.Context(), privacy.PurposeParticipation, web.Lang(r))
		if err != nil {
			return err
		}
		v.Consent = &t
	}
	return h.rd.Render(w, r, web.Page{Name: "account/register", Status: status, Form: f, Data: v})
}

func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request) error {
	return h.registerPage(w, r, web.NewForm(), 0)
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if f.Get("password") != f.Get("confirm") {
		f.Fail(valid.Field("confirm", "auth.confirm_mismatch"))
	}
	// Every field is checked before anything is created, so all messages
	// show at once (Register checks them again).
	if name, err := auth.CheckUsername("username", f.Get("username")); err != nil {
		f.Check(err)
	} else if strings.HasPrefix(name, auth.ErasedPrefix) {
		f.Fail(valid.Field("username", "privacy.username_reserved"))
	}
	if err := auth.CheckPassword("password", f.Get("password")); err != nil {
		f.Check(err)
	}
	if _, fe := valid.Email("email", f.Get("email")); fe != nil {
		f.Fail(fe)
	}
	if h.Consent != nil {
		// The text agreed to is the one the form showed; if it has changed
		// since, the form shows the new one and nothing is created.
		cur, err := h.Consent.CurrentText(r.Context(), privacy.PurposeParticipation, web.Lang(r))
		if err != nil {
			return err
		}
		switch {
		case f.Get("consent") != "1":
			f.Fail(valid.Field("consent", "auth.register.consent_required"))
		case f.Get("consent_version") != strconv.Itoa(cur.Version) || f.Get("consent_lang") != cur.Lang:
			f.Fail(valid.Field("consent", "privacy.stale_text"))
			f.Values.Del("consent")
		}
	}
	if f.OK() {
		u, codes, err := h.svc.Register(r.Context(), auth.Registration{Username: f.Get("username"),
			Password: f.Get("password"), Email: f.Get("email"), Locale: web.Lang(r)})
		if err == nil {
			token, _, err := h.svc.Login(r.Context(), f.Get("username"), f.Get("password"), r.UserAgent())
			if err != nil {
				return err
			}
			if h.Consent != nil {
				version, _ := strconv.Atoi(f.Get("consent_version"))
				as := auth.WithPrincipal(r.Context(), &auth.Principal{UserID: u.ID, Username: u.Username})
				if err := h.Consent.AgreeFor(as, u.ID, privacy.PurposeParticipation, version, f.Get("consent_lang")); err != nil {
					return err
				}
			}
			web.SetSession(w, r, token, h.svc.SessionTTL)
			return h.rd.Render(w, r, web.Page{Name: "account/codes", Data: codesView{Codes: codes, Next: "/", New: true}})
		}
		if !f.Check(err) {
			return err
		}
	}
	f.Values.Del("password")
	f.Values.Del("confirm")
	return h.registerPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) recoverForm(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, web.Page{Name: "account/recover", Form: web.NewForm()})
}

func (h *Handler) recover(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	for _, field := range []string{"username", "code"} {
		if f.Get(field) == "" {
			f.Fail(valid.Field(field, "form.required"))
		}
	}
	if f.Get("password") != f.Get("confirm") {
		f.Fail(valid.Field("confirm", "auth.confirm_mismatch"))
	}
	if f.OK() {
		token, _, err := h.svc.Recover(r.Context(), f.Get("username"), f.Get("code"), f.Get("password"), r.UserAgent())
		var limited *auth.RateLimitedError
		switch {
		case err == nil:
			web.SetSession(w, r, token, h.svc.SessionTTL)
			return web.Done(w, r, "flash.recovered", "/account")
		case errors.Is(err, auth.ErrBadCredentials):
			f.Fail(valid.Field("code", "auth.bad_code"))
		case errors.As(err, &limited):
			f.Fail(valid.Field("code", "auth.rate_limited", "minutes", limited.Minutes()))
		default:
			if !f.Check(err) {
				return err
			}
		}
	}
	f.Values.Del("password")
	f.Values.Del("confirm")
	f.Values.Del("code")
	return h.rd.Render(w, r, web.Page{Name: "account/recover", Status: http.StatusUnprocessableEntity, Form: f})
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) error {
	a, err := h.svc.MyAccount(r.Context())
	if err != nil {
		return err
	}
	f := web.NewForm()
	f.Values.Set("email", a.User.Email)
	return h.rd.Render(w, r, web.Page{Name: "account/account", Data: a, Form: f})
}

func (h *Handler) saveEmail(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.SetEmail(r.Context(), f.Get("email"))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/account")
	}
	if !f.Check(err) {
		return err
	}
	a, err := h.svc.MyAccount(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "account/account", Status: http.StatusUnprocessableEntity, Data: a, Form: f})
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.RequireUser(r.Context()); err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "account/password", Form: web.NewForm()})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if f.Get("password") != f.Get("confirm") {
		f.Fail(valid.Field("confirm", "auth.confirm_mismatch"))
	}
	if f.OK() {
		token := ""
		if c, err := r.Cookie(web.SessionCookie); err == nil {
			token = c.Value
		}
		err := h.svc.ChangePassword(r.Context(), f.Get("current"), f.Get("password"), token)
		if err == nil {
			return web.Done(w, r, "flash.password_changed", "/account")
		}
		if !f.Check(err) {
			return err
		}
	}
	f.Values = nil
	return h.rd.Render(w, r, web.Page{Name: "account/password", Status: http.StatusUnprocessableEntity, Form: f})
}

func (h *Handler) newCodes(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	codes, err := h.svc.NewRecoveryCodes(r.Context(), f.Get("current"))
	if err == nil {
		return h.rd.Render(w, r, web.Page{Name: "account/codes", Data: codesView{Codes: codes, Next: "/account"}})
	}
	if !f.Check(err) {
		return err
	}
	a, err := h.svc.MyAccount(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "account/account", Status: http.StatusUnprocessableEntity, Data: a, Form: f})
}

func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	lang := f.Get("lang")
	if !h.rd.Bundle().Supported(lang) {
		return web.ErrBadRequest
	}
	web.SetLangCookie(w, r, lang)
	if auth.FromContext(r.Context()) != nil {
		if err := h.svc.SetLocale(r.Context(), lang); err != nil {
			return err
		}
	}
	http.Redirect(w, r, web.LocalPath(f.Get("next"), "/"), http.StatusSeeOther)
	return nil
}
