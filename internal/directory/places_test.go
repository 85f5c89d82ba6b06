package directory

import (
	"math"
	"testing"

	"github.com/rangkul/rangkul/internal/hsds"
)

func TestResolvePlace(t *testing.T) {
	for _, c := range []struct {
		typed   string
		name    string
		problem PlaceProblem
		at      *hsds.Point
	}{
		{typed: "Bandung", name: "Bandung"},
		{typed: "  kota bandung ", name: "Bandung"},
		{typed: "Kabupaten Bogor", name: "Bogor"},
		{typed: "SOLO", name: "Surakarta"},
		{typed: "Jogja", name: "Yogyakarta"},
		{typed: "Palangkaraya", name: "Palangka Raya"},
		{typed: "Bandar Lampung", name: "Bandar Lampung"},
		{typed: "-6.2, 106.8", at: &hsds.Point{Lat: -6.2, Lon: 106.8}},
		{typed: "-6.2 106.8", at: &hsds.Point{Lat: -6.2, Lon: 106.8}},
		{typed: "51.5;-0.12", at: &hsds.Point{Lat: 51.5, Lon: -0.12}},
		{typed: "100, 5", problem: PlaceLatitude},
		{typed: "-91, 5", problem: PlaceLatitude},
		{typed: "-6.2, 181", problem: PlaceLongitude},
		{typed: "-6.2", problem: PlaceNotANumber},
		{typed: "-6.2, abc", problem: PlaceNotANumber},
		{typed: "1, NaN", problem: PlaceNotANumber},
		{typed: "1e400, 5", problem: PlaceNotANumber},
		{typed: "Atlantis", problem: PlaceUnknown},
		{typed: "Bandungan", problem: PlaceUnknown},
	} {
		at, name, problem := ResolvePlace(c.typed)
		if problem != c.problem || name != c.name {
			t.Errorf("%q: name %q problem %q, want %q %q", c.typed, name, problem, c.name, c.problem)
			continue
		}
		if c.at != nil && at != *c.at {
			t.Errorf("%q: at %v, want %v", c.typed, at, *c.at)
		}
	}
}

// The built-in places lie in Indonesia, and known straight-line distances
// between cities come out right, which catches a swapped or mistyped
// coordinate.
func TestPlacesAreWhereTheyShouldBe(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Places {
		if p.At.Lat < -11 || p.At.Lat > 6 || p.At.Lon < 95 || p.At.Lon > 141 {
			t.Errorf("%s at %v is outside Indonesia", p.Name, p.At)
		}
		if seen[placeKey(p.Name)] {
			t.Errorf("%s twice", p.Name)
		}
		seen[placeKey(p.Name)] = true
	}
	if len(Places) < 30 || len(Places) > 45 {
		t.Errorf("%d places", len(Places))
	}
	at := func(name string) hsds.Point {
		p, _, problem := ResolvePlace(name)
		if problem != "" {
			t.Fatalf("%s: %s", name, problem)
		}
		return p
	}
	// Great-circle distances between city centres, rounded, as published
	// distance calculators give them (±5%).
	for _, c := range []struct {
		a, b string
		km   float64
	}{
		{"Jakarta", "Bandung", 118}, {"Jakarta", "Surabaya", 663}, {"Jakarta", "Yogyakarta", 432},
		{"Surabaya", "Malang", 79}, {"Medan", "Banda Aceh", 430}, {"Makassar", "Manado", 958},
		{"Jakarta", "Bogor", 47}, {"Denpasar", "Mataram", 103}, {"Jakarta", "Jayapura", 3760},
	} {
		d := hsds.Distance(at(c.a), at(c.b))
		if math.Abs(d-c.km)/c.km > 0.05 {
			t.Errorf("%s to %s: %.0f km, want about %.0f", c.a, c.b, d, c.km)
		}
	}
}
