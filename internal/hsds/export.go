package hsds

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ExportCSV writes every HSDS table as CSV (the official columns, in the
// official order, rows ordered by id) and the HSDS datapackage.json into
// dir, which is created if needed. Importing the folder gives the same data
// back. It returns the rows written per table.
func (s *Store) ExportCSV(ctx context.Context, dir string, progress io.Writer) ([]TableCount, error) {
	prog := newProgress(progress)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("hsds: export: %w", err)
	}
	var counts []TableCount
	for _, t := range tables {
		n, err := s.exportTable(ctx, t, filepath.Join(dir, t.csvFile()), prog)
		if err != nil {
			return nil, fmt.Errorf("hsds: export %s: %w", t.name, err)
		}
		counts = append(counts, TableCount{Table: t.name, Rows: n})
	}
	pkg, err := datapackage()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "datapackage.json"), pkg, 0o644); err != nil {
		return nil, fmt.Errorf("hsds: export: %w", err)
	}
	return counts, nil
}

func (s *Store) exportTable(ctx context.Context, t *table, path string, prog *progress) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.UseCRLF = true // RFC 4180, as the official HSDS examples
	if err := w.Write(t.columnNames()); err != nil {
		return 0, err
	}
	rs, err := s.db.Query(ctx, "SELECT "+t.selectList("x")+" FROM "+t.sql+" x ORDER BY x.id")
	if err != nil {
		return 0, err
	}
	n := 0
	rec := make([]string, len(t.columns))
	err = scanRows(rs, t, func(r row) error {
		for i, c := range t.columns {
			if c.kind == kNumber {
				if v, ok := r.num(c.name); ok {
					rec[i] = formatNumber(v)
				} else {
					rec[i] = ""
				}
				continue
			}
			rec[i] = r.str(c.name)
		}
		n++
		prog.tick("export", t.name, 1)
		return w.Write(rec)
	})
	if err != nil {
		return 0, err
	}
	prog.done("export", t.name)
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	return n, f.Close()
}

// datapackage is the official HSDS datapackage.json describing the tables,
// named as this export.
func datapackage() ([]byte, error) {
	body, err := schemaFile("datapackage.json")
	if err != nil {
		return nil, err
	}
	var pkg map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&pkg); err != nil {
		return nil, err
	}
	pkg["name"] = "rangkul-hsds-export"
	pkg["title"] = "Rangkul service directory (HSDS 3.0)"
	pkg["description"] = "Services, organizations and locations of a Rangkul directory in the Open Referral Human Services Data Specification 3.0 tabular form."
	return json.MarshalIndent(pkg, "", "  ")
}
