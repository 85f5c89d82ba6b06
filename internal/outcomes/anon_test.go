package outcomes

import (
	"fmt"
	"math/rand"
	"testing"
)

func TestAgeBand(t *testing.T) {
	for _, c := range []struct {
		born, year int
		want       string
	}{
		{0, 2026, ""}, {2030, 2026, ""},
		{2009, 2026, "under-18"}, {2008, 2026, "18-24"}, {2002, 2026, "18-24"}, {2001, 2026, "25-34"},
		{1992, 2026, "25-34"}, {1991, 2026, "35-44"}, {1982, 2026, "35-44"}, {1981, 2026, "45-54"},
		{1972, 2026, "45-54"}, {1971, 2026, "55-64"}, {1962, 2026, "55-64"}, {1961, 2026, "65+"}, {1920, 2026, "65+"},
	} {
		if got := AgeBand(c.born, c.year); got != c.want {
			t.Errorf("AgeBand(%d, %d) = %q, want %q", c.born, c.year, got, c.want)
		}
	}
}

func rowsOf(specs ...any) []Quasi {
	var rows []Quasi
	for i := 0; i < len(specs); i += 2 {
		for n := 0; n < specs[i].(int); n++ {
			rows = append(rows, specs[i+1].(Quasi))
		}
	}
	return rows
}

func TestGeneraliseSteps(t *testing.T) {
	jkt := Quasi{"25-34", "Jakarta", "f"}
	for _, c := range []struct {
		name string
		rows []Quasi
		k    int
		out  []Quasi
		keep []bool
	}{
		{
			// Only the rows in small cells lose their region; Jakarta keeps it.
			name: "region",
			rows: rowsOf(3, jkt, 1, Quasi{"25-34", "Bandung", "f"}, 2, Quasi{"25-34", "Bogor", "f"}),
			k:    3,
			out:  append(rowsOf(3, jkt), rowsOf(3, Quasi{"25-34", "*", "f"})...),
			keep: []bool{true, true, true, true, true, true},
		},
		{
			// Region alone is not enough: the age bands widen, but only to under-25.
			name: "wider age",
			rows: rowsOf(3, jkt, 2, Quasi{"18-24", "Bogor", "m"}, 1, Quasi{"under-18", "Depok", "m"}),
			k:    3,
			out:  append(rowsOf(3, jkt), rowsOf(3, Quasi{"under-25", "*", "m"})...),
			keep: []bool{true, true, true, true, true, true},
		},
		{
			// Different wide bands: age goes entirely, gender stays.
			name: "no age",
			rows: rowsOf(3, jkt, 1, Quasi{"18-24", "Bogor", "m"}, 1, Quasi{"45-54", "Depok", "m"}, 1, Quasi{"65+", "Depok", "m"}),
			k:    3,
			out:  append(rowsOf(3, jkt), rowsOf(3, Quasi{"*", "*", "m"})...),
			keep: []bool{true, true, true, true, true, true},
		},
		{
			// Gender goes last; a row that is still alone is suppressed.
			name: "gender and suppression",
			rows: rowsOf(3, jkt, 2, Quasi{"18-24", "Bogor", "m"}, 1, Quasi{"65+", "Depok", "f"}, 1, Quasi{"", "Depok", "x"}),
			k:    3,
			out:  append(rowsOf(3, jkt), rowsOf(4, Quasi{"*", "*", "*"})...),
			keep: []bool{true, true, true, true, true, true, true},
		},
		{
			name: "suppressed",
			rows: rowsOf(3, jkt, 1, Quasi{"65+", "Depok", "m"}),
			k:    3,
			out:  append(rowsOf(3, jkt), Quasi{"*", "*", "*"}),
			keep: []bool{true, true, true, false},
		},
		{
			name: "k 1",
			rows: rowsOf(1, jkt, 1, Quasi{"65+", "Depok", "m"}),
			k:    1,
			out:  rowsOf(1, jkt, 1, Quasi{"65+", "Depok", "m"}),
			keep: []bool{true, true},
		},
	} {
		out, keep := Generalise(c.rows, c.k)
		if fmt.Sprint(out) != fmt.Sprint(c.out) || fmt.Sprint(keep) != fmt.Sprint(c.keep) {
			t.Errorf("%s:\n got %v %v\nwant %v %v", c.name, out, keep, c.out, c.keep)
		}
	}
	rows := rowsOf(1, jkt)
	Generalise(rows, 5)
	if rows[0] != jkt {
		t.Error("Generalise changed its input")
	}
}

// TestGeneraliseRandom: on random data every kept combination covers at
// least k kept rows, each value is the original or a generalisation of it,
// and rows whose combination was already large enough are untouched.
func TestGeneraliseRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	ages := []string{"under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", ""}
	regions := []string{"Jakarta", "Bandung", "Yogyakarta", "Surabaya", "Medan", "Makassar", ""}
	genders := []string{"f", "m", "x", ""}
	for trial := 0; trial < 200; trial++ {
		n, k := 1+rng.Intn(120), 2+rng.Intn(5)
		rows := make([]Quasi, n)
		for i := range rows {
			// skewed, so that some cells are large and some small
			rows[i] = Quasi{ages[min(rng.Intn(len(ages)), rng.Intn(len(ages)))], regions[min(rng.Intn(len(regions)), rng.Intn(len(regions)))], genders[rng.Intn(len(genders))]}
		}
		before := map[Quasi]int{}
		for _, q := range rows {
			before[q]++
		}
		out, keep := Generalise(rows, k)
		cells := map[Quasi]int{}
		for i, q := range out {
			if keep[i] {
				cells[q]++
			}
		}
		for i, q := range out {
			o := rows[i]
			if keep[i] && cells[q] < k {
				t.Fatalf("trial %d: kept cell %v has %d rows < %d", trial, q, cells[q], k)
			}
			if before[o] >= k && q != o {
				t.Fatalf("trial %d: %v was in a cell of %d but became %v", trial, o, before[o], q)
			}
			if (q.Region != o.Region && q.Region != "*") || (q.Gender != o.Gender && q.Gender != "*") ||
				(q.AgeBand != o.AgeBand && q.AgeBand != "*" && q.AgeBand != widerAge[o.AgeBand]) {
				t.Fatalf("trial %d: %v is not a generalisation of %v", trial, q, o)
			}
		}
	}
}
