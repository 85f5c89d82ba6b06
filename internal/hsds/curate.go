package hsds

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// NewID returns a new random (version 4) UUID, the form HSDS ids take.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// UpsertService writes one service as a coordinator edited it: the service
// and everything nested in it (cost options, languages, schedules, phones,
// services at locations with their locations...) are checked like an
// import, with impossible coordinates refused, and written in one
// transaction. The service's own records become exactly those given:
// records it had before and no longer has are unlinked, and removed when
// nothing else holds them. Records without an id get a new one (sv is
// updated in place), last_modified becomes now, and by (a user id) is
// recorded as the curator. The error is a *ValidationError naming the
// table, the record's JSON pointer inside the service (Path) and the field.
func (s *Store) UpsertService(ctx context.Context, sv *Service, by int64) error {
	sch, err := loadSchemas()
	if err != nil {
		return err
	}
	if sv.ID == "" {
		sv.ID = NewID()
	}
	fillIDs(reflect.ValueOf(sv))
	sv.LastModified = s.now().UTC().Format(time.RFC3339)
	body, err := json.Marshal(sv)
	if err != nil {
		return fmt.Errorf("hsds: upsert service: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("hsds: upsert service: %w", err)
	}
	dropEmpty(doc)
	obj := doc.(map[string]any)
	d := newDataset(true)
	for _, p := range sch.validateEntity("service", obj) {
		t := tableAt("service", p.at)
		d.problems = append(d.problems, Problem{Table: t.name, Row: 1, Path: jsonPointer(p.at), Field: p.field, Message: p.message})
	}
	d.flatten("service", obj, origin{row: 1, path: "/"}, nil)
	fillProgramOrganizations(d)
	_, err = s.importDataset(ctx, d, importOptions{strictCoordinates: true, replace: []string{sv.ID}, curatedBy: by}, nil)
	return err
}

func jsonPointer(tokens []string) string {
	p := ""
	for _, t := range tokens {
		p += "/" + t
	}
	if p == "" {
		return "/"
	}
	return p
}

// fillIDs gives every HSDS record inside v that has an empty ID a new one.
func fillIDs(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			fillIDs(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			fillIDs(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Curation{}) {
			return
		}
		if id := v.FieldByName("ID"); id.IsValid() && id.Kind() == reflect.String && id.String() == "" && id.CanSet() {
			id.SetString(NewID())
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillIDs(v.Field(i))
			}
		}
	}
}
