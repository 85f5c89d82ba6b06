package hsds

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/textkit"
)

// LowCostIDR is the highest price, in rupiah, that counts as low cost.
const LowCostIDR = 50000

// Words that mark an option or fee text as free or as low cost, in
// Indonesian and English, matched on folded text (textkit.Fold).
var (
	freeCues = []string{"free", "gratis", "no cost", "no charge", "without charge", "tanpa biaya", "tidak dipungut biaya",
		"tidak berbayar", "bebas biaya", "cuma-cuma", "cuma cuma", "bpjs"}
	lowCues = []string{"low cost", "low-cost", "sliding scale", "pay what you can", "donation", "reduced", "subsidi",
		"bersubsidi", "murah", "terjangkau", "keringanan", "seikhlasnya", "sukarela", "sumbangan", "discount", "diskon"}
)

// CostClass sorts a service by what it costs: CostFree when any cost option
// is free (an amount of 0, or its text says free or gratis), else CostLow
// when one is low cost (IDR LowCostIDR or less, or its text says sliding
// scale, murah, subsidi...), else CostPaid when one has a price, else what
// the service's fee texts say, else "" (not known).
func CostClass(options []CostOption, feeTexts ...string) string {
	best := ""
	rank := map[string]int{"": 0, CostPaid: 1, CostLow: 2, CostFree: 3}
	consider := func(c string) {
		if rank[c] > rank[best] {
			best = c
		}
	}
	for _, o := range options {
		text := textkit.Fold(o.Option + " " + o.AmountDescription)
		switch {
		case o.Amount != nil && *o.Amount == 0, hasCue(text, freeCues):
			consider(CostFree)
		case hasCue(text, lowCues):
			consider(CostLow)
		case o.Amount != nil && strings.EqualFold(o.Currency, "IDR") && *o.Amount <= LowCostIDR:
			consider(CostLow)
		case o.Amount != nil:
			consider(CostPaid)
		}
	}
	if best != "" || len(options) > 0 {
		if best == "" {
			best = CostPaid
		}
		return best
	}
	for _, f := range feeTexts {
		text := textkit.Fold(f)
		switch {
		case hasCue(text, freeCues):
			consider(CostFree)
		case hasCue(text, lowCues):
			consider(CostLow)
		case strings.TrimSpace(text) != "":
			consider(CostPaid)
		}
	}
	return best
}

func hasCue(text string, cues []string) bool {
	for _, c := range cues {
		if i := strings.Index(text, c); i >= 0 {
			before := i == 0 || !isLetter(text[i-1])
			after := i+len(c) == len(text) || !isLetter(text[i+len(c)])
			if before && after {
				return true
			}
		}
	}
	return false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// refresh recomputes what Rangkul derives for each service from its HSDS
// records: search terms, cost class, online and in-person delivery, and
// modified_at.
func refresh(ctx context.Context, q db.Querier, ids []string, now time.Time, prog *progress, maxParams int) error {
	found := 0
	for _, part := range chunks(ids, 500) {
		n, err := refreshChunk(ctx, q, part, now, maxParams)
		if err != nil {
			return err
		}
		found += n
		prog.tick("index", "services", n)
	}
	if found > 0 {
		prog.done("index", "services")
	}
	return nil
}

type derived struct {
	text     []string
	costs    []CostOption
	fees     []string
	online   bool
	inPerson bool
	lastMod  string
}

func refreshChunk(ctx context.Context, q db.Querier, ids []string, now time.Time, maxParams int) (int, error) {
	cond, args := inList("id", 1, ids)
	facts := map[string]*derived{}
	orgOf := map[string]string{}
	var order []string
	rs, err := q.Query(ctx, `SELECT id, name, alternate_name, description, eligibility_description, organization_id, last_modified, fees_description, fees FROM hsds_services WHERE `+cond, args...)
	if err != nil {
		return 0, err
	}
	for rs.Next() {
		var id, name, alt, desc, elig, org, lastMod, feesDesc, fees string
		if err := rs.Scan(&id, &name, &alt, &desc, &elig, &org, &lastMod, &feesDesc, &fees); err != nil {
			rs.Close()
			return 0, err
		}
		facts[id] = &derived{text: []string{name, alt, desc, elig}, fees: []string{feesDesc, fees}, lastMod: lastMod}
		orgOf[id] = org
		order = append(order, id)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return 0, err
	}
	if len(order) == 0 {
		return 0, nil
	}
	each := func(query string, args []any, scan func(*sql.Rows) error) error {
		rs, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				return err
			}
		}
		return rs.Err()
	}
	var orgIDs []string
	for _, o := range orgOf {
		orgIDs = append(orgIDs, o)
	}
	orgText := map[string]string{}
	oc, oargs := inList("id", 1, uniq(orgIDs))
	if err := each(`SELECT id, name, alternate_name FROM hsds_organizations WHERE `+oc, oargs, func(rs *sql.Rows) error {
		var id, name, alt string
		if err := rs.Scan(&id, &name, &alt); err != nil {
			return err
		}
		orgText[id] = name + " " + alt
		return nil
	}); err != nil {
		return 0, err
	}
	for id, o := range orgOf {
		facts[id].text = append(facts[id].text, orgText[o])
	}
	lc, largs := inList("a.link_id", 1, order)
	if err := each(`SELECT a.link_id, t.name FROM hsds_attributes a JOIN hsds_taxonomy_terms t ON t.id = a.taxonomy_term_id WHERE `+lc, largs, func(rs *sql.Rows) error {
		var id, name string
		if err := rs.Scan(&id, &name); err != nil {
			return err
		}
		facts[id].text = append(facts[id].text, name)
		return nil
	}); err != nil {
		return 0, err
	}
	sc, sargs := inList("service_id", 1, order)
	if err := each(`SELECT service_id, name, code FROM hsds_languages WHERE service_id <> '' AND `+sc, sargs, func(rs *sql.Rows) error {
		var id, name, code string
		if err := rs.Scan(&id, &name, &code); err != nil {
			return err
		}
		facts[id].text = append(facts[id].text, name)
		return nil
	}); err != nil {
		return 0, err
	}
	if err := each(`SELECT service_id, "option", amount, amount_description, currency FROM hsds_cost_options WHERE `+sc, sargs, func(rs *sql.Rows) error {
		var id string
		var o CostOption
		var amount sql.NullFloat64
		if err := rs.Scan(&id, &o.Option, &amount, &o.AmountDescription, &o.Currency); err != nil {
			return err
		}
		if amount.Valid {
			o.Amount = &amount.Float64
		}
		facts[id].costs = append(facts[id].costs, o)
		return nil
	}); err != nil {
		return 0, err
	}
	salCond, salArgs := inList("sal.service_id", 1, order)
	locOf := map[string][]string{}
	var locIDs []string
	if err := each(`SELECT sal.service_id, l.id, l.location_type, l.name FROM hsds_service_at_locations sal JOIN hsds_locations l ON l.id = sal.location_id WHERE `+salCond, salArgs, func(rs *sql.Rows) error {
		var id, lid, typ, name string
		if err := rs.Scan(&id, &lid, &typ, &name); err != nil {
			return err
		}
		f := facts[id]
		switch typ {
		case LocationVirtual:
			f.online = true
		case LocationPhysical:
			f.inPerson = true
		}
		f.text = append(f.text, name)
		locOf[lid] = append(locOf[lid], id)
		locIDs = append(locIDs, lid)
		return nil
	}); err != nil {
		return 0, err
	}
	for _, part := range chunks(uniq(locIDs), 500) {
		ac, aargs := inList("location_id", 1, part)
		if err := each(`SELECT location_id, city, region, state_province FROM hsds_addresses WHERE `+ac, aargs, func(rs *sql.Rows) error {
			var lid, city, region, state string
			if err := rs.Scan(&lid, &city, &region, &state); err != nil {
				return err
			}
			for _, id := range locOf[lid] {
				facts[id].text = append(facts[id].text, city, region, state)
			}
			return nil
		}); err != nil {
			return 0, err
		}
	}
	svcRows := make([][]any, 0, len(order))
	searchRows := make([][]any, 0, len(order))
	for _, id := range order {
		f := facts[id]
		modified := now
		if t, err := parseDateTime(f.lastMod); err == nil && f.lastMod != "" {
			modified = t.UTC()
		}
		svcRows = append(svcRows, []any{id, modified, CostClass(f.costs, f.fees...), f.online, f.inPerson, now, now})
		searchRows = append(searchRows, []any{id, textkit.SearchTerms(strings.Join(f.text, " "))})
	}
	if err := insertBatches(ctx, q, `INSERT INTO hsds_services (id, modified_at, cost_class, online, in_person, created_at, updated_at) VALUES `,
		` ON CONFLICT (id) DO UPDATE SET modified_at = excluded.modified_at, cost_class = excluded.cost_class, online = excluded.online, in_person = excluded.in_person, updated_at = excluded.updated_at`,
		svcRows, maxParams); err != nil {
		return 0, err
	}
	if err := insertBatches(ctx, q, `INSERT INTO hsds_service_search (service_id, search_terms) VALUES `,
		` ON CONFLICT (service_id) DO UPDATE SET search_terms = excluded.search_terms`, searchRows, maxParams); err != nil {
		return 0, err
	}
	return len(order), nil
}

// insertBatches runs head + "(...), (...)" + tail over rows, as many rows
// per statement as maxParams allows.
func insertBatches(ctx context.Context, q db.Querier, head, tail string, rows [][]any, maxParams int) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, maxParams/len(rows[0]))
	for start := 0; start < len(rows); start += per {
		var b strings.Builder
		b.WriteString(head)
		var args []any
		for i, r := range rows[start:min(start+per, len(rows))] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(placeholders(len(args)+1, len(r)))
			args = append(args, r...)
		}
		b.WriteString(tail)
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns "($k, $k+1, ..., $k+n-1)".
func placeholders(k, n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(k+i))
	}
	b.WriteByte(')')
	return b.String()
}
