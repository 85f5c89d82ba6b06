package hsds

// kind is how a column's text is read from and written to a CSV cell.
type kind int

const (
	kText     kind = iota
	kNumber        // HSDS "number": a decimal
	kDate          // YYYY-MM-DD
	kDateTime      // RFC 3339
	kTime          // HH:MM or HH:MM:SS, optionally with a zone offset
)

type column struct {
	name string
	kind kind
}

// ref is a reference from a column to another table's id. A hard reference
// must resolve (in the same import or in the database), or the import is
// refused: it is how a record belongs to its one owner (a service to its
// organization, a cost option to its service, an address to its location).
// A soft one only earns a warning: the sideways links of records that may
// hang from several parents at once (phones, contacts, schedules, languages,
// funding), a location's organization, a term's taxonomy or parent. HSDS
// lets these name records held elsewhere, and its own examples do.
type ref struct {
	column string
	table  string
	hard   bool
}

// table is one HSDS table: its entity name, CSV file, schema file, SQL table
// and columns in the order of the official CSV examples.
type table struct {
	name     string // CSV base name and the name used in messages: "services"
	entity   string // HSDS object name: "service"
	sql      string // "hsds_services"
	schema   string // "service.json"
	columns  []column
	required []string // tabular_required beyond the schema's required
	refs     []ref
}

func (t *table) csvFile() string { return t.name + ".csv" }

func cols(names ...string) []column {
	out := make([]column, len(names))
	for i, n := range names {
		out[i] = column{name: n}
	}
	return out
}

func (t *table) kindOf(name string) kind {
	for _, c := range t.columns {
		if c.name == name {
			return c.kind
		}
	}
	return kText
}

func typed(cs []column, kinds map[string]kind) []column {
	for i := range cs {
		if k, ok := kinds[cs[i].name]; ok {
			cs[i].kind = k
		}
	}
	return cs
}

// tables lists every HSDS table in an order where a table comes after those
// its hard references point to.
var tables = []*table{
	{name: "organizations", entity: "organization", sql: "hsds_organizations", schema: "organization.json",
		columns: typed(cols("id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
			"year_incorporated", "legal_status", "logo", "uri", "parent_organization_id"),
			map[string]kind{"year_incorporated": kNumber}),
		refs: []ref{{"parent_organization_id", "organizations", false}}},
	{name: "programs", entity: "program", sql: "hsds_programs", schema: "program.json",
		columns:  cols("id", "organization_id", "name", "alternate_name", "description"),
		required: []string{"organization_id"},
		refs:     []ref{{"organization_id", "organizations", true}}},
	{name: "services", entity: "service", sql: "hsds_services", schema: "service.json",
		columns: typed(cols("id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
			"status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
			"accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
			"licenses", "alert", "last_modified"),
			map[string]kind{"minimum_age": kNumber, "maximum_age": kNumber, "assured_date": kDate, "last_modified": kDateTime}),
		required: []string{"organization_id"},
		refs:     []ref{{"organization_id", "organizations", true}, {"program_id", "programs", true}}},
	{name: "locations", entity: "location", sql: "hsds_locations", schema: "location.json",
		columns: typed(cols("id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
			"transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"),
			map[string]kind{"latitude": kNumber, "longitude": kNumber}),
		refs: []ref{{"organization_id", "organizations", false}}},
	{name: "service_at_location", entity: "service_at_location", sql: "hsds_service_at_locations", schema: "service_at_location.json",
		columns:  cols("id", "service_id", "location_id", "description"),
		required: []string{"service_id", "location_id"},
		refs:     []ref{{"service_id", "services", true}, {"location_id", "locations", true}}},
	{name: "contacts", entity: "contact", sql: "hsds_contacts", schema: "contact.json",
		columns: cols("id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title", "department", "email"),
		refs: []ref{{"organization_id", "organizations", false}, {"service_id", "services", false},
			{"service_at_location_id", "service_at_location", false}, {"location_id", "locations", false}}},
	{name: "phones", entity: "phone", sql: "hsds_phones", schema: "phone.json",
		columns: typed(cols("id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
			"number", "extension", "type", "description"), map[string]kind{"extension": kNumber}),
		refs: []ref{{"location_id", "locations", false}, {"service_id", "services", false}, {"organization_id", "organizations", false},
			{"contact_id", "contacts", false}, {"service_at_location_id", "service_at_location", false}}},
	{name: "schedules", entity: "schedule", sql: "hsds_schedules", schema: "schedule.json",
		columns: typed(cols("id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
			"timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
			"description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"),
			map[string]kind{"valid_from": kDate, "valid_to": kDate, "dtstart": kDate, "until": kDate, "timezone": kNumber,
				"count": kNumber, "interval": kNumber, "opens_at": kTime, "closes_at": kTime}),
		refs: []ref{{"service_id", "services", false}, {"location_id", "locations", false}, {"service_at_location_id", "service_at_location", false}}},
	{name: "funding", entity: "funding", sql: "hsds_funding", schema: "funding.json",
		columns: cols("id", "organization_id", "service_id", "source"),
		refs:    []ref{{"organization_id", "organizations", false}, {"service_id", "services", false}}},
	{name: "service_areas", entity: "service_area", sql: "hsds_service_areas", schema: "service_area.json",
		columns: cols("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
		refs:    []ref{{"service_id", "services", true}}},
	{name: "required_documents", entity: "required_document", sql: "hsds_required_documents", schema: "required_document.json",
		columns: cols("id", "service_id", "document", "uri"),
		refs:    []ref{{"service_id", "services", true}}},
	{name: "languages", entity: "language", sql: "hsds_languages", schema: "language.json",
		columns: cols("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
		refs:    []ref{{"service_id", "services", false}, {"location_id", "locations", false}, {"phone_id", "phones", false}}},
	{name: "accessibility", entity: "accessibility", sql: "hsds_accessibility", schema: "accessibility.json",
		columns: cols("id", "location_id", "description", "details", "url"),
		refs:    []ref{{"location_id", "locations", true}}},
	{name: "addresses", entity: "address", sql: "hsds_addresses", schema: "address.json",
		columns: cols("id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
			"postal_code", "country", "address_type"),
		refs: []ref{{"location_id", "locations", true}}},
	{name: "cost_options", entity: "cost_option", sql: "hsds_cost_options", schema: "cost_option.json",
		columns: typed(cols("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"),
			map[string]kind{"valid_from": kDate, "valid_to": kDate, "amount": kNumber}),
		required: []string{"service_id"},
		refs:     []ref{{"service_id", "services", true}}},
	{name: "organization_identifiers", entity: "organization_identifier", sql: "hsds_organization_identifiers", schema: "organization_identifier.json",
		columns:  cols("id", "organization_id", "identifier_scheme", "identifier_type", "identifier"),
		required: []string{"organization_id"},
		refs:     []ref{{"organization_id", "organizations", true}}},
	{name: "taxonomies", entity: "taxonomy", sql: "hsds_taxonomies", schema: "taxonomy.json",
		columns: cols("id", "name", "description", "uri", "version")},
	{name: "taxonomy_terms", entity: "taxonomy_term", sql: "hsds_taxonomy_terms", schema: "taxonomy_term.json",
		columns: cols("id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"),
		refs:    []ref{{"parent_id", "taxonomy_terms", false}, {"taxonomy_id", "taxonomies", false}}},
	{name: "attributes", entity: "attribute", sql: "hsds_attributes", schema: "attribute.json",
		columns:  cols("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
		required: []string{"link_id", "taxonomy_term_id", "link_entity"},
		refs:     []ref{{"taxonomy_term_id", "taxonomy_terms", true}}},
	{name: "metadata", entity: "metadata", sql: "hsds_metadata", schema: "metadata.json",
		columns:  typed(cols("id", "resource_id", "resource_type", "last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"), map[string]kind{"last_action_date": kDate}),
		required: []string{"resource_id", "resource_type"}},
	{name: "meta_table_descriptions", entity: "meta_table_description", sql: "hsds_meta_table_descriptions", schema: "meta_table_description.json",
		columns: cols("id", "name", "language", "character_set")},
}

// tableByName finds a table by its CSV base name.
func tableByName(name string) *table {
	for _, t := range tables {
		if t.name == name {
			return t
		}
	}
	return nil
}

// tableByEntity finds a table by its HSDS object name.
func tableByEntity(entity string) *table {
	for _, t := range tables {
		if t.entity == entity {
			return t
		}
	}
	return nil
}
