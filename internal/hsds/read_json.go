package hsds

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// readJSON reads an HSDS JSON document: one service, organization, service
// at location, location, taxonomy or taxonomy term (fully nested or not), a
// list of them, an HSDS API page ({"contents": [...]}), or the tabular JSON
// form ({"services.csv": [...], ...}). Records are numbered from 1 in the
// order of the list.
func readJSON(r io.Reader, sch *schemas, prog *progress) (*dataset, error) {
	doc, err := jsonschema.UnmarshalJSON(r)
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	dropEmpty(doc)
	var items []any
	prefix := ""
	switch v := doc.(type) {
	case []any:
		items = v
	case map[string]any:
		if c, ok := v["contents"].([]any); ok {
			items, prefix = c, "/contents"
		} else if isTabular(v) {
			return readTabularJSON(v, sch, prog), nil
		} else {
			items, prefix = []any{v}, ""
		}
	default:
		return nil, fmt.Errorf("expected an HSDS object or a list of them")
	}
	d := newDataset(true)
	for i, it := range items {
		path := prefix
		if prefix != "" || len(items) > 1 || isList(doc) {
			path = fmt.Sprintf("%s/%d", prefix, i)
		}
		o := origin{row: i + 1, path: path}
		obj, ok := it.(map[string]any)
		if !ok {
			d.problems = append(d.problems, Problem{Row: o.row, Path: pathOrRoot(path), Message: "is not a JSON object"})
			continue
		}
		entity := detectEntity(obj)
		for _, p := range sch.validateEntity(entity, obj) {
			t := tableAt(entity, p.at)
			at := path
			if len(p.at) > 0 {
				at += "/" + strings.Join(p.at, "/")
			}
			d.problems = append(d.problems, Problem{Table: t.name, Row: o.row, Path: pathOrRoot(at), Field: p.field, Message: p.message})
		}
		d.flatten(entity, obj, origin{row: o.row, path: pathOrRoot(path)}, nil)
		prog.tick("read", tableByEntity(entity).name, 1)
	}
	fillProgramOrganizations(d)
	return d, nil
}

func isList(doc any) bool { _, ok := doc.([]any); return ok }

func pathOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func isTabular(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !strings.HasSuffix(k, ".csv") {
			return false
		}
	}
	return true
}

// detectEntity tells which HSDS object a JSON object is, from its fields.
func detectEntity(o map[string]any) string {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := o[k]; ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("status", "service_at_locations", "cost_options", "service_areas", "required_documents", "eligibility_description"):
		return "service"
	case has("location_type", "addresses", "accessibility", "latitude", "longitude"):
		return "location"
	case has("location", "service", "location_id"):
		return "service_at_location"
	case has("taxonomy_detail", "term_uri", "parent_id", "taxonomy_id", "code", "taxonomy"):
		return "taxonomy_term"
	case has("version") && !has("website", "legal_status", "locations", "services"):
		return "taxonomy"
	}
	return "organization"
}

type parentRef struct {
	entity string
	id     string
	link   string
}

// flatten adds a JSON record and everything nested in it to d as table
// rows, filling the fields that name a parent from where a record sits, and
// returns the record's id.
func (d *dataset) flatten(entity string, obj map[string]any, o origin, parent *parentRef) string {
	t := tableByEntity(entity)
	r := row{}
	for _, c := range t.columns {
		switch v := obj[c.name].(type) {
		case json.Number:
			if f, err := v.Float64(); err == nil {
				r[c.name] = f
			}
		case float64:
			r[c.name] = v
		case string:
			if v != "" {
				r[c.name] = v
			}
		}
	}
	if parent != nil && parent.link != "" && parent.id != "" {
		if have := r.str(parent.link); have != "" && have != parent.id {
			d.problem(t, o, parent.link, "is %s but the record sits inside %s %s", have, parent.entity, parent.id)
		} else {
			r[parent.link] = parent.id
		}
		switch entity {
		case "attribute":
			if r.str("link_entity") == "" {
				r["link_entity"] = parent.entity
			}
		case "metadata":
			if r.str("resource_type") == "" {
				r["resource_type"] = parent.entity
			}
		}
	}
	for _, n := range nesting[entity] {
		val, ok := obj[n.key]
		if !ok || val == nil {
			continue
		}
		if n.object {
			m, ok := val.(map[string]any)
			if !ok {
				continue
			}
			cid := d.flatten(n.entity, m, origin{row: o.row, path: strings.TrimSuffix(o.path, "/") + "/" + n.key}, nil)
			if cid == "" {
				continue
			}
			if have := r.str(n.reverse); have != "" && have != cid {
				d.problem(t, o, n.reverse, "is %s but the nested %s has id %s", have, n.key, cid)
			} else {
				r[n.reverse] = cid
			}
			continue
		}
		arr, ok := val.([]any)
		if !ok {
			continue
		}
		for i, it := range arr {
			m, ok := it.(map[string]any)
			if !ok {
				continue
			}
			d.flatten(n.entity, m, origin{row: o.row, path: fmt.Sprintf("%s/%s/%d", strings.TrimSuffix(o.path, "/"), n.key, i)},
				&parentRef{entity: entity, id: r.id(), link: n.link})
		}
	}
	d.checkKinds(t, r, o)
	d.add(t, r, o)
	return r.id()
}

// fillProgramOrganizations gives a program nested in a service, which JSON
// writes without its organization_id, the organization of that service.
func fillProgramOrganizations(d *dataset) {
	progs := d.rows[tPrograms]
	if len(progs) == 0 {
		return
	}
	for _, sv := range d.rows[tServices] {
		pid, oid := sv.str("program_id"), sv.str("organization_id")
		if pid == "" || oid == "" {
			continue
		}
		if i, ok := d.index[tPrograms][pid]; ok && progs[i].str("organization_id") == "" {
			progs[i]["organization_id"] = oid
		}
	}
}

// readTabularJSON reads the tabular JSON form: table file name -> rows.
func readTabularJSON(doc map[string]any, sch *schemas, prog *progress) *dataset {
	d := newDataset(false)
	for _, t := range tables {
		v, ok := doc[t.csvFile()]
		if !ok {
			continue
		}
		arr, _ := v.([]any)
		for i, it := range arr {
			o := origin{row: i + 1, path: fmt.Sprintf("/%s/%d", t.csvFile(), i)}
			obj, ok := it.(map[string]any)
			if !ok {
				d.problem(t, o, "", "is not a JSON object")
				continue
			}
			// The tabular form mirrors CSV, where every cell is text: a
			// number in a text column (the official example writes
			// identifiers so) is read as its text.
			for _, c := range t.columns {
				if n, ok := obj[c.name].(json.Number); ok && c.kind != kNumber {
					obj[c.name] = n.String()
				}
			}
			for _, p := range sch.validateEntity(t.entity, obj) {
				d.problem(t, o, p.field, "%s", p.message)
			}
			r := row{}
			for _, c := range t.columns {
				switch x := obj[c.name].(type) {
				case json.Number:
					if f, err := x.Float64(); err == nil {
						r[c.name] = f
					}
				case string:
					if x != "" {
						r[c.name] = x
					}
				}
			}
			d.checkKinds(t, r, o)
			d.add(t, r, o)
			prog.tick("read", t.name, 1)
		}
	}
	for k := range doc {
		if tableByName(strings.TrimSuffix(k, ".csv")) == nil {
			d.warnings = append(d.warnings, Problem{Message: fmt.Sprintf("%s is not an HSDS table; skipped", k)})
		}
	}
	return d
}

// dropEmpty removes empty strings and nulls from every object in v: as in
// a CSV cell, an empty text is an absent one, so a required field given as
// "" is reported missing.
func dropEmpty(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil || e == "" {
				delete(x, k)
				continue
			}
			dropEmpty(e)
		}
	case []any:
		for _, e := range x {
			dropEmpty(e)
		}
	}
}
