package hsds

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// row is one record of an HSDS table as column name -> value: a string, or
// a float64 for a number. An absent field has no entry (or "" / nil).
type row map[string]any

func (r row) str(col string) string {
	s, _ := r[col].(string)
	return s
}

func (r row) num(col string) (float64, bool) {
	switch v := r[col].(type) {
	case float64:
		return v, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}

func (r row) id() string { return r.str("id") }

// empty reports whether a value counts as absent.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

// fieldIndex maps the JSON names of a struct's scalar fields (string and
// *float64) to their positions; these are the columns of its table.
var fieldIndex sync.Map // reflect.Type -> map[string]int

func scalarFields(t reflect.Type) map[string]int {
	if m, ok := fieldIndex.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.String || (f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Float64) {
			m[name] = i
		}
	}
	fieldIndex.Store(t, m)
	return m
}

// toRow reads the scalar fields of an HSDS struct (pointer or value).
func toRow(v any) row {
	rv := reflect.Indirect(reflect.ValueOf(v))
	r := row{}
	for name, i := range scalarFields(rv.Type()) {
		f := rv.Field(i)
		if f.Kind() == reflect.String {
			if s := f.String(); s != "" {
				r[name] = s
			}
		} else if !f.IsNil() {
			r[name] = f.Elem().Float()
		}
	}
	return r
}

// fillStruct sets the scalar fields of the struct dst points to from r.
func fillStruct(r row, dst any) {
	rv := reflect.ValueOf(dst).Elem()
	for name, i := range scalarFields(rv.Type()) {
		f := rv.Field(i)
		if f.Kind() == reflect.String {
			f.SetString(r.str(name))
		} else if x, ok := r.num(name); ok {
			v := x
			f.Set(reflect.ValueOf(&v))
		}
	}
}

// formatNumber writes a number as CSV and messages show it: 12, 1.5, -6.2.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
