package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/db"
)

const hsdsExamples = "../hsds/testdata/examples/"

// hsdsSchemas compiles the official compiled HSDS schemas (copied to
// internal/hsds/testdata) and the OpenAPI paging envelope.
func hsdsSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"service_list.json", "service_with_definitions.json", "organization_list.json", "service_at_location_list.json"} {
		f, err := os.Open("../hsds/testdata/compiled/" + name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("https://hsds.test/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("../hsds/schema/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	openapi, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	page := openapi.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)["Page"].(map[string]any)
	page["required"] = []any{"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
	if err := c.AddResource("https://hsds.test/page.json", page); err != nil {
		t.Fatal(err)
	}
	out := map[string]*jsonschema.Schema{}
	for name, loc := range map[string]string{
		"service_list":        "service_list.json",
		"service":             "service_with_definitions.json",
		"organization_list":   "organization_list.json",
		"sal_list":            "service_at_location_list.json",
		"organization":        "service_with_definitions.json#/definitions/organization",
		"service_at_location": "service_with_definitions.json#/definitions/service_at_location",
		"taxonomy":            "service_with_definitions.json#/definitions/taxonomy",
		"taxonomy_term":       "service_with_definitions.json#/definitions/taxonomy_term",
		"page":                "page.json",
	} {
		sch, err := c.Compile("https://hsds.test/" + loc)
		if err != nil {
			t.Fatalf("compile %s: %v", loc, err)
		}
		out[name] = sch
	}
	return out
}

// getJSON fetches path and decodes it as the schema validator wants it.
func getJSON(t *testing.T, env *apptest.Env, path string, status int) any {
	t.Helper()
	res := env.Stranger().Get(path)
	if res.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d: %s", path, res.StatusCode, status, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(res.Body))
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return doc
}

func validate(t *testing.T, sch *jsonschema.Schema, v any, what string) {
	t.Helper()
	if err := sch.Validate(v); err != nil {
		t.Fatalf("%s does not match the HSDS schema: %v", what, err)
	}
}

// page checks an HSDS paging envelope and its items, and returns the items.
func page(t *testing.T, schemas map[string]*jsonschema.Schema, doc any, item, what string) []any {
	t.Helper()
	validate(t, schemas["page"], doc, what)
	env := doc.(map[string]any)
	items := env["contents"].([]any)
	for _, it := range items {
		validate(t, schemas[item], it, what)
	}
	if n, _ := env["size"].(json.Number).Int64(); int(n) != len(items) {
		t.Fatalf("%s: size %d but %d items", what, n, len(items))
	}
	return items
}

func total(doc any) int {
	n, _ := doc.(map[string]any)["total_items"].(json.Number).Int64()
	return int(n)
}

func TestHSDSAPI(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	emptyDirectory(t, env)
	for _, f := range []string{"csv", "service_full.json", "organization_full.json", "service_at_location_full.json", "taxonomy_term_list.json"} {
		if _, err := env.App.HSDS.Import(ctx, hsdsExamples+f, nil); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	near := `{"id": "5e1d2c3b-4a59-4687-9788-a9b0c1d2e3f4", "name": "Konseling Tebet", "status": "active",
		"organization": {"id": "6f2e3d4c-5b6a-4798-8899-b0c1d2e3f405", "name": "Puskesmas Tebet", "description": "Layanan kesehatan"},
		"service_at_locations": [{"id": "7a3f4e5d-6c7b-48a9-99aa-c1d2e3f40516", "location": {"id": "8b4a5f6e-7d8c-49ba-aabb-d2e3f4051627",
			"location_type": "physical", "latitude": -6.2264, "longitude": 106.8535,
			"addresses": [{"id": "9c5b6a7f-8e9d-4acb-bbcc-e3f405162738", "address_1": "Jl. Prof. Dr. Soepomo 54", "city": "Jakarta",
				"state_province": "DKI Jakarta", "postal_code": "12810", "country": "ID", "address_type": "physical"}]}}]}`
	if _, err := env.App.HSDS.ImportJSON(ctx, strings.NewReader(near), nil); err != nil {
		t.Fatal(err)
	}
	schemas := hsdsSchemas(t)

	root := getJSON(t, env, "/hsds/", 200).(map[string]any)
	if root["version"] != "3.0" || !strings.HasSuffix(root["openapi_url"].(string), "/hsds/openapi.json") {
		t.Fatalf("root = %v", root)
	}
	openapi := getJSON(t, env, "/hsds/openapi.json", 200).(map[string]any)
	if _, ok := openapi["paths"].(map[string]any)["/services/{id}"]; !ok {
		t.Fatal("openapi.json has no /services/{id}")
	}

	list := getJSON(t, env, "/hsds/services", 200)
	items := page(t, schemas, list, "service_list", "/hsds/services")
	if total(list) != 2 || len(items) != 2 {
		t.Fatalf("services: total %d, %d items", total(list), len(items))
	}
	if first := items[0].(map[string]any); first["organization"] == nil {
		t.Fatalf("a listed service carries its organization: %v", first)
	}
	page(t, schemas, getJSON(t, env, "/hsds/services?full=true&per_page=1&page=2", 200), "service", "/hsds/services?full=true")

	full := getJSON(t, env, "/hsds/services/ac148810-d857-441c-9679-408f346de14b", 200)
	validate(t, schemas["service"], full, "/hsds/services/{id}")
	sv := full.(map[string]any)
	if sv["organization"] == nil || len(sv["service_at_locations"].([]any)) != 1 || len(sv["attributes"].([]any)) != 1 || len(sv["cost_options"].([]any)) != 1 {
		t.Fatalf("service is not fully nested: %v", sv)
	}

	for path, want := range map[string]int{
		"/hsds/services?search=counselling":                                               1,
		"/hsds/services?search=konseling":                                                 1,
		"/hsds/services?taxonomy_term_id=3f7b145d-84af-42d7-8fae-eaca714b02b2":            1,
		"/hsds/services?taxonomy_id=5c4d79d7-cc55-470e-9f1f-8cad074e4892":                 1,
		"/hsds/services?organization_id=d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610":             1,
		"/hsds/services?organization_id=6f2e3d4c-5b6a-4798-8899-b0c1d2e3f405":             1,
		"/hsds/services?modified_after=2100-01-01T00:00:00Z":                              0,
		"/hsds/services?modified_after=2023-01-01":                                        2,
		"/hsds/services?postcode=ABC%201234":                                              1,
		"/hsds/services?postcode=12810&proximity=1000":                                    1,
		"/hsds/services?per_page=1":                                                       2,
		"/hsds/service_at_locations?postcode=12810&proximity=5000":                        1,
		"/hsds/service_at_locations?organization_id=d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610": 1,
	} {
		doc := getJSON(t, env, path, 200)
		if strings.HasPrefix(path, "/hsds/services") {
			page(t, schemas, doc, "service_list", path)
		} else {
			page(t, schemas, doc, "sal_list", path)
		}
		if total(doc) != want {
			t.Errorf("%s: %d results, want %d", path, total(doc), want)
		}
	}

	orgs := getJSON(t, env, "/hsds/organizations", 200)
	page(t, schemas, orgs, "organization_list", "/hsds/organizations")
	if total(orgs) != 2 {
		t.Fatalf("organizations: %d", total(orgs))
	}
	page(t, schemas, getJSON(t, env, "/hsds/organizations?search=puskesmas&full=true", 200), "organization", "/hsds/organizations?full=true")
	org := getJSON(t, env, "/hsds/organizations/d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610?full_service=true", 200)
	validate(t, schemas["organization"], org, "/hsds/organizations/{id}")
	if svcs, _ := org.(map[string]any)["services"].([]any); len(svcs) != 1 {
		t.Fatalf("organization services = %v", svcs)
	}

	sals := getJSON(t, env, "/hsds/service_at_locations", 200)
	for _, it := range page(t, schemas, sals, "sal_list", "/hsds/service_at_locations") {
		if it.(map[string]any)["location"] == nil || it.(map[string]any)["service"] == nil {
			t.Fatalf("service at location without location or service: %v", it)
		}
	}
	page(t, schemas, getJSON(t, env, "/hsds/service_at_locations?full=true", 200), "service_at_location", "/hsds/service_at_locations?full=true")
	validate(t, schemas["service_at_location"], getJSON(t, env, "/hsds/service_at_locations/e94c9f38-1e8f-4564-91d4-d53501ab1765", 200), "/hsds/service_at_locations/{id}")

	page(t, schemas, getJSON(t, env, "/hsds/taxonomies", 200), "taxonomy", "/hsds/taxonomies")
	validate(t, schemas["taxonomy"], getJSON(t, env, "/hsds/taxonomies/5c4d79d7-cc55-470e-9f1f-8cad074e4892", 200), "/hsds/taxonomies/{id}")
	terms := getJSON(t, env, "/hsds/taxonomy_terms?taxonomy_id=5c4d79d7-cc55-470e-9f1f-8cad074e4892", 200)
	page(t, schemas, terms, "taxonomy_term", "/hsds/taxonomy_terms")
	if total(terms) != 1 {
		t.Fatalf("terms of the taxonomy: %d", total(terms))
	}
	validate(t, schemas["taxonomy_term"], getJSON(t, env, "/hsds/taxonomy_terms/3f7b145d-84af-42d7-8fae-eaca714b02b2", 200), "/hsds/taxonomy_terms/{id}")

	// Clear errors, as JSON.
	for path, status := range map[string]int{
		"/hsds/services/00000000-0000-4000-8000-000000000000":             404,
		"/hsds/organizations/not-an-id":                                   404,
		"/hsds/taxonomy_terms/00000000-0000-4000-8000-000000000000":       404,
		"/hsds/service_at_locations/00000000-0000-4000-8000-000000000000": 404,
		"/hsds/taxonomies/x":                           404,
		"/hsds/services?page=0":                        400,
		"/hsds/services?per_page=many":                 400,
		"/hsds/services?modified_after=yesterday":      400,
		"/hsds/services?proximity=1000":                400,
		"/hsds/services?postcode=00000&proximity=1000": 400,
		"/hsds/services?postcode=12810&proximity=-5":   400,
		"/hsds/services?full=perhaps":                  400,
		"/hsds/services?format=xml":                    400,
	} {
		doc := getJSON(t, env, path, status).(map[string]any)
		if msg, _ := doc["message"].(string); msg == "" {
			t.Errorf("%s: no message in %v", path, doc)
		}
	}
	res := env.Stranger().Get("/hsds/services/" + url.PathEscape("00000000-0000-4000-8000-000000000000"))
	if !strings.Contains(res.Body, `no service has the id \"00000000-0000-4000-8000-000000000000\"`) {
		t.Fatalf("404 body = %s", res.Body)
	}

	// ndjson streams every result without paging.
	res = env.Stranger().Get("/hsds/services?format=ndjson&per_page=1")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("ndjson: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(res.Body), "\n")
	if len(lines) != 2 {
		t.Fatalf("ndjson lines = %d", len(lines))
	}
	for _, l := range lines {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		if err != nil {
			t.Fatal(err)
		}
		validate(t, schemas["service_list"], doc, "ndjson line")
	}
}

// emptyDirectory removes the demo's directory, so that the API is checked
// against exactly the official examples.
func emptyDirectory(t *testing.T, env *apptest.Env) {
	t.Helper()
	ctx := context.Background()
	d := env.App.DB
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'hsds%' AND name NOT LIKE '%fts\_%' ESCAPE '\'`
	if d.Dialect() == db.Postgres {
		list = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'hsds%'`
	}
	rows, err := d.Query(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, tb := range append([]string{"directory_reports"}, tables...) {
		if _, err := d.Exec(ctx, `DELETE FROM `+tb); err != nil {
			t.Fatalf("empty %s: %v", tb, err)
		}
	}
}
