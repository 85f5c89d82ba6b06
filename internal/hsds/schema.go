package hsds

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	jskind "github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The HSDS 3.0 schemas (Open Referral, CC BY-SA 4.0; see NOTICE), the
// datapackage.json written with exports, and the OpenAPI document served at
// /hsds/openapi.json.
//
//go:embed schema/*.json schema/LICENSE
var schemaFiles embed.FS

const schemaBase = "https://schema.rangkul.invalid/hsds/3.0/"

// schemas holds one compiled schema per HSDS object, compiled once.
type schemas struct {
	byEntity map[string]*jsonschema.Schema
}

var (
	compiledOnce sync.Once
	compiled     *schemas
	compileErr   error
)

func loadSchemas() (*schemas, error) {
	compiledOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		for _, t := range tables {
			body, err := schemaFiles.ReadFile("schema/" + t.schema)
			if err != nil {
				compileErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
			if err != nil {
				compileErr = fmt.Errorf("hsds: schema %s: %w", t.schema, err)
				return
			}
			if err := c.AddResource(schemaBase+t.schema, doc); err != nil {
				compileErr = fmt.Errorf("hsds: schema %s: %w", t.schema, err)
				return
			}
		}
		s := &schemas{byEntity: map[string]*jsonschema.Schema{}}
		for _, t := range tables {
			sch, err := c.Compile(schemaBase + t.schema)
			if err != nil {
				compileErr = fmt.Errorf("hsds: compile %s: %w", t.schema, err)
				return
			}
			s.byEntity[t.entity] = sch
		}
		compiled = s
	})
	return compiled, compileErr
}

var printer = message.NewPrinter(language.English)

// schemaProblem is one leaf error of a schema validation: where in the
// instance (JSON pointer tokens), which field, and what is wrong.
type schemaProblem struct {
	at      []string // location of the object holding the field
	field   string
	message string
}

// validateEntity checks v (decoded with numbers as json.Number or float64)
// against the HSDS schema of entity and returns every leaf problem.
func (s *schemas) validateEntity(entity string, v any) []schemaProblem {
	sch := s.byEntity[entity]
	if sch == nil {
		return []schemaProblem{{message: "unknown HSDS object " + entity}}
	}
	err := sch.Validate(v)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []schemaProblem{{message: err.Error()}}
	}
	var out []schemaProblem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		loc := e.InstanceLocation
		switch k := e.ErrorKind.(type) {
		case *jskind.Required:
			for _, m := range k.Missing {
				out = append(out, schemaProblem{at: loc, field: m, message: "required"})
			}
			return
		case *jskind.Group, *jskind.Schema, *jskind.Reference:
			// Containers without causes carry no detail of their own.
			out = append(out, schemaProblem{at: loc, message: e.ErrorKind.LocalizedString(printer)})
			return
		}
		p := schemaProblem{message: e.ErrorKind.LocalizedString(printer)}
		switch val := valueAt(v, loc).(type) {
		case string:
			p.message = fmt.Sprintf("%q: %s", val, p.message)
		case json.Number:
			p.message = fmt.Sprintf("%s: %s", val, p.message)
		}
		if len(loc) > 0 {
			p.at, p.field = loc[:len(loc)-1], loc[len(loc)-1]
		}
		out = append(out, p)
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool {
		return strings.Join(out[i].at, "/") < strings.Join(out[j].at, "/")
	})
	return out
}

// valueAt finds the value at JSON pointer tokens inside v.
func valueAt(v any, tokens []string) any {
	for _, t := range tokens {
		switch x := v.(type) {
		case map[string]any:
			v = x[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// schemaFile returns an embedded schema file (datapackage.json, openapi.json).
func schemaFile(name string) ([]byte, error) {
	return schemaFiles.ReadFile("schema/" + name)
}
