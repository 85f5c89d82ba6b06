package hsds

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReadJSON: any input is read or refused with an error, never a panic.
func FuzzReadJSON(f *testing.F) {
	for _, name := range []string{"service_full.json", "organization_list.json", "tabular.json", "taxonomy_term.json"} {
		body, err := os.ReadFile("testdata/examples/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`[{"id": 1}, "x", null, {"contents": 3}]`))
	sch, err := loadSchemas()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := readJSON(bytes.NewReader(body), sch, nil)
		if err == nil {
			d.checkRequired()
			checkCoordinates(d, true)
		}
	})
}

// FuzzReadCSV: any services.csv is read or refused, never a panic.
func FuzzReadCSV(f *testing.F) {
	body, err := os.ReadFile("testdata/examples/csv/services.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add([]byte("id,name\n\"unterminated\n"))
	f.Add([]byte("\xEF\xBB\xBFid,status,minimum_age\nx,active,abc\n"))
	sch, err := loadSchemas()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d := newDataset(false)
		if err := readCSVTable(bytes.NewReader(body), tServices, d, sch, nil); err == nil {
			d.checkRequired()
		}
	})
}
