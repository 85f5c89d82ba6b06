package help

import (
	"embed"
	"fmt"
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Handler serves /help and its editor in the admin area.
type Handler struct {
	svc    *Service
	rd     *web.Renderer
	region string
}

// New returns the help pages for a deployment in region.
func New(svc *Service, rd *web.Renderer, region string) (*Handler, error) {
	if err := rd.AddPages("help", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	return &Handler{svc: svc, rd: rd, region: region}, nil
}

// Routes adds the help routes.
func (h *Handler) Routes(rt *web.Router) {
	rt.Handle("GET /help", h.show)
	rt.Handle("GET /admin/help", h.list)
	rt.Handle("GET /admin/help/new", h.newForm)
	rt.Handle("POST /admin/help", h.create)
	rt.Handle("GET /admin/help/{id}", h.editForm)
	rt.Handle("POST /admin/help/{id}", h.update)
	rt.Handle("GET /admin/help/{id}/delete", h.confirmDelete)
	rt.Handle("POST /admin/help/{id}/delete", h.delete)
}

type helpSection struct {
	Region string
	Lines  []Line
}

type helpView struct{ Sections []helpSection }

func (h *Handler) show(w http.ResponseWriter, r *http.Request) error {
	all, err := h.svc.Lines(r.Context(), "")
	if err != nil {
		return err
	}
	// The deployment's own region first, then the others, so that a visitor
	// from elsewhere still finds a line.
	v := helpView{Sections: []helpSection{{Region: h.region}}}
	for _, l := range all {
		if l.Region == h.region {
			v.Sections[0].Lines = append(v.Sections[0].Lines, l)
			continue
		}
		if last := &v.Sections[len(v.Sections)-1]; last.Region == l.Region {
			last.Lines = append(last.Lines, l)
		} else {
			v.Sections = append(v.Sections, helpSection{Region: l.Region, Lines: []Line{l}})
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "help/help", Data: v})
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	lines, err := h.svc.AllLines(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/lines", Data: lines})
}

type lineView struct {
	ID      int64
	Regions []string
}

func formOf(l Line) *web.Form {
	f := web.NewForm()
	f.Values.Set("region", l.Region)
	f.Values.Set("name", l.Name)
	f.Values.Set("contact", l.Contact)
	f.Values.Set("url", l.URL)
	f.Values.Set("hours", l.Hours)
	f.Values.Set("note_en", l.NoteEN)
	f.Values.Set("note_id", l.NoteID)
	f.Values.Set("sort_order", strconv.Itoa(l.SortOrder))
	if !l.LastVerified.IsZero() {
		f.Values.Set("last_verified", l.LastVerified.Format("2006-01-02"))
	}
	return f
}

func inputOf(f *web.Form) LineInput {
	return LineInput{Region: f.Get("region"), Name: f.Get("name"), Contact: f.Get("contact"), URL: f.Get("url"),
		Hours: f.Get("hours"), NoteEN: f.Get("note_en"), NoteID: f.Get("note_id"), SortOrder: f.Get("sort_order"),
		LastVerified: f.Get("last_verified")}
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.svc.AllLines(r.Context()); err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/line", Data: lineView{Regions: Regions}, Form: formOf(Line{Region: h.region})})
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	_, err = h.svc.Create(r.Context(), inputOf(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/admin/help")
	}
	if !f.Check(err) {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/line", Status: http.StatusUnprocessableEntity, Data: lineView{Regions: Regions}, Form: f})
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	l, err := h.svc.Line(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/line", Data: lineView{ID: id, Regions: Regions}, Form: formOf(l)})
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	err = h.svc.Update(r.Context(), id, inputOf(f))
	if err == nil {
		return web.Done(w, r, "flash.saved", "/admin/help")
	}
	if !f.Check(err) {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/line", Status: http.StatusUnprocessableEntity, Data: lineView{ID: id, Regions: Regions}, Form: f})
}

func (h *Handler) confirmDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	l, err := h.svc.Line(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "help/line-delete", Data: l})
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(r.Context(), id); err != nil {
		return fmt.Errorf("help: %w", err)
	}
	return web.Done(w, r, "flash.deleted", "/admin/help")
}
