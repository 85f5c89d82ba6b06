package hsds

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

// TestMain removes the generated benchmark data when the run ends.
func TestMain(m *testing.M) {
	code := m.Run()
	if genDir != "" {
		os.RemoveAll(genDir)
	}
	os.Exit(code)
}

// benchServices is how many services the benchmarks generate:
// RANGKUL_HSDS_BENCH_SERVICES, 100000 by default.
func benchServices() int {
	if n, err := strconv.Atoi(os.Getenv("RANGKUL_HSDS_BENCH_SERVICES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

var (
	genOnce sync.Once
	genDir  string
)

// benchID is a deterministic UUID-shaped id for record n of a kind.
func benchID(kind, n int) string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", kind, n)
}

var (
	benchWords = []string{"konseling", "kecemasan", "depresi", "dukungan", "sebaya", "keluarga", "remaja", "perempuan",
		"trauma", "duka", "support", "carers", "youth", "counselling", "peer", "anxiety", "parenting", "recovery",
		"rehabilitasi", "psikolog", "puskesmas", "komunitas", "hotline", "mindfulness", "lansia", "disabilitas"}
	benchCities = []string{"Jakarta", "Bogor", "Depok", "Bandung", "Semarang", "Yogyakarta", "Surabaya", "Malang", "Solo", "Cirebon"}
	benchLangs  = [][2]string{{"Bahasa Indonesia", "id"}, {"English", "en"}, {"Basa Jawa", "jv"}, {"Basa Sunda", "su"}}
)

// generate writes an HSDS CSV folder with n services: n/100 organizations,
// 20 taxonomy terms, and per service a location on Java (one in ten
// virtual), a service at location, an address, a cost option, one or two
// languages, a weekly schedule and a term.
func generate(tb testing.TB, dir string, n int) {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	type file struct {
		f *os.File
		w *csv.Writer
	}
	files := map[string]*file{}
	open := func(t *table) *csv.Writer {
		f, err := os.Create(filepath.Join(dir, t.csvFile()))
		if err != nil {
			tb.Fatal(err)
		}
		w := csv.NewWriter(f)
		_ = w.Write(t.columnNames())
		files[t.name] = &file{f, w}
		return w
	}
	write := func(t *table, vals map[string]string) {
		w := files[t.name].w
		rec := make([]string, len(t.columns))
		for i, c := range t.columns {
			rec[i] = vals[c.name]
		}
		if err := w.Write(rec); err != nil {
			tb.Fatal(err)
		}
	}
	for _, t := range []*table{tOrganizations, tServices, tLocations, tSAL, tAddresses, tCostOptions, tLanguages, tSchedules, tTaxonomies, tTerms, tAttributes} {
		open(t)
	}
	write(tTaxonomies, map[string]string{"id": benchID(9, 0), "name": "Rangkul topics", "description": "Bench"})
	for i := 0; i < 20; i++ {
		write(tTerms, map[string]string{"id": benchID(10, i), "name": benchWords[i%len(benchWords)] + " " + strconv.Itoa(i),
			"description": "Bench term", "taxonomy_id": benchID(9, 0)})
	}
	orgs := max(1, n/100)
	for i := 0; i < orgs; i++ {
		write(tOrganizations, map[string]string{"id": benchID(1, i), "name": "Yayasan " + benchCities[i%len(benchCities)] + " " + strconv.Itoa(i),
			"description": "Organisasi layanan kesehatan jiwa"})
	}
	days := []string{"MO,TU,WE,TH,FR", "MO,WE,FR", "SA,SU", "TU,TH", "MO,TU,WE,TH,FR,SA"}
	for i := 0; i < n; i++ {
		w1, w2, w3 := benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))]
		city := benchCities[r.IntN(len(benchCities))]
		write(tServices, map[string]string{"id": benchID(2, i), "organization_id": benchID(1, i%orgs),
			"name": fmt.Sprintf("Layanan %s %s %d", w1, city, i), "description": fmt.Sprintf("Layanan %s dan %s untuk warga %s", w2, w3, city),
			"status": "active"})
		loc := map[string]string{"id": benchID(3, i), "location_type": "physical", "name": "Lokasi " + city}
		if i%10 == 9 {
			loc["location_type"] = "virtual"
		} else {
			// Java, roughly: latitude -8.5..-6, longitude 105.5..114.5.
			loc["latitude"] = strconv.FormatFloat(-8.5+r.Float64()*2.5, 'f', 6, 64)
			loc["longitude"] = strconv.FormatFloat(105.5+r.Float64()*9, 'f', 6, 64)
			write(tAddresses, map[string]string{"id": benchID(5, i), "location_id": benchID(3, i), "address_1": "Jl. Contoh " + strconv.Itoa(i),
				"city": city, "state_province": "Jawa", "postal_code": strconv.Itoa(10000 + r.IntN(80000)), "country": "ID", "address_type": "physical"})
		}
		write(tLocations, loc)
		write(tSAL, map[string]string{"id": benchID(4, i), "service_id": benchID(2, i), "location_id": benchID(3, i)})
		cost := map[string]string{"id": benchID(6, i), "service_id": benchID(2, i), "currency": "IDR"}
		switch r.IntN(3) {
		case 0:
			cost["amount"] = "0"
		case 1:
			cost["amount"] = "25000"
		default:
			cost["amount"] = "250000"
		}
		write(tCostOptions, cost)
		lang := benchLangs[r.IntN(len(benchLangs))]
		write(tLanguages, map[string]string{"id": benchID(7, i), "service_id": benchID(2, i), "name": lang[0], "code": lang[1]})
		write(tSchedules, map[string]string{"id": benchID(8, i), "service_id": benchID(2, i), "freq": "WEEKLY",
			"byday": days[r.IntN(len(days))], "opens_at": fmt.Sprintf("%02d:00", 7+r.IntN(4)), "closes_at": fmt.Sprintf("%02d:00", 15+r.IntN(6))})
		write(tAttributes, map[string]string{"id": benchID(11, i), "link_id": benchID(2, i), "taxonomy_term_id": benchID(10, r.IntN(20)),
			"link_entity": "service"})
	}
	for _, f := range files {
		f.w.Flush()
		if err := f.w.Error(); err != nil {
			tb.Fatal(err)
		}
		f.f.Close()
	}
}

func benchData(tb testing.TB) string {
	genOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rangkul-hsds-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		generate(tb, dir, benchServices())
		genDir = dir
	})
	return genDir
}

// BenchmarkImport100k imports the generated folder into a fresh database
// per iteration; run with -benchtime=1x (see docs/performance.md).
func BenchmarkImport100k(b *testing.B) {
	dir := benchData(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := NewStore(dbtest.Open(b))
		b.StartTimer()
		res, err := s.Import(ctx, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Services != benchServices() {
			b.Fatalf("imported %d services", res.Services)
		}
	}
	b.ReportMetric(float64(benchServices()), "services")
}

// BenchmarkSearch100k measures searches over the generated directory,
// each with a distance (10 km around a random point on Java) and filters,
// reporting p50 and p99 latency per kind of search.
func BenchmarkSearch100k(b *testing.B) {
	dir := benchData(b)
	ctx := context.Background()
	s := NewStore(dbtest.Open(b))
	if _, err := s.Import(ctx, dir, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.db.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	monday := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	kinds := []struct {
		name string
		add  func(r *rand.Rand, f *Filter)
	}{
		{"distance", func(r *rand.Rand, f *Filter) {}},
		{"text", func(r *rand.Rand, f *Filter) { f.Text = benchWords[r.IntN(len(benchWords))] }},
		{"cost+language", func(r *rand.Rand, f *Filter) { f.Cost = CostLow; f.Language = "id" }},
		{"term+in-person", func(r *rand.Rand, f *Filter) {
			f.TaxonomyTermID = benchID(10, r.IntN(20))
			f.Delivery = DeliveryInPerson
		}},
		{"text+free+open-now", func(r *rand.Rand, f *Filter) { f.Text = "konseling"; f.Cost = CostFree; f.OpenAt = &monday }},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 4))
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				f := Filter{Near: &Point{-8.5 + r.Float64()*2.5, 105.5 + r.Float64()*9}, RadiusKm: 10, ActiveOnly: true}
				k.add(r, &f)
				start := time.Now()
				if _, err := s.Search(ctx, f); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			reportLatency(b, lat)
		})
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
