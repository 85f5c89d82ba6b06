package hsds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// ImportResult says what an import wrote.
type ImportResult struct {
	Tables   []TableCount // rows written per table, in table order
	Services int          // services written
	Warnings []Problem    // things accepted but worth a look (see decisions.md)
}

// TableCount is the number of rows written to one table.
type TableCount struct {
	Table string
	Rows  int
}

// Import reads an HSDS folder of CSV tables (with or without
// datapackage.json), a single table's CSV file named after it, or an HSDS
// JSON file, checks everything against the HSDS schemas and Rangkul's
// reference checks, and writes it in one transaction: a file with any
// invalid record changes nothing and the error (a *ValidationError) lists
// every problem. Records are matched by id, so importing again updates.
// Progress lines go to progress (nil: none).
func (s *Store) Import(ctx context.Context, path string, progress io.Writer) (*ImportResult, error) {
	sch, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	prog := newProgress(progress)
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("hsds: import: %w", err)
	}
	var d *dataset
	switch {
	case info.IsDir():
		d, err = readCSVDir(osDir(path), sch, prog)
	case strings.EqualFold(filepath.Base(path), "datapackage.json"):
		d, err = readCSVDir(osDir(filepath.Dir(path)), sch, prog)
	case strings.EqualFold(filepath.Ext(path), ".csv"):
		t := tableByName(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
		if t == nil {
			return nil, fmt.Errorf("hsds: import: %s is not named after an HSDS table (services.csv, locations.csv, ...)", filepath.Base(path))
		}
		var f *os.File
		if f, err = os.Open(path); err == nil {
			d = newDataset(false)
			err = readCSVTable(f, t, d, sch, prog)
			f.Close()
		}
	default:
		var f *os.File
		if f, err = os.Open(path); err == nil {
			d, err = readJSON(f, sch, prog)
			f.Close()
		}
	}
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, err
		}
		return nil, fmt.Errorf("hsds: import %s: %w", filepath.Base(path), err)
	}
	return s.importDataset(ctx, d, importOptions{}, prog)
}

// ImportJSON is Import for JSON already in memory (tests, the demo).
func (s *Store) ImportJSON(ctx context.Context, r io.Reader, progress io.Writer) (*ImportResult, error) {
	sch, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	prog := newProgress(progress)
	d, err := readJSON(r, sch, prog)
	if err != nil {
		return nil, fmt.Errorf("hsds: import: %w", err)
	}
	return s.importDataset(ctx, d, importOptions{}, prog)
}

// analyzeAfter is the number of records from which an import refreshes the
// planner's statistics before deriving search terms and filters.
const analyzeAfter = 5000

type importOptions struct {
	strictCoordinates bool     // refuse impossible coordinates instead of warning
	replace           []string // services whose own records are replaced, not merged
	curatedBy         int64    // user writing (curation), 0 for an import
}

func (s *Store) importDataset(ctx context.Context, d *dataset, opt importOptions, prog *progress) (*ImportResult, error) {
	d.checkRequired()
	checkCoordinates(d, opt.strictCoordinates)
	if err := d.checkReferences(ctx, s.db); err != nil {
		return nil, err
	}
	if len(d.problems) > 0 {
		sortProblems(d.problems)
		return nil, &ValidationError{Problems: d.problems}
	}
	if d.count() == 0 {
		return nil, &ValidationError{Problems: []Problem{{Message: "the file holds no HSDS records"}}}
	}
	sortProblems(d.warnings)
	res := &ImportResult{Warnings: d.warnings}
	now := s.now().UTC()
	batch := bulkParams(s.db.Dialect())
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if len(opt.replace) > 0 {
			if err := detachServices(ctx, tx, opt.replace); err != nil {
				return err
			}
		}
		for _, t := range tables {
			rows := d.rows[t]
			if len(rows) == 0 {
				continue
			}
			var extra []string
			var vals func(row) []any
			if t == tServices {
				extra = []string{"modified_at", "created_at", "updated_at"}
				vals = func(r row) []any { return []any{modifiedAt(r, now), now, now} }
			}
			for _, part := range chunkRows(rows, 5000) {
				if err := upsertRows(ctx, tx, t, part, extra, vals, batch); err != nil {
					return err
				}
				prog.tick("write", t.name, len(part))
			}
			prog.done("write", t.name)
			res.Tables = append(res.Tables, TableCount{Table: t.name, Rows: len(rows)})
		}
		res.Services = len(d.rows[tServices])
		if d.count() >= analyzeAfter {
			// Fresh statistics for the queries below, which run in this
			// transaction: PostgreSQL's planner would otherwise take the
			// tables for as small as before the import and scan them
			// whole for every batch (40 s of 67 for 100,000 services).
			for _, t := range tables {
				if len(d.rows[t]) > 0 {
					if _, err := tx.Exec(ctx, "ANALYZE "+t.sql); err != nil {
						return err
					}
				}
			}
		}
		ids, err := affectedServices(ctx, tx, d)
		if err != nil {
			return err
		}
		if err := refresh(ctx, tx, ids, now, prog, batch); err != nil {
			return err
		}
		if opt.curatedBy > 0 {
			for _, part := range chunks(opt.replace, 500) {
				cond, args := inList("id", 2, part)
				if _, err := tx.Exec(ctx, `UPDATE hsds_services SET curated_by = $1 WHERE `+cond, append([]any{opt.curatedBy}, args...)...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hsds: import: %w", err)
	}
	return res, nil
}

func chunkRows(rows []row, n int) [][]row {
	var out [][]row
	for len(rows) > n {
		out = append(out, rows[:n])
		rows = rows[n:]
	}
	if len(rows) > 0 {
		out = append(out, rows)
	}
	return out
}

// modifiedAt is a service's last_modified as a time, or now without one.
func modifiedAt(r row, now time.Time) time.Time {
	if t, err := parseDateTime(r.str("last_modified")); err == nil {
		return t.UTC()
	}
	return now
}

func sortProblems(ps []Problem) {
	order := map[string]int{}
	for i, t := range tables {
		order[t.name] = i
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Row != ps[j].Row {
			if ps[i].Table == ps[j].Table || ps[i].Path != "" {
				return ps[i].Row < ps[j].Row
			}
		}
		if ps[i].Table != ps[j].Table {
			return order[ps[i].Table] < order[ps[j].Table]
		}
		return ps[i].Row < ps[j].Row
	})
}

// checkCoordinates looks at every location's latitude and longitude. HSDS
// sets no range (its own examples use 100 and 101), so an import keeps such
// values with a warning and distance searches ignore them; curation, which
// a person types, refuses them.
func checkCoordinates(d *dataset, strict bool) {
	for i, r := range d.rows[tLocations] {
		o := d.origins[tLocations][i]
		lat, hasLat := r.num("latitude")
		lon, hasLon := r.num("longitude")
		report := d.warn
		if strict {
			report = d.problem
		}
		if hasLat && (lat < -90 || lat > 90) {
			report(tLocations, o, "latitude", "%s is not a latitude (it must be between -90 and 90)%s", formatNumber(lat), keptNote(strict))
		}
		if hasLon && (lon < -180 || lon > 180) {
			report(tLocations, o, "longitude", "%s is not a longitude (it must be between -180 and 180)%s", formatNumber(lon), keptNote(strict))
		}
		if hasLat != hasLon {
			report(tLocations, o, "", "has a latitude or a longitude but not both%s", keptNote(strict))
		}
	}
}

func keptNote(strict bool) string {
	if strict {
		return ""
	}
	return "; kept as given, but the location is left out of distance searches"
}

// checkReferences checks that every reference names a record of this file
// or of the directory: a hard reference that does not is a problem, a soft
// one a warning (see table.refs).
func (d *dataset) checkReferences(ctx context.Context, q db.Querier) error {
	type want struct {
		t *table
		i int
		r ref
	}
	missing := map[string]map[string][]want{} // target table -> id -> who wants it
	for _, t := range tables {
		for i, r := range d.rows[t] {
			for _, rf := range t.refs {
				v := r.str(rf.column)
				if v == "" {
					continue
				}
				target := tableByName(rf.table)
				if d.has(target, v) {
					continue
				}
				if missing[rf.table] == nil {
					missing[rf.table] = map[string][]want{}
				}
				missing[rf.table][v] = append(missing[rf.table][v], want{t, i, rf})
			}
		}
	}
	for name, ids := range missing {
		target := tableByName(name)
		var list []string
		for id := range ids {
			list = append(list, id)
		}
		sort.Strings(list)
		for _, part := range chunks(list, 500) {
			cond, args := inList("id", 1, part)
			found, err := queryIDs(ctx, q, "SELECT id FROM "+target.sql+" WHERE "+cond, args...)
			if err != nil {
				return fmt.Errorf("hsds: check references: %w", err)
			}
			for _, id := range found {
				delete(ids, id)
			}
		}
		for _, id := range list {
			for _, w := range ids[id] {
				o := d.origins[w.t][w.i]
				if w.r.hard {
					d.problem(w.t, o, w.r.column, "%s is not the id of any record in %s (neither in this import nor in the directory)", id, name)
				} else {
					d.warn(w.t, o, w.r.column, "%s is not the id of any record in %s; kept as given", id, name)
				}
			}
		}
	}
	return nil
}

// affectedServices lists the services whose derived facts (search terms,
// cost class, delivery) may have changed with d.
func affectedServices(ctx context.Context, q db.Querier, d *dataset) ([]string, error) {
	set := map[string]bool{}
	for _, r := range d.rows[tServices] {
		set[r.id()] = true
	}
	for _, t := range tables {
		if t == tServices {
			continue
		}
		for _, r := range d.rows[t] {
			if id := r.str("service_id"); id != "" {
				set[id] = true
			}
		}
	}
	lookups := []struct {
		t     *table
		col   string
		query string
	}{
		{tLocations, "id", "SELECT service_id FROM hsds_service_at_locations WHERE "},
		{tAddresses, "location_id", "SELECT service_id FROM hsds_service_at_locations WHERE "},
		{tOrganizations, "id", "SELECT id FROM hsds_services WHERE "},
		{tTerms, "id", "SELECT link_id FROM hsds_attributes WHERE "},
		{tAttributes, "link_id", "SELECT id FROM hsds_services WHERE "},
	}
	cols := map[*table]string{tLocations: "location_id", tAddresses: "location_id", tOrganizations: "organization_id", tTerms: "taxonomy_term_id", tAttributes: "id"}
	for _, l := range lookups {
		var ids []string
		for _, r := range d.rows[l.t] {
			ids = append(ids, r.str(l.col))
		}
		for _, part := range chunks(uniq(ids), 500) {
			cond, args := inList(cols[l.t], 1, part)
			found, err := queryIDs(ctx, q, l.query+cond, args...)
			if err != nil {
				return nil, err
			}
			for _, id := range found {
				set[id] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out, nil
}

// detachServices unlinks everything that belongs to the services, keeping
// the services themselves, so that a curated service's records are exactly
// those submitted.
func detachServices(ctx context.Context, q db.Querier, ids []string) error {
	for _, part := range chunks(ids, 500) {
		cond, args := inList("service_id", 1, part)
		salIDs, err := queryIDs(ctx, q, `SELECT id FROM hsds_service_at_locations WHERE `+cond, args...)
		if err != nil {
			return err
		}
		owned := append(append([]string{}, part...), salIDs...)
		links := map[string][]string{"service_id": part, "service_at_location_id": salIDs}
		for _, sh := range shared {
			gone, err := unlink(ctx, q, sh.sql, sh.parents, links)
			if err != nil {
				return err
			}
			if sh.key != "" {
				links[sh.key] = gone
			}
			owned = append(owned, gone...)
		}
		for _, t := range []string{"hsds_service_areas", "hsds_cost_options", "hsds_required_documents", "hsds_service_at_locations"} {
			if _, err := q.Exec(ctx, `DELETE FROM `+t+` WHERE `+cond, args...); err != nil {
				return err
			}
		}
		for _, oc := range chunks(owned, 500) {
			linkCond, linkArgs := inList("link_id", 1, oc)
			if _, err := q.Exec(ctx, `DELETE FROM hsds_attributes WHERE `+linkCond, linkArgs...); err != nil {
				return err
			}
		}
	}
	return nil
}
