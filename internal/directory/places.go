package directory

import (
	"math"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/textkit"
)

// Place is a city or regency a person can search near by name.
type Place struct {
	Name     string
	Province string
	At       hsds.Point
	Aliases  []string // other names people type for it ("Solo", "Jogja")
}

// Places are Indonesia's provincial capitals and its largest cities, with
// the coordinates of their centres (a main square, city hall or landmark),
// rounded to four decimals. They are public facts, good to a kilometre or
// two, which is all a radius search in kilometres needs; a person who wants
// more precision types "latitude, longitude" or lets the browser give it.
var Places = []Place{
	{"Banda Aceh", "Aceh", hsds.Point{Lat: 5.5483, Lon: 95.3238}, nil},
	{"Medan", "Sumatera Utara", hsds.Point{Lat: 3.5952, Lon: 98.6722}, nil},
	{"Padang", "Sumatera Barat", hsds.Point{Lat: -0.9471, Lon: 100.4172}, nil},
	{"Pekanbaru", "Riau", hsds.Point{Lat: 0.5071, Lon: 101.4478}, nil},
	{"Batam", "Kepulauan Riau", hsds.Point{Lat: 1.1301, Lon: 104.0529}, nil},
	{"Tanjungpinang", "Kepulauan Riau", hsds.Point{Lat: 0.9186, Lon: 104.4554}, nil},
	{"Jambi", "Jambi", hsds.Point{Lat: -1.6101, Lon: 103.6131}, nil},
	{"Palembang", "Sumatera Selatan", hsds.Point{Lat: -2.9761, Lon: 104.7754}, nil},
	{"Bengkulu", "Bengkulu", hsds.Point{Lat: -3.7928, Lon: 102.2608}, nil},
	{"Pangkalpinang", "Kepulauan Bangka Belitung", hsds.Point{Lat: -2.1291, Lon: 106.1138}, nil},
	{"Bandar Lampung", "Lampung", hsds.Point{Lat: -5.3971, Lon: 105.2668}, nil},
	{"Serang", "Banten", hsds.Point{Lat: -6.1200, Lon: 106.1503}, nil},
	{"Tangerang", "Banten", hsds.Point{Lat: -6.1783, Lon: 106.6319}, nil},
	{"Jakarta", "DKI Jakarta", hsds.Point{Lat: -6.1754, Lon: 106.8272}, []string{"DKI Jakarta", "Jakarta Pusat"}},
	{"Bekasi", "Jawa Barat", hsds.Point{Lat: -6.2383, Lon: 106.9756}, nil},
	{"Depok", "Jawa Barat", hsds.Point{Lat: -6.4025, Lon: 106.7942}, nil},
	{"Bogor", "Jawa Barat", hsds.Point{Lat: -6.5950, Lon: 106.8166}, nil},
	{"Bandung", "Jawa Barat", hsds.Point{Lat: -6.9175, Lon: 107.6191}, nil},
	{"Cirebon", "Jawa Barat", hsds.Point{Lat: -6.7063, Lon: 108.5570}, nil},
	{"Semarang", "Jawa Tengah", hsds.Point{Lat: -6.9932, Lon: 110.4203}, nil},
	{"Surakarta", "Jawa Tengah", hsds.Point{Lat: -7.5755, Lon: 110.8243}, []string{"Solo"}},
	{"Yogyakarta", "DI Yogyakarta", hsds.Point{Lat: -7.7956, Lon: 110.3695}, []string{"Jogja", "Jogjakarta", "Yogya", "Jogya"}},
	{"Surabaya", "Jawa Timur", hsds.Point{Lat: -7.2575, Lon: 112.7521}, nil},
	{"Malang", "Jawa Timur", hsds.Point{Lat: -7.9666, Lon: 112.6326}, nil},
	{"Denpasar", "Bali", hsds.Point{Lat: -8.6705, Lon: 115.2126}, nil},
	{"Mataram", "Nusa Tenggara Barat", hsds.Point{Lat: -8.5833, Lon: 116.1167}, nil},
	{"Kupang", "Nusa Tenggara Timur", hsds.Point{Lat: -10.1772, Lon: 123.6070}, nil},
	{"Pontianak", "Kalimantan Barat", hsds.Point{Lat: -0.0263, Lon: 109.3425}, nil},
	{"Palangka Raya", "Kalimantan Tengah", hsds.Point{Lat: -2.2161, Lon: 113.9135}, []string{"Palangkaraya"}},
	{"Banjarmasin", "Kalimantan Selatan", hsds.Point{Lat: -3.3186, Lon: 114.5944}, nil},
	{"Samarinda", "Kalimantan Timur", hsds.Point{Lat: -0.5022, Lon: 117.1536}, nil},
	{"Balikpapan", "Kalimantan Timur", hsds.Point{Lat: -1.2379, Lon: 116.8529}, nil},
	{"Manado", "Sulawesi Utara", hsds.Point{Lat: 1.4748, Lon: 124.8421}, nil},
	{"Gorontalo", "Gorontalo", hsds.Point{Lat: 0.5435, Lon: 123.0568}, nil},
	{"Palu", "Sulawesi Tengah", hsds.Point{Lat: -0.8917, Lon: 119.8707}, nil},
	{"Makassar", "Sulawesi Selatan", hsds.Point{Lat: -5.1477, Lon: 119.4327}, nil},
	{"Kendari", "Sulawesi Tenggara", hsds.Point{Lat: -3.9985, Lon: 122.5127}, nil},
	{"Ambon", "Maluku", hsds.Point{Lat: -3.6954, Lon: 128.1814}, nil},
	{"Ternate", "Maluku Utara", hsds.Point{Lat: 0.7893, Lon: 127.3849}, nil},
	{"Sorong", "Papua Barat Daya", hsds.Point{Lat: -0.8762, Lon: 131.2558}, nil},
	{"Manokwari", "Papua Barat", hsds.Point{Lat: -0.8615, Lon: 134.0620}, nil},
	{"Jayapura", "Papua", hsds.Point{Lat: -2.5337, Lon: 140.7181}, nil},
}

// placeKey folds a typed place name for lookup: case, accents, spaces and
// the words "kota"/"kabupaten"/"city" people put before or after a name.
func placeKey(s string) string {
	words := textkit.Words(textkit.Fold(s))
	kept := words[:0]
	for _, w := range words {
		switch w {
		case "kota", "kabupaten", "kab", "city", "regency":
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, "")
}

var placeIndex = func() map[string]*Place {
	m := map[string]*Place{}
	for i := range Places {
		p := &Places[i]
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			m[placeKey(n)] = p
		}
	}
	return m
}()

// PlaceProblem says why a typed place cannot be searched near.
type PlaceProblem string

// Reasons a place is refused; each is also the last part of a translation
// key (directory.place.<reason>).
const (
	PlaceUnknown    PlaceProblem = "unknown"
	PlaceLatitude   PlaceProblem = "latitude"
	PlaceLongitude  PlaceProblem = "longitude"
	PlaceNotANumber PlaceProblem = "not_a_number"
)

// ResolvePlace reads what a person typed as a place: a name from Places
// (with or without "Kota", any case), or "latitude, longitude" in decimal
// degrees. It returns the point, the name to show ("" for coordinates),
// and a problem when the place is unknown or the coordinates impossible.
func ResolvePlace(typed string) (hsds.Point, string, PlaceProblem) {
	typed = strings.TrimSpace(typed)
	if lat, lon, ok := splitCoordinates(typed); ok {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		switch {
		case err1 != nil || err2 != nil || math.IsNaN(la) || math.IsNaN(lo) || math.IsInf(la, 0) || math.IsInf(lo, 0):
			return hsds.Point{}, "", PlaceNotANumber
		case la < -90 || la > 90:
			return hsds.Point{}, "", PlaceLatitude
		case lo < -180 || lo > 180:
			return hsds.Point{}, "", PlaceLongitude
		}
		return hsds.Point{Lat: la, Lon: lo}, "", ""
	}
	if p := placeIndex[placeKey(typed)]; p != nil {
		return p.At, p.Name, ""
	}
	return hsds.Point{}, "", PlaceUnknown
}

// splitCoordinates splits "lat, lon" (or "lat lon", "lat;lon") when the
// text starts like a number, so "-6.2, 106.8" is read as coordinates and
// "Bandung" as a name.
func splitCoordinates(s string) (string, string, bool) {
	if s == "" || !strings.ContainsAny(s[:1], "+-.0123456789") {
		return "", "", false
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	if len(f) != 2 {
		return s, "", true
	}
	return f[0], f[1], true
}
