package hsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/web"
)

// API serves the read-only HSDS 3.0 API under /hsds/: the directory is
// public data, so no sign-in is needed.
type API struct {
	store   *Store
	baseURL string         // public address of this Rangkul, for openapi_url
	zone    *time.Location // the deployment's zone, for open-now
	log     *slog.Logger
}

// NewAPI returns the HSDS API over store. baseURL is where people reach
// this Rangkul ("https://rangkul.example.org").
func NewAPI(store *Store, baseURL string, zone *time.Location, log *slog.Logger) *API {
	if log == nil {
		log = slog.Default()
	}
	return &API{store: store, baseURL: strings.TrimSuffix(baseURL, "/"), zone: zone, log: log}
}

// Routes registers the API.
func (a *API) Routes(rt *web.Router) {
	rt.HandleHTTP("GET /hsds/{$}", a.handle(a.root))
	rt.HandleHTTP("GET /hsds/openapi.json", a.handle(a.openapi))
	rt.HandleHTTP("GET /hsds/services", a.handle(a.services))
	rt.HandleHTTP("GET /hsds/services/{id}", a.handle(a.service))
	rt.HandleHTTP("GET /hsds/organizations", a.handle(a.organizations))
	rt.HandleHTTP("GET /hsds/organizations/{id}", a.handle(a.organization))
	rt.HandleHTTP("GET /hsds/taxonomies", a.handle(a.taxonomies))
	rt.HandleHTTP("GET /hsds/taxonomies/{id}", a.handle(a.taxonomy))
	rt.HandleHTTP("GET /hsds/taxonomy_terms", a.handle(a.taxonomyTerms))
	rt.HandleHTTP("GET /hsds/taxonomy_terms/{id}", a.handle(a.taxonomyTerm))
	rt.HandleHTTP("GET /hsds/service_at_locations", a.handle(a.serviceAtLocations))
	rt.HandleHTTP("GET /hsds/service_at_locations/{id}", a.handle(a.serviceAtLocation))
}

// apiError is an answer other than 200, with its status.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(w, r)
		if err == nil && v == nil {
			return // streamed
		}
		status := http.StatusOK
		if err != nil {
			var ae *apiError
			switch {
			case errors.As(err, &ae):
				status = ae.status
			case errors.Is(err, ErrNotFound):
				status = http.StatusNotFound
			case errors.Is(err, ErrBadQuery):
				status = http.StatusBadRequest
			default:
				a.log.Error("hsds api", "path", r.URL.Path, "err", err)
				status = http.StatusInternalServerError
			}
			msg := err.Error()
			if status == http.StatusInternalServerError {
				msg = "something went wrong on our side"
			}
			msg = strings.TrimPrefix(strings.TrimPrefix(msg, ErrBadQuery.Error()+": "), "hsds: ")
			v = map[string]any{"status": status, "error": http.StatusText(status), "message": msg}
		}
		body, merr := json.Marshal(v)
		if merr != nil {
			a.log.Error("hsds api: encode", "err", merr)
			http.Error(w, `{"status":500}`, http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Access-Control-Allow-Origin", "*")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

func (a *API) root(w http.ResponseWriter, r *http.Request) (any, error) {
	return map[string]string{
		"version":     "3.0",
		"profile":     "https://docs.openreferral.org/en/3.0/hsds/",
		"openapi_url": a.baseURL + "/hsds/openapi.json",
	}, nil
}

func (a *API) openapi(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := schemaFile("openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	doc["info"] = map[string]any{
		"title":       "Rangkul service directory (HSDS 3.0)",
		"version":     "3.0",
		"description": "The public service directory of this Rangkul, in the Open Referral Human Services Data Specification 3.0.",
		"license":     map[string]string{"name": "CC BY-SA 4.0 (HSDS specification, Open Referral)", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
	}
	doc["servers"] = []map[string]string{{"url": a.baseURL + "/hsds"}}
	return doc, nil
}

// envelope is the HSDS paging envelope.
type envelope struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   any  `json:"contents"`
}

func newEnvelope(total, pages, page, size int, contents any) envelope {
	return envelope{TotalItems: total, TotalPages: pages, PageNumber: page, Size: size,
		FirstPage: page == 1, LastPage: page >= pages, Empty: size == 0, Contents: contents}
}

// params reads the query parameters every list shares.
type params struct {
	v url.Values
}

func (p params) intParam(name string) (int, error) {
	s := strings.TrimSpace(p.v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badRequest("%s must be a whole number of 1 or more, not %q", name, s)
	}
	return n, nil
}

func (p params) boolParam(name string) (bool, error) {
	s := strings.TrimSpace(p.v.Get(name))
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badRequest("%s must be true or false, not %q", name, s)
	}
	return b, nil
}

func (p params) paging() (int, int, error) {
	page, err := p.intParam("page")
	if err != nil {
		return 0, 0, err
	}
	per, err := p.intParam("per_page")
	if err != nil {
		return 0, 0, err
	}
	return page, per, nil
}

func (p params) format() (string, error) {
	switch f := strings.ToLower(p.v.Get("format")); f {
	case "", "json":
		return "json", nil
	case "ndjson":
		return "ndjson", nil
	default:
		return "", badRequest("format must be json or ndjson, not %q", f)
	}
}

// filter reads the service filters of /services and /service_at_locations.
func (a *API) filter(r *http.Request) (Filter, error) {
	p := params{r.URL.Query()}
	f := Filter{
		Text:           p.v.Get("search"),
		TaxonomyTermID: p.v.Get("taxonomy_term_id"),
		TaxonomyID:     p.v.Get("taxonomy_id"),
		OrganizationID: p.v.Get("organization_id"),
		Postcode:       p.v.Get("postcode"),
		TimeZone:       a.zone,
	}
	var err error
	if f.Page, f.PerPage, err = p.paging(); err != nil {
		return f, err
	}
	if s := strings.TrimSpace(p.v.Get("modified_after")); s != "" {
		t, err := parseDateTime(s)
		if err != nil {
			return f, badRequest("modified_after must be a date and time such as 2024-05-01T00:00:00Z, not %q", s)
		}
		f.ModifiedAfter = &t
	}
	if s := strings.TrimSpace(p.v.Get("proximity")); s != "" {
		m, err := strconv.ParseFloat(s, 64)
		if err != nil || m <= 0 || math.IsInf(m, 0) {
			return f, badRequest("proximity must be a distance in meters greater than 0, not %q", s)
		}
		if f.Postcode == "" {
			return f, badRequest("proximity needs a postcode: it is measured from the postcode's centre")
		}
		centre, err := a.store.PostcodeCentre(r.Context(), f.Postcode)
		if err != nil {
			return f, err
		}
		f.Near, f.RadiusKm, f.Postcode = &centre, m/1000, ""
	}
	return f, nil
}

func (a *API) services(w http.ResponseWriter, r *http.Request) (any, error) {
	p := params{r.URL.Query()}
	f, err := a.filter(r)
	if err != nil {
		return nil, err
	}
	format, err := p.format()
	if err != nil {
		return nil, err
	}
	minimal, err := p.boolParam("minimal")
	if err != nil {
		return nil, err
	}
	full, err := p.boolParam("full")
	if err != nil {
		return nil, err
	}
	render := func(pg *Page) (any, []any, error) {
		items := make([]any, 0, len(pg.Services))
		switch {
		case minimal:
			for _, sv := range pg.Services {
				items = append(items, map[string]string{"id": sv.ID, "last_modified": sv.Curation.ModifiedAt.Format(time.RFC3339)})
			}
		case full:
			ids := make([]string, len(pg.Services))
			for i, sv := range pg.Services {
				ids[i] = sv.ID
			}
			svcs, err := a.store.Services(r.Context(), ids)
			if err != nil {
				return nil, nil, err
			}
			for _, sv := range svcs {
				items = append(items, sv)
			}
		default:
			for _, sv := range pg.Services {
				items = append(items, sv)
			}
		}
		return newEnvelope(pg.TotalItems, pg.TotalPages, pg.PageNumber, pg.Size, items), items, nil
	}
	if format == "ndjson" {
		return a.stream(w, func(page int) ([]any, bool, error) {
			f.Page, f.PerPage = page, MaxPerPage
			pg, err := a.store.Search(r.Context(), f)
			if err != nil {
				return nil, false, err
			}
			_, items, err := render(pg)
			return items, pg.LastPage, err
		})
	}
	pg, err := a.store.Search(r.Context(), f)
	if err != nil {
		return nil, err
	}
	env, _, err := render(pg)
	return env, err
}

// stream writes every result as newline-delimited JSON, page by page.
func (a *API) stream(w http.ResponseWriter, next func(page int) ([]any, bool, error)) (any, error) {
	items, last, err := next(1)
	if err != nil {
		return nil, err
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	enc := json.NewEncoder(w)
	for page := 1; ; page++ {
		if page > 1 {
			if items, last, err = next(page); err != nil {
				a.log.Error("hsds api: stream", "err", err)
				return nil, nil
			}
		}
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return nil, nil
			}
		}
		if last || len(items) == 0 {
			return nil, nil
		}
	}
}

func (a *API) service(w http.ResponseWriter, r *http.Request) (any, error) {
	sv, err := a.store.Service(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no service has the id %q", r.PathValue("id"))}
	}
	return sv, err
}

func (a *API) listFilter(r *http.Request) (ListFilter, error) {
	p := params{r.URL.Query()}
	f := ListFilter{Search: p.v.Get("search"), TaxonomyID: p.v.Get("taxonomy_id"), ParentID: p.v.Get("parent_id")}
	var err error
	if f.Page, f.PerPage, err = p.paging(); err != nil {
		return f, err
	}
	if f.TopOnly, err = p.boolParam("top_only"); err != nil {
		return f, err
	}
	if _, err := p.format(); err != nil {
		return f, err
	}
	return f, nil
}

func listEnvelope[T any](l *List[T], conv func(T) any) envelope {
	items := make([]any, 0, len(l.Items))
	for _, it := range l.Items {
		items = append(items, conv(it))
	}
	return newEnvelope(l.TotalItems, l.TotalPages, l.PageNumber, len(items), items)
}

func (a *API) organizations(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := a.listFilter(r)
	if err != nil {
		return nil, err
	}
	p := params{r.URL.Query()}
	full, err := p.boolParam("full")
	if err != nil {
		return nil, err
	}
	fullService, err := p.boolParam("full_service")
	if err != nil {
		return nil, err
	}
	l, err := a.store.Organizations(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if !full && !fullService {
		return listEnvelope(l, func(o Organization) any { return o }), nil
	}
	items := make([]any, 0, len(l.Items))
	for _, o := range l.Items {
		fo, err := a.store.Organization(r.Context(), o.ID)
		if err != nil {
			return nil, err
		}
		items = append(items, fo)
	}
	return newEnvelope(l.TotalItems, l.TotalPages, l.PageNumber, len(items), items), nil
}

func (a *API) organization(w http.ResponseWriter, r *http.Request) (any, error) {
	if _, err := (params{r.URL.Query()}).boolParam("full_service"); err != nil {
		return nil, err
	}
	o, err := a.store.Organization(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no organization has the id %q", r.PathValue("id"))}
	}
	return o, err
}

func (a *API) taxonomies(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := a.listFilter(r)
	if err != nil {
		return nil, err
	}
	l, err := a.store.Taxonomies(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return listEnvelope(l, func(t Taxonomy) any { return t }), nil
}

func (a *API) taxonomy(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.store.Taxonomy(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no taxonomy has the id %q", r.PathValue("id"))}
	}
	return t, err
}

func (a *API) taxonomyTerms(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := a.listFilter(r)
	if err != nil {
		return nil, err
	}
	l, err := a.store.TaxonomyTerms(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return listEnvelope(l, func(t TaxonomyTerm) any { return t }), nil
}

func (a *API) taxonomyTerm(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.store.TaxonomyTerm(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no taxonomy term has the id %q", r.PathValue("id"))}
	}
	return t, err
}

// salJSON is a service at a location with its service, as the API writes it.
type salJSON struct {
	ServiceAtLocation
	Service *Service `json:"service,omitempty"`
}

func (a *API) serviceAtLocations(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := a.filter(r)
	if err != nil {
		return nil, err
	}
	p := params{r.URL.Query()}
	if _, err := p.format(); err != nil {
		return nil, err
	}
	full, err := p.boolParam("full")
	if err != nil {
		return nil, err
	}
	l, err := a.store.ServiceAtLocations(r.Context(), f)
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(l.Items))
	for _, sl := range l.Items {
		if full {
			fs, err := a.store.ServiceAtLocation(r.Context(), sl.ID)
			if err != nil {
				return nil, err
			}
			items = append(items, salJSON{*fs, fs.Service()})
			continue
		}
		items = append(items, salJSON{sl, sl.Service()})
	}
	return newEnvelope(l.TotalItems, l.TotalPages, l.PageNumber, len(items), items), nil
}

func (a *API) serviceAtLocation(w http.ResponseWriter, r *http.Request) (any, error) {
	sl, err := a.store.ServiceAtLocation(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no service at location has the id %q", r.PathValue("id"))}
	}
	if err != nil {
		return nil, err
	}
	return salJSON{*sl, sl.Service()}, nil
}
