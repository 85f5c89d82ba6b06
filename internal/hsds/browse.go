package hsds

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rangkul/rangkul/internal/db"
)

// List is a page of any HSDS records (organizations, taxonomies, terms,
// services at locations), with the HSDS paging facts.
type List[T any] struct {
	Items      []T
	TotalItems int
	TotalPages int
	PageNumber int
	PerPage    int
}

// ListFilter pages through organizations, taxonomies or taxonomy terms.
type ListFilter struct {
	Search     string // words in the name (or description)
	TaxonomyID string // terms: of this taxonomy
	ParentID   string // terms: children of this term
	TopOnly    bool   // terms: only terms without a parent
	Page       int
	PerPage    int
}

func (f *ListFilter) check() error {
	ff := Filter{Page: f.Page, PerPage: f.PerPage}
	if err := ff.check(); err != nil {
		return err
	}
	f.Page, f.PerPage = ff.Page, ff.PerPage
	return nil
}

// pageOf reads one page of t's rows matching where, ordered by order.
func pageOf[T any](ctx context.Context, q db.Querier, t *table, where string, args []any, order string, page, perPage int) (*List[T], error) {
	cond := ""
	if where != "" {
		cond = " WHERE " + where
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT count(*) FROM "+t.sql+" x"+cond, args...).Scan(&total); err != nil {
		return nil, fmt.Errorf("hsds: list %s: %w", t.name, err)
	}
	n := len(args)
	query := fmt.Sprintf("SELECT %s FROM %s x%s ORDER BY %s LIMIT $%d OFFSET $%d", t.selectList("x"), t.sql, cond, order, n+1, n+2)
	rs, err := q.Query(ctx, query, append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return nil, fmt.Errorf("hsds: list %s: %w", t.name, err)
	}
	out := &List[T]{TotalItems: total, TotalPages: (total + perPage - 1) / perPage, PageNumber: page, PerPage: perPage, Items: []T{}}
	err = scanRows(rs, t, func(r row) error {
		var v T
		fillStruct(r, &v)
		out.Items = append(out.Items, v)
		return nil
	})
	return out, err
}

// nameMatch is a case-insensitive contains-match on the words of search in
// the columns given, every word somewhere.
func nameMatch(search string, cols ...string) (string, []any) {
	var conds []string
	var args []any
	for _, w := range strings.Fields(strings.ToLower(search)) {
		args = append(args, db.LikePattern(w))
		var ors []string
		for _, c := range cols {
			ors = append(ors, fmt.Sprintf("lower(x.%s) LIKE $%d ESCAPE '\\'", c, len(args)))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	return strings.Join(conds, " AND "), args
}

// Organizations pages through organizations by name.
func (s *Store) Organizations(ctx context.Context, f ListFilter) (*List[Organization], error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	where, args := nameMatch(f.Search, "name", "alternate_name", "description")
	return pageOf[Organization](ctx, s.db, tOrganizations, where, args, "x.name, x.id", f.Page, f.PerPage)
}

// Organization returns a fully nested organization with its services
// (fully nested too, without repeating the organization), or ErrNotFound.
func (s *Store) Organization(ctx context.Context, id string) (*Organization, error) {
	orgs, err := organizationsFull(ctx, s.db, []string{id})
	if err != nil {
		return nil, fmt.Errorf("hsds: organization: %w", err)
	}
	o := orgs[id]
	if o == nil {
		return nil, ErrNotFound
	}
	ids, err := queryIDs(ctx, s.db, `SELECT id FROM hsds_services WHERE organization_id = $1 ORDER BY name, id`, id)
	if err != nil {
		return nil, fmt.Errorf("hsds: organization: %w", err)
	}
	svcs, err := s.servicesFull(ctx, s.db, ids)
	if err != nil {
		return nil, fmt.Errorf("hsds: organization: %w", err)
	}
	for i := range svcs {
		svcs[i].Organization = nil
	}
	o.Services = svcs
	if err := attachExtras(ctx, s.db, o); err != nil {
		return nil, err
	}
	return o, nil
}

// Taxonomies pages through taxonomies by name.
func (s *Store) Taxonomies(ctx context.Context, f ListFilter) (*List[Taxonomy], error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	where, args := nameMatch(f.Search, "name", "description")
	return pageOf[Taxonomy](ctx, s.db, tTaxonomies, where, args, "x.name, x.id", f.Page, f.PerPage)
}

// Taxonomy returns one taxonomy, or ErrNotFound.
func (s *Store) Taxonomy(ctx context.Context, id string) (*Taxonomy, error) {
	m, err := loadBy[Taxonomy](ctx, s.db, tTaxonomies, "id", []string{id})
	if err != nil {
		return nil, fmt.Errorf("hsds: taxonomy: %w", err)
	}
	if t := first(m, id); t != nil {
		return t, nil
	}
	return nil, ErrNotFound
}

// TaxonomyTerms pages through taxonomy terms, each with its taxonomy.
func (s *Store) TaxonomyTerms(ctx context.Context, f ListFilter) (*List[TaxonomyTerm], error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	where, args := nameMatch(f.Search, "name", "code", "description")
	add := func(cond string, v any) {
		if where != "" {
			where += " AND "
		}
		if v != nil {
			args = append(args, v)
			cond = fmt.Sprintf(cond, len(args))
		}
		where += cond
	}
	if f.TaxonomyID != "" {
		add("x.taxonomy_id = $%d", f.TaxonomyID)
	}
	if f.ParentID != "" {
		add("x.parent_id = $%d", f.ParentID)
	}
	if f.TopOnly {
		add("x.parent_id = ''", nil)
	}
	l, err := pageOf[TaxonomyTerm](ctx, s.db, tTerms, where, args, "x.name, x.id", f.Page, f.PerPage)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range l.Items {
		ids = append(ids, t.TaxonomyID)
	}
	taxes, err := loadBy[Taxonomy](ctx, s.db, tTaxonomies, "id", ids)
	if err != nil {
		return nil, err
	}
	for i := range l.Items {
		l.Items[i].TaxonomyDetail = first(taxes, l.Items[i].TaxonomyID)
	}
	return l, nil
}

// TaxonomyTerm returns one term with its taxonomy, or ErrNotFound.
func (s *Store) TaxonomyTerm(ctx context.Context, id string) (*TaxonomyTerm, error) {
	m, err := termsByID(ctx, s.db, []string{id})
	if err != nil {
		return nil, fmt.Errorf("hsds: taxonomy term: %w", err)
	}
	t, ok := m[id]
	if !ok {
		return nil, ErrNotFound
	}
	return &t, nil
}

// TermCount is a taxonomy term and how many services carry it.
type TermCount struct {
	Term     TaxonomyTerm
	Services int
}

// UsedTerms lists the taxonomy terms services carry, most used first, for
// a filter menu.
func (s *Store) UsedTerms(ctx context.Context) ([]TermCount, error) {
	rs, err := s.db.Query(ctx, `SELECT `+tTerms.selectList("x")+`, count(DISTINCT a.link_id) FROM hsds_taxonomy_terms x
		JOIN hsds_attributes a ON a.taxonomy_term_id = x.id JOIN hsds_services s ON s.id = a.link_id
		GROUP BY `+tTerms.selectList("x")+` ORDER BY count(DISTINCT a.link_id) DESC, x.name`)
	if err != nil {
		return nil, fmt.Errorf("hsds: used terms: %w", err)
	}
	defer rs.Close()
	var out []TermCount
	n := len(tTerms.columns)
	vals := make([]sql.NullString, n)
	dest := make([]any, n+1)
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rs.Next() {
		var c TermCount
		dest[n] = &c.Services
		if err := rs.Scan(dest...); err != nil {
			return nil, err
		}
		r := row{}
		for i, col := range tTerms.columns {
			r[col.name] = vals[i].String
		}
		fillStruct(r, &c.Term)
		out = append(out, c)
	}
	return out, rs.Err()
}

// LanguageCount is a language services are offered in and how many.
type LanguageCount struct {
	Code     string // as written in the data, lower-case
	Name     string // the name most used with that code
	Services int
}

// UsedLanguages lists the languages of services, most used first, for a
// filter menu.
func (s *Store) UsedLanguages(ctx context.Context) ([]LanguageCount, error) {
	rs, err := s.db.Query(ctx, `SELECT lower(code), name, count(DISTINCT service_id) FROM hsds_languages
		WHERE service_id <> '' GROUP BY lower(code), name ORDER BY count(DISTINCT service_id) DESC, name`)
	if err != nil {
		return nil, fmt.Errorf("hsds: used languages: %w", err)
	}
	defer rs.Close()
	var out []LanguageCount
	seen := map[string]int{}
	for rs.Next() {
		var c LanguageCount
		if err := rs.Scan(&c.Code, &c.Name, &c.Services); err != nil {
			return nil, err
		}
		key := c.Code
		if key == "" {
			key = strings.ToLower(c.Name)
		}
		if i, ok := seen[key]; ok {
			out[i].Services += c.Services
			continue
		}
		seen[key] = len(out)
		out = append(out, c)
	}
	return out, rs.Err()
}
