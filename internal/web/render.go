package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/valid"
)

//go:embed templates/*.html
var baseTemplates embed.FS

//go:embed pages/*.html
var kitPages embed.FS

// NavEntry is one link of the main navigation, shown to those Show admits.
type NavEntry struct {
	Key   string // translation key of the label
	Href  string
	Show  func(p *auth.Principal) bool
	Order int
}

// NavLink is a navigation entry as rendered for one request.
type NavLink struct {
	Key     string
	Href    string
	Current bool
}

// Renderer parses every view once at start-up and renders pages inside the layout.
type Renderer struct {
	bundle *i18n.Bundle
	assets *Assets
	base   *template.Template
	pages  map[string]*template.Template
	nav    []NavEntry
	// Region is the deployment's region code (e.g. "ID"), for pages that need it.
	Region string
	// HelpLines lists the crisis lines of a region in a language, for the
	// help card any page may show; nil shows the card with a link to /help.
	HelpLines func(ctx context.Context, region, lang string) ([]HelpLine, error)
}

// HelpLine is a crisis line as the help card shows it.
type HelpLine struct {
	Name, Contact, URL, Hours, Note string
}

// HelpFlash is the flash that shows the help card: what someone wrote may mean
// they are struggling, so the next page they see offers help at once.
const HelpFlash = "flash.help_card"

// NewRenderer parses the layout and shared partials.
func NewRenderer(b *i18n.Bundle, a *Assets) (*Renderer, error) {
	rd := &Renderer{bundle: b, assets: a, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"asset": a.Path,
		"add":   func(a, b int) int { return a + b },
		"fld":   newField,
		"args":  args,
		"paras": paras,
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(baseTemplates, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	if err := rd.checkKeys(baseTemplates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.base = base
	if err := rd.AddPages("web", kitPages, "pages/*.html"); err != nil {
		return nil, err
	}
	return rd, nil
}

// Bundle returns the translation catalogues.
func (rd *Renderer) Bundle() *i18n.Bundle { return rd.bundle }

// AddNav adds a navigation entry.
func (rd *Renderer) AddNav(e NavEntry) {
	rd.nav = append(rd.nav, e)
	for i := len(rd.nav) - 1; i > 0 && rd.nav[i].Order < rd.nav[i-1].Order; i-- {
		rd.nav[i], rd.nav[i-1] = rd.nav[i-1], rd.nav[i]
	}
}

// AddPages parses each file matching glob in fsys as a page named
// prefix/basename (without .html), each with its own copy of the layout. Files
// whose name starts with "_" are partials shared by the set's pages, not pages.
// A page defines "title" and "content"; it fails here if it names a missing
// translation key or template.
func (rd *Renderer) AddPages(prefix string, fsys fs.FS, glob string) error {
	files, err := fs.Glob(fsys, glob)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("web: no templates match %s for %s", glob, prefix)
	}
	if err := rd.checkKeys(fsys, glob); err != nil {
		return err
	}
	var partials, pages []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			partials = append(partials, f)
		} else {
			pages = append(pages, f)
		}
	}
	for _, f := range pages {
		name := prefix + "/" + strings.TrimSuffix(path.Base(f), ".html")
		if _, dup := rd.pages[name]; dup {
			return fmt.Errorf("web: page %s defined twice", name)
		}
		t, err := rd.base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, append([]string{f}, partials...)...); err != nil {
			return fmt.Errorf("web: parse %s: %w", name, err)
		}
		rd.pages[name] = t
	}
	return nil
}

// Pages lists the parsed page names.
func (rd *Renderer) Pages() []string {
	out := make([]string, 0, len(rd.pages))
	for n := range rd.pages {
		out = append(out, n)
	}
	return out
}

// keyUse finds every string literal in a template that looks like a
// translation key ("auth.login.title"); asset file names are not keys.
var keyUse = regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

var assetName = regexp.MustCompile(`\.(css|js|svg|png|ico|txt|xml|json)$`)

// checkKeys fails when a template names a translation key missing in any language.
func (rd *Renderer) checkKeys(fsys fs.FS, glob string) error {
	files, _ := fs.Glob(fsys, glob)
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			if assetName.MatchString(m[1]) {
				continue
			}
			for _, l := range rd.bundle.Langs() {
				if !rd.bundle.Has(l.Code, m[1]) {
					return fmt.Errorf("web: %s uses translation key %q missing in %s", f, m[1], l.Code)
				}
			}
		}
	}
	return nil
}

// Page describes one response to render.
type Page struct {
	Name   string // e.g. "account/login"
	Status int    // 0 means 200
	Data   any
	Form   *Form
}

// View is the value every template receives as dot.
type View struct {
	Lang   string
	Langs  []i18n.Lang
	Viewer *auth.Principal
	Flash  string // translation key, or ""
	Nav    []NavLink
	Path   string // the current request URI, for "come back here" links
	Form   *Form
	Data   any
	Status int
	Region string
	bundle *i18n.Bundle
	ctx    context.Context
	help   func(ctx context.Context, region, lang string) ([]HelpLine, error)
}

// HelpLines returns the crisis lines for the help card.
func (v *View) HelpLines() ([]HelpLine, error) {
	if v.help == nil {
		return nil, nil
	}
	return v.help(v.ctx, v.Region, v.Lang)
}

// T translates key with {name} arguments given as name/value pairs.
func (v *View) T(key string, args ...any) (string, error) { return v.bundle.T(v.Lang, key, args...) }

// Plural translates a plural key for count n.
func (v *View) Plural(key string, n int, args ...any) (string, error) {
	return v.bundle.Plural(v.Lang, key, n, args...)
}

// Err returns the translated message for a form field, or "".
func (v *View) Err(field string) (string, error) {
	if v.Form == nil {
		return "", nil
	}
	e := v.Form.Errors[field]
	if e == nil {
		return "", nil
	}
	return v.bundle.T(v.Lang, e.Key, e.Args...)
}

// HasErrors reports whether the form has any error.
func (v *View) HasErrors() bool { return v.Form != nil && len(v.Form.Errors) > 0 }

// ErrorList returns the form's errors in field order, for the summary at the top.
func (v *View) ErrorList() []*valid.Error {
	if v.Form == nil {
		return nil
	}
	return v.Form.ordered()
}

// Val returns a submitted form value, to refill the form after an error.
func (v *View) Val(field string) string {
	if v.Form == nil {
		return ""
	}
	return v.Form.Get(field)
}

// Date formats t as a date in the viewer's language, e.g. "22 November 2026".
func (v *View) Date(t time.Time) (string, error) { return v.bundle.Date(v.Lang, t) }

// DateTime formats t as date and 24-hour time.
func (v *View) DateTime(t time.Time) (string, error) {
	d, err := v.Date(t)
	if err != nil || d == "" {
		return d, err
	}
	return d + ", " + t.Format("15:04"), nil
}

// Render writes a page inside the layout. Rendering goes to a buffer first, so
// a template error gives a clean 500 instead of half a page.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, p Page) error {
	t := rd.pages[p.Name]
	if t == nil {
		return fmt.Errorf("web: no page %q", p.Name)
	}
	v := rd.view(r, p)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", p.Name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	w.WriteHeader(p.Status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (rd *Renderer) view(r *http.Request, p Page) *View {
	viewer := auth.FromContext(r.Context())
	v := &View{
		Lang: Lang(r), Langs: rd.bundle.Langs(), Viewer: viewer, Flash: flashFrom(r.Context()),
		Path: r.URL.RequestURI(), Form: p.Form, Data: p.Data, Status: p.Status, Region: rd.Region, bundle: rd.bundle,
		ctx: r.Context(), help: rd.HelpLines,
	}
	for _, e := range rd.nav {
		if e.Show == nil || e.Show(viewer) {
			cur := r.URL.Path == e.Href || (e.Href != "/" && strings.HasPrefix(r.URL.Path, e.Href+"/"))
			v.Nav = append(v.Nav, NavLink{Key: e.Key, Href: e.Href, Current: cur})
		}
	}
	return v
}

// Error renders the error page for status in the viewer's language.
func (rd *Renderer) Error(w http.ResponseWriter, r *http.Request, status int) {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
	default:
		status = http.StatusInternalServerError
	}
	v := rd.view(r, Page{Status: status, Data: status})
	var buf bytes.Buffer
	if err := rd.pages["web/error"].ExecuteTemplate(&buf, "layout", v); err != nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Msg translates a field error.
func (v *View) Msg(e *valid.Error) (string, error) { return v.bundle.T(v.Lang, e.Key, e.Args...) }

// FieldArgs carries one form field to the shared "field" template.
type FieldArgs struct {
	V     *View
	Name  string
	Type  string // text, password, email, search, number, date, textarea
	Label string // translation key
	Hint  string // translation key, or ""
	Auto  string // autocomplete token, or ""
}

// newField is the template function fld: fld . NAME TYPE LABEL HINT AUTOCOMPLETE.
func newField(v *View, name, typ, label, hint, auto string) FieldArgs {
	return FieldArgs{V: v, Name: name, Type: typ, Label: label, Hint: hint, Auto: auto}
}

// args is the template function that passes several named values to a shared
// template: {{template "x" (args "V" $ "Group" .)}}.
func args(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("web: args needs name/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("web: args name %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// paras splits plain text into its non-empty lines, shown as paragraphs; the
// text stays plain (escaped), never markup.
func paras(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// WeekdayName names weekday d (0 Sunday to 6 Saturday) in the viewer's language.
func (v *View) WeekdayName(d int) (string, error) { return v.bundle.Weekday(v.Lang, time.Weekday(d)) }

// When formats a meeting time: weekday, date and 24-hour time, e.g.
// "Selasa, 24 November 2026, 19:00".
func (v *View) When(t time.Time) (string, error) { return v.bundle.When(v.Lang, t) }
