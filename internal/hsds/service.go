package hsds

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// scanServices reads rows of services' HSDS columns followed by modified_at,
// last_verified_at, curated_by, cost_class, online, in_person.
func scanServices(rs *sql.Rows, each func(Service)) error {
	defer rs.Close()
	n := len(tServices.columns)
	dest := make([]any, n+6)
	strs := make([]sql.NullString, n)
	nums := make([]sql.NullFloat64, n)
	for i, c := range tServices.columns {
		if c.kind == kNumber {
			dest[i] = &nums[i]
		} else {
			dest[i] = &strs[i]
		}
	}
	var (
		modified  time.Time
		verified  sql.NullTime
		curatedBy sql.NullInt64
		cost      string
		online    bool
		inPerson  bool
	)
	dest[n], dest[n+1], dest[n+2], dest[n+3], dest[n+4], dest[n+5] = &modified, &verified, &curatedBy, &cost, &online, &inPerson
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return fmt.Errorf("hsds: read services: %w", err)
		}
		r := make(row, n)
		for i, c := range tServices.columns {
			if c.kind == kNumber {
				if nums[i].Valid {
					r[c.name] = nums[i].Float64
				}
			} else if strs[i].String != "" {
				r[c.name] = strs[i].String
			}
		}
		var sv Service
		fillStruct(r, &sv)
		sv.Curation = Curation{ModifiedAt: modified.UTC(), CuratedBy: curatedBy.Int64, CostClass: cost, Online: online, InPerson: inPerson}
		if verified.Valid {
			t := verified.Time.UTC()
			sv.Curation.LastVerifiedAt = &t
		}
		each(sv)
	}
	return rs.Err()
}

// Service returns a fully nested service (organization, program, locations
// with addresses and schedules, phones, contacts, cost options, languages,
// terms...) with its curation facts, or ErrNotFound.
func (s *Store) Service(ctx context.Context, id string) (*Service, error) {
	out, err := s.servicesFull(ctx, s.db, []string{id})
	if err != nil {
		return nil, fmt.Errorf("hsds: service: %w", err)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// MarkVerified records that a coordinator (by, a user id) confirmed the
// listing today: its last-verified date is shown to the public.
func (s *Store) MarkVerified(ctx context.Context, serviceID string, by int64) error {
	now := s.now().UTC()
	var curated any
	if by > 0 {
		curated = by
	}
	res, err := s.db.Exec(ctx, `UPDATE hsds_services SET last_verified_at = $1, curated_by = $2, updated_at = $1 WHERE id = $3`,
		now, curated, serviceID)
	if err != nil {
		return fmt.Errorf("hsds: mark verified: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteService removes a service and the records that belong to it alone
// (its phones, schedules, service areas, services at locations, languages,
// funding, cost options, required documents, contacts, attributes and
// metadata). Its organization and locations stay.
func (s *Store) DeleteService(ctx context.Context, id string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM hsds_services WHERE id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		return deleteServices(ctx, tx, []string{id})
	})
}

// shared lists the tables whose rows may belong to several parents at once,
// with their parent columns, in an order where a table comes after the
// tables its parents live in: deleting a service unlinks such a row, and
// removes it only when no parent is left.
var shared = []struct {
	sql     string
	key     string // the parent column other tables use to point at this one
	parents []string
}{
	{"hsds_contacts", "contact_id", []string{"organization_id", "service_id", "service_at_location_id", "location_id"}},
	{"hsds_phones", "phone_id", []string{"location_id", "service_id", "organization_id", "contact_id", "service_at_location_id"}},
	{"hsds_schedules", "", []string{"service_id", "location_id", "service_at_location_id"}},
	{"hsds_languages", "", []string{"service_id", "location_id", "phone_id"}},
	{"hsds_funding", "", []string{"organization_id", "service_id"}},
}

// deleteServices removes services and what belongs to them alone.
func deleteServices(ctx context.Context, q db.Querier, ids []string) error {
	if err := detachServices(ctx, q, ids); err != nil {
		return err
	}
	for _, part := range chunks(ids, 500) {
		for _, stmt := range []string{
			`DELETE FROM hsds_metadata WHERE ` + inListSQL("resource_id", 1, len(part)),
			`DELETE FROM hsds_service_search WHERE ` + inListSQL("service_id", 1, len(part)),
			`DELETE FROM hsds_services WHERE ` + inListSQL("id", 1, len(part)),
		} {
			if _, err := q.Exec(ctx, stmt, toAny(part)...); err != nil {
				return err
			}
		}
	}
	return nil
}

// inListSQL is the condition of inList without its arguments.
func inListSQL(col string, k, n int) string {
	cond, _ := inList(col, k, make([]string, n))
	return cond
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func queryIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rs, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var ids []string
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rs.Err()
}

// unlink clears, in a shared table, the parent links named in links (parent
// column -> ids going away), deletes the rows this leaves with no parent,
// and returns their ids.
func unlink(ctx context.Context, q db.Querier, table string, parents []string, links map[string][]string) ([]string, error) {
	var gone []string
	for _, p := range parents {
		for _, part := range chunks(links[p], 500) {
			cond, args := inList(p, 1, part)
			cond += " AND " + p + " <> ''" // see the partial indexes of migration 0022
			touched, err := queryIDs(ctx, q, `SELECT id FROM `+table+` WHERE `+cond, args...)
			if err != nil {
				return nil, err
			}
			if _, err := q.Exec(ctx, `UPDATE `+table+` SET `+p+` = '' WHERE `+cond, args...); err != nil {
				return nil, err
			}
			var none []string
			for _, pp := range parents {
				none = append(none, pp+" = ''")
			}
			for _, tc := range chunks(touched, 500) {
				idCond, idArgs := inList("id", 1, tc)
				ids, err := queryIDs(ctx, q, `SELECT id FROM `+table+` WHERE `+idCond+` AND `+strings.Join(none, " AND "), idArgs...)
				if err != nil {
					return nil, err
				}
				if _, err := q.Exec(ctx, `DELETE FROM `+table+` WHERE `+idCond+` AND `+strings.Join(none, " AND "), idArgs...); err != nil {
					return nil, err
				}
				gone = append(gone, ids...)
			}
		}
	}
	return gone, nil
}
