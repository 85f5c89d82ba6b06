package privacy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves the privacy pages: consent, download and erase, for the
// person and for network administrators acting on a request.
type Handler struct {
	svc *Service
	rd  *web.Renderer
	pw  Passwords
	// Zone is where times on the readable data page are shown; nil is UTC.
	Zone *time.Location
}

// New parses the privacy pages.
func New(svc *Service, rd *web.Renderer, pw Passwords) (*Handler, error) {
	if err := rd.AddPages("privacy", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	return &Handler{svc: svc, rd: rd, pw: pw}, nil
}

// Routes registers the privacy pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /account/privacy", h.consents)
	rt.Handle("POST /account/privacy/{purpose}", h.consent)
	rt.Handle("GET /account/data", h.dataPage)
	rt.Handle("GET /account/data.json", h.dataJSON)
	rt.Handle("GET /account/erase", h.eraseForm)
	rt.Handle("POST /account/erase", h.erase)
	rt.Handle("GET /admin/people/{id}/data", h.dataPage)
	rt.Handle("GET /admin/people/{id}/data.json", h.dataJSON)
	rt.Handle("GET /admin/people/{id}/erase", h.eraseForm)
	rt.Handle("POST /admin/people/{id}/erase", h.erase)
}

func (h *Handler) consentsPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	list, err := h.svc.Consents(r.Context(), web.Lang(r))
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "privacy/consents", Status: status, Form: f, Data: list})
}

func (h *Handler) consents(w http.ResponseWriter, r *http.Request) error {
	return h.consentsPage(w, r, nil, 0)
}

func (h *Handler) consent(w http.ResponseWriter, r *http.Request) error {
	purpose := r.PathValue("purpose")
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		out := web.Outcome{Flash: "flash.saved", To: "/account/privacy"}
		switch f.Get("action") {
		case "agree":
			v, _ := strconv.Atoi(f.Get("version"))
			return out, h.svc.Agree(r.Context(), purpose, v, f.Get("lang"))
		case "withdraw":
			out.Flash = "flash.consent_withdrawn"
			return out, h.svc.Withdraw(r.Context(), purpose)
		}
		if _, err := auth.RequireUser(r.Context()); err != nil {
			return out, err
		}
		return out, web.ErrBadRequest
	}, func(f *web.Form) error { return h.consentsPage(w, r, f, http.StatusUnprocessableEntity) })
}

// subjectOf returns the person a data or erase page is about: 0 for the
// caller's own (/account/...), else the id in the admin path.
func subjectOf(r *http.Request) (int64, bool, error) {
	if !strings.HasPrefix(r.URL.Path, "/admin/") {
		return 0, false, nil
	}
	id, err := web.PathID(r, "id")
	return id, true, err
}

func (h *Handler) export(r *http.Request) ([]Section, int64, bool, error) {
	id, admin, err := subjectOf(r)
	if err != nil {
		return nil, 0, false, err
	}
	p, err := auth.RequireUser(r.Context())
	if err != nil {
		return nil, 0, false, err
	}
	if admin && !p.SiteAdmin {
		return nil, 0, false, auth.ErrForbidden
	}
	sections, err := h.svc.Export(r.Context(), id)
	return sections, id, admin, err
}

func (h *Handler) dataJSON(w http.ResponseWriter, r *http.Request) error {
	sections, _, _, err := h.export(r)
	if err != nil {
		return err
	}
	doc := map[string]any{"exported_at": time.Now().UTC(), "format": "rangkul-my-data/1"}
	for _, s := range sections {
		doc[s.Name] = s.Data
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="rangkul-my-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// Node is one entry of the readable data page.
type Node struct {
	Label    string
	Value    string
	Children []Node
}

type dataView struct {
	Sections []Node
	Admin    bool
	UserID   int64
	Username string // whose data, on the administrators' page
	JSONURL  string
}

func (h *Handler) dataPage(w http.ResponseWriter, r *http.Request) error {
	sections, id, admin, err := h.export(r)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	v := dataView{Admin: admin, UserID: id, JSONURL: "/account/data.json"}
	if admin {
		v.JSONURL = fmt.Sprintf("/admin/people/%d/data.json", id)
		if err := h.svc.db.QueryRow(r.Context(), `SELECT username FROM users WHERE id = $1`, id).Scan(&v.Username); err != nil {
			return err
		}
	}
	for _, s := range sections {
		raw, err := json.Marshal(s.Data)
		if err != nil {
			return err
		}
		generic, err := decodeOrdered(json.NewDecoder(bytes.NewReader(raw)))
		if err != nil {
			return err
		}
		n := h.node(lang, s.Name, generic)
		n.Label = h.label(lang, "privacy.section."+s.Name, s.Name)
		v.Sections = append(v.Sections, n)
	}
	return h.rd.Render(w, r, web.Page{Name: "privacy/data", Data: v})
}

// label translates a key when the catalogue has it, else shows the field's
// own name in words.
func (h *Handler) label(lang, key, fallback string) string {
	if b := h.rd.Bundle(); b.Has(lang, key) {
		if s, err := b.T(lang, key); err == nil {
			return s
		}
	}
	return strings.ReplaceAll(fallback, "_", " ")
}

// object is a JSON object with its fields in the order the part wrote them,
// so the page reads in the order the feature chose (name before dates).
type object []field

type field struct {
	Key   string
	Value any
}

// decodeOrdered reads one JSON value, keeping objects' field order.
func decodeOrdered(dec *json.Decoder) (any, error) {
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := object{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, field{Key: fmt.Sprint(k), Value: v})
			}
			_, err := dec.Token() // '}'
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
		return nil, fmt.Errorf("privacy: unexpected %v", t)
	default:
		return t, nil
	}
}

// codeFields hold codes rather than words people wrote; the page shows them
// translated. Each names the catalogue prefixes tried, in order, after
// privacy.value.
var codeFields = map[string][]string{
	"what": nil, "status": nil, "level": nil, "action": nil, "appeal_outcome": nil, "kind": nil, "language": nil, "method": nil, "Languages": nil,
	"role":       {"role."},
	"answer":     {"polls.answer."},
	"written_in": {"safety.kind."},
	"reported":   {"safety.kind."},
	"reason":     {"safety.reason."},
	"purpose":    {"privacy.purpose."},
}

func (h *Handler) value(lang, key, v string) string {
	if prefixes, ok := codeFields[key]; ok {
		for _, prefix := range append([]string{"privacy.value."}, prefixes...) {
			if h.rd.Bundle().Has(lang, prefix+v) {
				return h.label(lang, prefix+v, v)
			}
		}
		return v
	}
	// Times are written in JSON as RFC 3339; people read them as dates.
	if len(v) >= 20 && v[4] == '-' && v[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			zone := h.Zone
			if zone == nil {
				zone = time.UTC
			}
			if s, err := h.rd.Bundle().When(lang, t.In(zone)); err == nil {
				return s
			}
		}
	}
	return v
}

func (h *Handler) node(lang, key string, v any) Node {
	n := Node{Label: h.label(lang, "privacy.field."+key, key)}
	switch x := v.(type) {
	case object:
		for _, f := range x {
			n.Children = append(n.Children, h.node(lang, f.Key, f.Value))
		}
	case []any:
		for i, item := range x {
			c := h.node(lang, key, item)
			c.Label = strconv.Itoa(i + 1)
			n.Children = append(n.Children, c)
		}
		if len(x) == 0 {
			n.Value = h.label(lang, "privacy.none", "-")
		}
	case nil:
		n.Value = "-"
	case bool:
		n.Value = h.label(lang, "privacy.bool."+strconv.FormatBool(x), strconv.FormatBool(x))
	case json.Number:
		n.Value = x.String()
	case string:
		n.Value = h.value(lang, key, x)
	default:
		n.Value = fmt.Sprint(x)
	}
	return n
}

type eraseView struct {
	Admin    bool
	UserID   int64
	Username string
}

func (h *Handler) erasePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, admin, err := subjectOf(r)
	if err != nil {
		return err
	}
	p, err := auth.RequireUser(r.Context())
	if err != nil {
		return err
	}
	v := eraseView{Admin: admin, UserID: id, Username: p.Username}
	if admin {
		if !p.SiteAdmin {
			return auth.ErrForbidden
		}
		if err := h.svc.db.QueryRow(r.Context(), `SELECT username FROM users WHERE id = $1`, id).Scan(&v.Username); err != nil {
			return err
		}
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "privacy/erase", Status: status, Form: f, Data: v})
}

func (h *Handler) eraseForm(w http.ResponseWriter, r *http.Request) error {
	return h.erasePage(w, r, nil, 0)
}

func (h *Handler) erase(w http.ResponseWriter, r *http.Request) error {
	id, admin, err := subjectOf(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		err := h.svc.Erase(r.Context(), id, EraseInput{Password: f.Get("password"), Confirm: f.Get("confirm"), Reason: f.Get("reason")}, h.pw)
		if admin {
			return web.Outcome{Flash: "flash.account_erased", To: "/admin/people"}, err
		}
		if err == nil { // the sessions are gone; the browser forgets its cookie too
			web.ClearSession(w, r)
		}
		return web.Outcome{Flash: "flash.my_account_erased", To: "/"}, err
	}, func(f *web.Form) error { return h.erasePage(w, r, f, http.StatusUnprocessableEntity) })
}
