package hsds

// nest is how an HSDS object holds another in JSON: under key, a list (or,
// for object, one) of entity. link is the child's field that names the
// parent; reverse is the parent's field that names the child (for an
// object like a service's organization).
type nest struct {
	key     string
	entity  string
	link    string
	reverse string
	object  bool
}

func children(link string, pairs ...string) []nest {
	var out []nest
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, nest{key: pairs[i], entity: pairs[i+1], link: link})
	}
	return out
}

func extras(n []nest) []nest {
	return append(n, nest{key: "attributes", entity: "attribute", link: "link_id"}, nest{key: "metadata", entity: "metadata", link: "resource_id"})
}

// nesting lists, for each HSDS object, the objects it holds in JSON.
var nesting = map[string][]nest{
	"organization": extras(children("organization_id", "funding", "funding", "contacts", "contact", "phones", "phone",
		"locations", "location", "programs", "program", "organization_identifiers", "organization_identifier",
		"services", "service")),
	"service": extras(append(children("service_id", "phones", "phone", "schedules", "schedule", "service_areas", "service_area",
		"service_at_locations", "service_at_location", "languages", "language", "funding", "funding",
		"cost_options", "cost_option", "required_documents", "required_document", "contacts", "contact"),
		nest{key: "organization", entity: "organization", reverse: "organization_id", object: true},
		nest{key: "program", entity: "program", reverse: "program_id", object: true})),
	"service_at_location": extras(append(children("service_at_location_id", "contacts", "contact", "phones", "phone", "schedules", "schedule"),
		nest{key: "location", entity: "location", reverse: "location_id", object: true},
		nest{key: "service", entity: "service", reverse: "service_id", object: true})),
	"location": extras(children("location_id", "languages", "language", "addresses", "address", "contacts", "contact",
		"accessibility", "accessibility", "phones", "phone", "schedules", "schedule")),
	"contact":                 extras(children("contact_id", "phones", "phone")),
	"phone":                   extras(children("phone_id", "languages", "language")),
	"attribute":               {{key: "taxonomy_term", entity: "taxonomy_term", reverse: "taxonomy_term_id", object: true}, {key: "metadata", entity: "metadata", link: "resource_id"}},
	"taxonomy_term":           {{key: "taxonomy_detail", entity: "taxonomy", reverse: "taxonomy_id", object: true}, {key: "metadata", entity: "metadata", link: "resource_id"}},
	"taxonomy":                {{key: "metadata", entity: "metadata", link: "resource_id"}},
	"program":                 extras(nil),
	"address":                 extras(nil),
	"schedule":                extras(nil),
	"funding":                 extras(nil),
	"service_area":            extras(nil),
	"required_document":       extras(nil),
	"language":                extras(nil),
	"accessibility":           extras(nil),
	"cost_option":             extras(nil),
	"organization_identifier": extras(nil),
	"meta_table_description":  extras(nil),
	"metadata":                nil,
}

func nestOf(entity, key string) (nest, bool) {
	for _, n := range nesting[entity] {
		if n.key == key {
			return n, true
		}
	}
	return nest{}, false
}

// tableAt finds which table the object at JSON pointer tokens (relative to
// a record of entity) belongs to: ["service_at_locations", "0", "location"]
// under a service is a location.
func tableAt(entity string, tokens []string) *table {
	for i := 0; i < len(tokens); i++ {
		n, ok := nestOf(entity, tokens[i])
		if !ok {
			break
		}
		entity = n.entity
		if !n.object {
			i++ // skip the list index
		}
	}
	return tableByEntity(entity)
}
