package outcomes

// Quasi holds the quasi-identifiers of one row of a research export: facts
// that do not name anyone but could single someone out in combination.
type Quasi struct {
	AgeBand, Region, Gender string
}

// Suppressed is the value of a quasi-identifier that was generalised away.
const Suppressed = "*"

// AgeBand is the age band of someone born in birthYear, in year: "" when the
// birth year is unknown (0) or after year, else "under-18", "18-24",
// "25-34", "35-44", "45-54", "55-64" or "65+". Without a birth date the age
// is taken as year - birthYear.
func AgeBand(birthYear, year int) string {
	age := year - birthYear
	switch {
	case birthYear == 0 || age < 0:
		return ""
	case age < 18:
		return "under-18"
	case age < 25:
		return "18-24"
	case age < 35:
		return "25-34"
	case age < 45:
		return "35-44"
	case age < 55:
		return "45-54"
	case age < 65:
		return "55-64"
	}
	return "65+"
}

// widerAge maps an age band to the wider band that contains it.
var widerAge = map[string]string{
	"under-18": "under-25", "18-24": "under-25",
	"25-34": "25-44", "35-44": "25-44",
	"45-54": "45-64", "55-64": "45-64",
	"65+": "65+",
}

// Generalise makes the rows k-anonymous: every combination of the three
// quasi-identifiers that is kept covers at least k rows. out[i] is rows[i]
// generalised, and keep[i] tells whether row i may be exported.
//
// Only rows in a combination of fewer than k rows are touched, one step at a
// time, recounting after each step:
//  1. their Region becomes "*";
//  2. their AgeBand becomes the wider band ("under-25", "25-44", "45-64",
//     "65+");
//  3. their AgeBand becomes "*";
//  4. their Gender becomes "*";
//  5. rows still in a combination of fewer than k rows are suppressed
//     (keep false).
//
// A row in a combination of k or more rows is never changed, and moving other
// rows into its combination only makes it larger, so no row is coarser than
// the step that made its combination large enough. k <= 1 keeps every row
// as it is.
func Generalise(rows []Quasi, k int) (out []Quasi, keep []bool) {
	out = make([]Quasi, len(rows))
	copy(out, rows)
	keep = make([]bool, len(rows))
	for i := range keep {
		keep[i] = true
	}
	if k <= 1 {
		return out, keep
	}
	steps := []func(*Quasi){
		func(q *Quasi) { q.Region = Suppressed },
		func(q *Quasi) {
			if w, ok := widerAge[q.AgeBand]; ok {
				q.AgeBand = w
			}
		},
		func(q *Quasi) { q.AgeBand = Suppressed },
		func(q *Quasi) { q.Gender = Suppressed },
	}
	for _, step := range steps {
		small := smallCells(out, k)
		if len(small) == 0 {
			return out, keep
		}
		for _, i := range small {
			step(&out[i])
		}
	}
	for _, i := range smallCells(out, k) {
		keep[i] = false
	}
	return out, keep
}

// smallCells returns the indexes of the rows whose combination covers fewer
// than k rows.
func smallCells(rows []Quasi, k int) []int {
	count := make(map[Quasi]int, len(rows))
	for _, q := range rows {
		count[q]++
	}
	var small []int
	for i, q := range rows {
		if count[q] < k {
			small = append(small, i)
		}
	}
	return small
}
