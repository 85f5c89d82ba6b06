package hsds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// readCSVDir reads a folder of HSDS CSV tables. With a datapackage.json the
// tables are the resources it lists; without one, every file named after an
// HSDS table (services.csv, ...) is read. Rows are numbered as a spreadsheet
// numbers them: the header is row 1, the first record row 2.
func readCSVDir(fsys fs.FS, sch *schemas, prog *progress) (*dataset, error) {
	d := newDataset(false)
	files := map[*table]string{}
	if body, err := fs.ReadFile(fsys, "datapackage.json"); err == nil {
		var pkg struct {
			Resources []struct {
				Name string `json:"name"`
				Path string `json:"path"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(body, &pkg); err != nil {
			return nil, fmt.Errorf("datapackage.json: %v", err)
		}
		for _, res := range pkg.Resources {
			t := tableByEntity(res.Name)
			if t == nil {
				t = tableByName(strings.TrimSuffix(path.Base(res.Path), ".csv"))
			}
			if t == nil {
				d.warnings = append(d.warnings, Problem{Message: fmt.Sprintf("datapackage.json: resource %q is not an HSDS table; skipped", res.Name)})
				continue
			}
			if _, err := fs.Stat(fsys, res.Path); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue // a package may list tables it does not fill
				}
				return nil, err
			}
			files[t] = res.Path
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	} else {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.EqualFold(path.Ext(name), ".csv") {
				continue
			}
			t := tableByName(strings.TrimSuffix(name, path.Ext(name)))
			if t == nil {
				if name != "meta_table_descriptions.csv" {
					d.warnings = append(d.warnings, Problem{Message: fmt.Sprintf("%s is not an HSDS table; skipped", name)})
				}
				continue
			}
			files[t] = name
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no HSDS CSV tables found (services.csv, organizations.csv, ...)")
	}
	var order []*table
	for t := range files {
		order = append(order, t)
	}
	sort.Slice(order, func(i, j int) bool { return tableOrder(order[i]) < tableOrder(order[j]) })
	for _, t := range order {
		f, err := fsys.Open(files[t])
		if err != nil {
			return nil, err
		}
		err = readCSVTable(f, t, d, sch, prog)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", files[t], err)
		}
	}
	return d, nil
}

func tableOrder(t *table) int {
	for i, x := range tables {
		if x == t {
			return i
		}
	}
	return len(tables)
}

// readCSVTable reads one table's rows into d.
func readCSVTable(r io.Reader, t *table, d *dataset, sch *schemas, prog *progress) error {
	cr := csv.NewReader(stripBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	header = append([]string(nil), header...)
	known := map[string]bool{}
	for _, c := range t.columns {
		known[c.name] = true
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if !known[h] {
			d.warnings = append(d.warnings, Problem{Table: t.name, Row: 1, Field: h, Message: "not an HSDS field of this table; its values are not imported"})
		}
		if seen[h] {
			d.problems = append(d.problems, Problem{Table: t.name, Row: 1, Field: h, Message: "appears twice in the header"})
		}
		seen[h] = true
	}
	rowNum := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		rowNum++
		o := origin{row: rowNum}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				d.problem(t, o, "", "cannot be read as CSV: %v", pe.Err)
				if pe.Err == csv.ErrFieldCount {
					continue
				}
				return &ValidationError{Problems: d.problems}
			}
			return err
		}
		if len(rec) != len(header) {
			d.problem(t, o, "", "has %d cells where the header has %d", len(rec), len(header))
			continue
		}
		r := row{}
		inst := map[string]any{}
		for i, cell := range rec {
			name := header[i]
			if !known[name] || cell == "" {
				continue
			}
			if t.kindOf(name) == kNumber {
				f, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
				if err != nil {
					d.problem(t, o, name, "%q is not a number", cell)
					continue
				}
				r[name] = f
				inst[name] = f
				continue
			}
			r[name] = cell
			inst[name] = cell
		}
		for _, p := range sch.validateEntity(t.entity, inst) {
			d.problem(t, o, p.field, "%s", p.message)
		}
		d.checkKinds(t, r, o)
		d.add(t, r, o)
		prog.tick("read", t.name, 1)
	}
	prog.done("read", t.name)
	return nil
}

func stripBOM(r io.Reader) io.Reader {
	buf := make([]byte, 3)
	n, _ := io.ReadFull(r, buf)
	if n == 3 && bytes.Equal(buf, []byte{0xEF, 0xBB, 0xBF}) {
		return r
	}
	return io.MultiReader(bytes.NewReader(buf[:n]), r)
}

// osDir opens a directory as an fs.FS.
func osDir(dir string) fs.FS { return os.DirFS(dir) }
