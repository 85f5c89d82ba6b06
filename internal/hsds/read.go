package hsds

import (
	"context"
	"reflect"
	"sort"

	"github.com/rangkul/rangkul/internal/db"
)

// loadBy reads the rows of t whose column col is one of ids, as structs of
// type T grouped by that column's value.
func loadBy[T any](ctx context.Context, q db.Querier, t *table, col string, ids []string) (map[string][]T, error) {
	out := map[string][]T{}
	ids = uniq(ids)
	for _, part := range chunks(ids, 500) {
		cond, args := inList("x."+quoteCol(col), 1, part)
		// The "<> ''" lets the engines use the partial indexes on link
		// columns (migration 0022), which leave out the rows without a link.
		rs, err := rowsWhere(ctx, q, t, cond+" AND x."+quoteCol(col)+" <> ''", args...)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			var v T
			fillStruct(r, &v)
			k := r.str(col)
			out[k] = append(out[k], v)
		}
	}
	return out, nil
}

func uniq(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func first[T any](m map[string][]T, id string) *T {
	if v := m[id]; len(v) > 0 {
		return &v[0]
	}
	return nil
}

var (
	tOrganizations = tableByName("organizations")
	tPrograms      = tableByName("programs")
	tServices      = tableByName("services")
	tLocations     = tableByName("locations")
	tSAL           = tableByName("service_at_location")
	tContacts      = tableByName("contacts")
	tPhones        = tableByName("phones")
	tSchedules     = tableByName("schedules")
	tFunding       = tableByName("funding")
	tServiceAreas  = tableByName("service_areas")
	tRequiredDocs  = tableByName("required_documents")
	tLanguages     = tableByName("languages")
	tAccessibility = tableByName("accessibility")
	tAddresses     = tableByName("addresses")
	tCostOptions   = tableByName("cost_options")
	tOrgIDs        = tableByName("organization_identifiers")
	tTaxonomies    = tableByName("taxonomies")
	tTerms         = tableByName("taxonomy_terms")
	tAttributes    = tableByName("attributes")
	tMetadata      = tableByName("metadata")
)

// phonesBy loads phones with their languages.
func phonesBy(ctx context.Context, q db.Querier, col string, ids []string) (map[string][]Phone, error) {
	m, err := loadBy[Phone](ctx, q, tPhones, col, ids)
	if err != nil {
		return nil, err
	}
	var pids []string
	for _, ps := range m {
		for _, p := range ps {
			pids = append(pids, p.ID)
		}
	}
	langs, err := loadBy[Language](ctx, q, tLanguages, "phone_id", pids)
	if err != nil {
		return nil, err
	}
	for k, ps := range m {
		for i := range ps {
			ps[i].Languages = langs[ps[i].ID]
		}
		m[k] = ps
	}
	return m, nil
}

// contactsBy loads contacts with their phones.
func contactsBy(ctx context.Context, q db.Querier, col string, ids []string) (map[string][]Contact, error) {
	m, err := loadBy[Contact](ctx, q, tContacts, col, ids)
	if err != nil {
		return nil, err
	}
	var cids []string
	for _, cs := range m {
		for _, c := range cs {
			cids = append(cids, c.ID)
		}
	}
	phones, err := phonesBy(ctx, q, "contact_id", cids)
	if err != nil {
		return nil, err
	}
	for _, cs := range m {
		for i := range cs {
			cs[i].Phones = phones[cs[i].ID]
		}
	}
	return m, nil
}

// locationsBy loads fully nested locations.
func locationsBy(ctx context.Context, q db.Querier, col string, ids []string) (map[string][]Location, error) {
	m, err := loadBy[Location](ctx, q, tLocations, col, ids)
	if err != nil {
		return nil, err
	}
	var lids []string
	for _, ls := range m {
		for _, l := range ls {
			lids = append(lids, l.ID)
		}
	}
	langs, err := loadBy[Language](ctx, q, tLanguages, "location_id", lids)
	if err != nil {
		return nil, err
	}
	addrs, err := loadBy[Address](ctx, q, tAddresses, "location_id", lids)
	if err != nil {
		return nil, err
	}
	contacts, err := contactsBy(ctx, q, "location_id", lids)
	if err != nil {
		return nil, err
	}
	access, err := loadBy[Accessibility](ctx, q, tAccessibility, "location_id", lids)
	if err != nil {
		return nil, err
	}
	phones, err := phonesBy(ctx, q, "location_id", lids)
	if err != nil {
		return nil, err
	}
	scheds, err := loadBy[Schedule](ctx, q, tSchedules, "location_id", lids)
	if err != nil {
		return nil, err
	}
	for _, ls := range m {
		for i := range ls {
			id := ls[i].ID
			ls[i].Languages, ls[i].Addresses, ls[i].Contacts = langs[id], addrs[id], contacts[id]
			ls[i].Accessibility, ls[i].Phones, ls[i].Schedules = access[id], phones[id], scheds[id]
		}
	}
	return m, nil
}

// salsBy loads services at locations with their contacts, phones,
// schedules and location.
func salsBy(ctx context.Context, q db.Querier, col string, ids []string) (map[string][]ServiceAtLocation, error) {
	m, err := loadBy[ServiceAtLocation](ctx, q, tSAL, col, ids)
	if err != nil {
		return nil, err
	}
	var sids, lids []string
	for _, ss := range m {
		for _, s := range ss {
			sids = append(sids, s.ID)
			lids = append(lids, s.LocationID)
		}
	}
	contacts, err := contactsBy(ctx, q, "service_at_location_id", sids)
	if err != nil {
		return nil, err
	}
	phones, err := phonesBy(ctx, q, "service_at_location_id", sids)
	if err != nil {
		return nil, err
	}
	scheds, err := loadBy[Schedule](ctx, q, tSchedules, "service_at_location_id", sids)
	if err != nil {
		return nil, err
	}
	locs, err := locationsBy(ctx, q, "id", lids)
	if err != nil {
		return nil, err
	}
	for _, ss := range m {
		for i := range ss {
			id := ss[i].ID
			ss[i].Contacts, ss[i].Phones, ss[i].Schedules = contacts[id], phones[id], scheds[id]
			ss[i].Location = first(locs, ss[i].LocationID)
		}
	}
	return m, nil
}

// organizationsFull loads fully nested organizations by id.
func organizationsFull(ctx context.Context, q db.Querier, ids []string) (map[string]*Organization, error) {
	m, err := loadBy[Organization](ctx, q, tOrganizations, "id", ids)
	if err != nil {
		return nil, err
	}
	funding, err := loadBy[Funding](ctx, q, tFunding, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	contacts, err := contactsBy(ctx, q, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	phones, err := phonesBy(ctx, q, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	locs, err := locationsBy(ctx, q, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	programs, err := loadBy[Program](ctx, q, tPrograms, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	idents, err := loadBy[OrganizationIdentifier](ctx, q, tOrgIDs, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	out := map[string]*Organization{}
	for id, os := range m {
		o := os[0]
		o.Funding, o.Contacts, o.Phones, o.Locations = funding[id], contacts[id], phones[id], locs[id]
		o.Programs, o.OrganizationIdentifiers = programs[id], idents[id]
		out[id] = &o
	}
	return out, nil
}

// servicesFull loads fully nested services by id, in the order of ids.
func (s *Store) servicesFull(ctx context.Context, q db.Querier, ids []string) ([]Service, error) {
	base, err := s.servicesByID(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	phones, err := phonesBy(ctx, q, "service_id", ids)
	if err != nil {
		return nil, err
	}
	scheds, err := loadBy[Schedule](ctx, q, tSchedules, "service_id", ids)
	if err != nil {
		return nil, err
	}
	areas, err := loadBy[ServiceArea](ctx, q, tServiceAreas, "service_id", ids)
	if err != nil {
		return nil, err
	}
	sals, err := salsBy(ctx, q, "service_id", ids)
	if err != nil {
		return nil, err
	}
	langs, err := loadBy[Language](ctx, q, tLanguages, "service_id", ids)
	if err != nil {
		return nil, err
	}
	funding, err := loadBy[Funding](ctx, q, tFunding, "service_id", ids)
	if err != nil {
		return nil, err
	}
	costs, err := loadBy[CostOption](ctx, q, tCostOptions, "service_id", ids)
	if err != nil {
		return nil, err
	}
	docs, err := loadBy[RequiredDocument](ctx, q, tRequiredDocs, "service_id", ids)
	if err != nil {
		return nil, err
	}
	contacts, err := contactsBy(ctx, q, "service_id", ids)
	if err != nil {
		return nil, err
	}
	var orgIDs, progIDs []string
	for _, sv := range base {
		orgIDs = append(orgIDs, sv.OrganizationID)
		progIDs = append(progIDs, sv.ProgramID)
	}
	orgs, err := organizationsFull(ctx, q, orgIDs)
	if err != nil {
		return nil, err
	}
	progs, err := loadBy[Program](ctx, q, tPrograms, "id", progIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Service, 0, len(base))
	for _, sv := range base {
		id := sv.ID
		sv.Phones, sv.Schedules, sv.ServiceAreas, sv.ServiceAtLocations = phones[id], scheds[id], areas[id], sals[id]
		sv.Languages, sv.Funding, sv.CostOptions, sv.RequiredDocuments = langs[id], funding[id], costs[id], docs[id]
		sv.Contacts = contacts[id]
		sv.Organization = orgs[sv.OrganizationID]
		sv.Program = first(progs, sv.ProgramID)
		out = append(out, sv)
	}
	if err := attachExtras(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// servicesByID reads the one-to-one fields and curation facts of services,
// in the order of ids (missing ids are skipped).
func (s *Store) servicesByID(ctx context.Context, q db.Querier, ids []string) ([]Service, error) {
	byID := map[string]Service{}
	for _, part := range chunks(uniq(ids), 500) {
		cond, args := inList("x.id", 1, part)
		query := "SELECT " + tServices.selectList("x") + ", x.modified_at, x.last_verified_at, x.curated_by, x.cost_class, x.online, x.in_person FROM hsds_services x WHERE " + cond
		rs, err := q.Query(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		if err := scanServices(rs, func(sv Service) { byID[sv.ID] = sv }); err != nil {
			return nil, err
		}
	}
	out := make([]Service, 0, len(ids))
	for _, id := range ids {
		if sv, ok := byID[id]; ok {
			out = append(out, sv)
		}
	}
	return out, nil
}

// attachExtras fills the attributes (with their taxonomy terms) and metadata
// of every record inside v, which holds HSDS structs.
func attachExtras(ctx context.Context, q db.Querier, v any) error {
	ids := collectIDs(reflect.ValueOf(v), "Attributes")
	attrs, err := loadBy[Attribute](ctx, q, tAttributes, "link_id", ids)
	if err != nil {
		return err
	}
	var termIDs []string
	for _, as := range attrs {
		for _, a := range as {
			termIDs = append(termIDs, a.TaxonomyTermID)
		}
	}
	terms, err := termsByID(ctx, q, termIDs)
	if err != nil {
		return err
	}
	for _, as := range attrs {
		for i := range as {
			if t, ok := terms[as[i].TaxonomyTermID]; ok {
				tc := t
				as[i].TaxonomyTerm = &tc
			}
		}
	}
	assign(reflect.ValueOf(v), "Attributes", func(id string) reflect.Value {
		if as := attrs[id]; len(as) > 0 {
			return reflect.ValueOf(append([]Attribute(nil), as...))
		}
		return reflect.Value{}
	})
	ids = collectIDs(reflect.ValueOf(v), "Metadata")
	meta, err := loadBy[Metadata](ctx, q, tMetadata, "resource_id", ids)
	if err != nil {
		return err
	}
	assign(reflect.ValueOf(v), "Metadata", func(id string) reflect.Value {
		if ms := meta[id]; len(ms) > 0 {
			return reflect.ValueOf(append([]Metadata(nil), ms...))
		}
		return reflect.Value{}
	})
	return nil
}

// termsByID loads taxonomy terms with their taxonomy as taxonomy_detail.
func termsByID(ctx context.Context, q db.Querier, ids []string) (map[string]TaxonomyTerm, error) {
	m, err := loadBy[TaxonomyTerm](ctx, q, tTerms, "id", ids)
	if err != nil {
		return nil, err
	}
	var taxIDs []string
	for _, ts := range m {
		taxIDs = append(taxIDs, ts[0].TaxonomyID)
	}
	taxes, err := loadBy[Taxonomy](ctx, q, tTaxonomies, "id", taxIDs)
	if err != nil {
		return nil, err
	}
	out := map[string]TaxonomyTerm{}
	for id, ts := range m {
		t := ts[0]
		t.TaxonomyDetail = first(taxes, t.TaxonomyID)
		out[id] = t
	}
	return out, nil
}

// collectIDs gathers the ID of every struct inside v that has the named field.
func collectIDs(v reflect.Value, field string) []string {
	var ids []string
	walkStructs(v, func(s reflect.Value) {
		if s.FieldByName(field).IsValid() {
			if id := s.FieldByName("ID"); id.IsValid() {
				ids = append(ids, id.String())
			}
		}
	})
	return ids
}

// assign sets the named field of every struct inside v to get(its ID).
func assign(v reflect.Value, field string, get func(id string) reflect.Value) {
	walkStructs(v, func(s reflect.Value) {
		f := s.FieldByName(field)
		if !f.IsValid() || !f.CanSet() {
			return
		}
		if val := get(s.FieldByName("ID").String()); val.IsValid() {
			f.Set(val)
		}
	})
}

// walkStructs calls fn on every addressable struct reachable from v through
// pointers, slices and struct fields, children before parents. Attribute
// and Metadata values are left alone: they are what is being attached.
func walkStructs(v reflect.Value, fn func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStructs(v.Elem(), fn)
		}
	case reflect.Slice:
		if v.Type().Elem() == reflect.TypeOf(Attribute{}) || v.Type().Elem() == reflect.TypeOf(Metadata{}) {
			return
		}
		for i := 0; i < v.Len(); i++ {
			walkStructs(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Curation{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStructs(v.Field(i), fn)
			}
		}
		if v.CanAddr() {
			fn(v)
		}
	}
}
