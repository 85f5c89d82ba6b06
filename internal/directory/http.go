package directory

import (
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/valid"
	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /services.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New parses the directory pages and adds /services to the navigation, for
// everyone.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("directory", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.services", Href: "/services", Order: 12})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes registers the directory pages.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /services", h.search)
	rt.Handle("GET /services/{id}", h.listing)
	rt.Handle("GET /services/{id}/report", h.reportForm)
	rt.Handle("POST /services/{id}/report", h.report)
	rt.Handle("GET /services/manage", h.manage)
	rt.Handle("GET /services/manage/new", h.newForm)
	rt.Handle("POST /services/manage/new", h.create)
	rt.Handle("GET /services/manage/problems", h.problems)
	rt.Handle("POST /services/manage/problems/{report}", h.handleProblem)
	rt.Handle("GET /services/{id}/edit", h.editForm)
	rt.Handle("POST /services/{id}/edit", h.update)
	rt.Handle("POST /services/{id}/verify", h.verify)
	rt.Handle("GET /services/{id}/deactivate", h.confirm("deactivate"))
	rt.Handle("POST /services/{id}/deactivate", h.deactivate)
	rt.Handle("GET /services/{id}/delete", h.confirm("delete"))
	rt.Handle("POST /services/{id}/delete", h.remove)
}

type searchView struct {
	Res              *Results
	Items            []resultView
	Menus            Menus
	Languages        []option
	Places           []Place
	Radii            []int
	PrevURL, NextURL string
	WiderURL         string // the same search with a larger radius
	WiderKm          int
	PlainURL         string // the same words and place without other filters
	CanCurate        bool
}

type option struct{ Value, Label string }

type resultView struct {
	Result
	Km        string
	Languages []string
	Place     string // the first address's city and province
}

func (h *Handler) search(w http.ResponseWriter, r *http.Request) error {
	raw := r.URL.Query()
	f := web.DecodeValues(raw)
	q := Query{Text: f.Get("q"), Cost: f.Get("cost"), Language: f.Get("language"), Delivery: f.Get("delivery"),
		OpenNow: f.Get("open") == "1", Term: f.Get("term"), Place: f.Get("place"), Radius: DefaultRadius}
	if raw.Has("radius") {
		n, err := strconv.Atoi(f.Get("radius"))
		if err != nil {
			n = -1
		}
		q.Radius = n
	} else {
		f.Values.Set("radius", strconv.Itoa(DefaultRadius))
	}
	q.Page, _ = strconv.Atoi(f.Get("page"))
	menus, err := h.svc.Menus(r.Context())
	if err != nil {
		return err
	}
	v := searchView{Menus: menus, Places: Places, Radii: Radii,
		CanCurate: auth.FromContext(r.Context()).CanAny(auth.PermCurateDirectory)}
	lang := web.Lang(r)
	for _, l := range menus.Languages {
		value := l.Code
		if value == "" {
			value = l.Name
		}
		if names := h.languageNames(lang, []hsds.Language{{Code: l.Code, Name: l.Name}}); len(names) > 0 {
			v.Languages = append(v.Languages, option{value, names[0]})
		}
	}
	status := http.StatusOK
	res, err := h.svc.Search(r.Context(), q)
	if !f.OK() {
		res, err = nil, nil
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		if !f.Check(err) {
			return err
		}
		res = nil
		status = http.StatusUnprocessableEntity
	}
	if res != nil {
		v.Res = res
		for _, it := range res.Items {
			rv := resultView{Result: it, Languages: h.languageNames(lang, it.S.Languages)}
			if it.Distance != nil {
				rv.Km = formatKm(*it.Distance, lang)
			}
			if loc := firstLocation(&it.S, "physical"); loc != nil && len(loc.Addresses) > 0 {
				rv.Place = joinNonEmpty(", ", loc.Addresses[0].City, loc.Addresses[0].StateProvince)
			}
			v.Items = append(v.Items, rv)
		}
		link := func(change map[string]string) string {
			u := url.Values{}
			for k, vals := range raw {
				if k != "page" && len(vals) > 0 && vals[0] != "" {
					u.Set(k, vals[0])
				}
			}
			for k, val := range change {
				if val == "" {
					u.Del(k)
				} else {
					u.Set(k, val)
				}
			}
			return "/services?" + u.Encode()
		}
		if res.Page > 1 {
			v.PrevURL = link(map[string]string{"page": strconv.Itoa(min(res.Page-1, res.Pages))})
		}
		if res.Page < res.Pages {
			v.NextURL = link(map[string]string{"page": strconv.Itoa(res.Page + 1)})
		}
		if res.Near != nil && res.Query.Radius > 0 {
			for _, km := range Radii {
				if km > res.Query.Radius {
					v.WiderKm = km
					v.WiderURL = link(map[string]string{"radius": strconv.Itoa(km)})
					break
				}
			}
		}
		if q := res.Query; q.Cost != "" || q.Language != "" || q.Delivery != "" || q.OpenNow || q.Term != "" {
			v.PlainURL = link(map[string]string{"cost": "", "language": "", "delivery": "", "open": "", "term": ""})
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "directory/search", Status: status, Form: f, Data: v})
}

func (h *Handler) listing(w http.ResponseWriter, r *http.Request) error {
	l, err := h.svc.Listing(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	return h.rd.Render(w, r, web.Page{Name: "directory/service", Data: newListingView(l, lang, h.languageNames(lang, l.S.Languages))})
}

func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	l, err := h.svc.Listing(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "directory/report", Status: status, Form: f, Data: struct {
		L       *Listing
		Reasons []string
	}{l, Reasons}})
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) error {
	return h.reportPage(w, r, nil, 0)
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.ReportProblem(r.Context(), id, ReportInput{Reason: f.Get("reason"), Note: f.Get("note")})
	var limited *RateLimitedError
	switch {
	case err == nil:
		return web.Done(w, r, "flash.directory_reported", "/services/"+url.PathEscape(id))
	case errors.As(err, &limited):
		f.Fail(valid.Field("reason", "directory.report.rate_limited", "minutes", limited.Minutes()))
		return h.reportPage(w, r, f, http.StatusTooManyRequests)
	case f.Check(err):
		return h.reportPage(w, r, f, http.StatusUnprocessableEntity)
	}
	return err
}

// languageNames names languages in the reader's language where the form
// knows them, else as the data writes them.
func (h *Handler) languageNames(lang string, langs []hsds.Language) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range langs {
		name := l.Name
		if c, ok := choiceFor(l); ok {
			if t, err := h.rd.Bundle().T(lang, "directory.lang."+c.Code); err == nil {
				name = t
			}
		}
		if name == "" {
			name = l.Code
		}
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
