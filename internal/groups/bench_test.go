package groups_test

import (
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/groups"
)

// benchDirectory fills a directory with n groups across topics, languages,
// regions and modes, with names and descriptions in both languages.
func benchDirectory(b *testing.B, n int) *groups.Service {
	b.Helper()
	f := newBenchFixture(b)
	regions := []string{"DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Sulawesi Selatan", "Bali", "West Yorkshire"}
	words := []string{"kecemasan", "depresi", "pemulihan", "keluarga", "pendamping", "carers", "grief", "bipolar", "psikosis", "remaja"}
	for i := 0; i < n; i++ {
		in := groups.Input{Name: "Kelompok " + words[i%len(words)] + " " + strconv.Itoa(i),
			Description: "Saling dukung untuk " + words[(i*7)%len(words)] + " dan " + words[(i*3)%len(words)],
			Topic:       groups.Topics[i%len(groups.Topics)], Language: groups.Languages[i%len(groups.Languages)],
			Region: regions[i%len(regions)], Mode: groups.Modes[i%len(groups.Modes)], Capacity: "12",
			Open: i%3 != 0, Listed: true}
		if _, err := f.groups.Create(f.sys, f.org, in); err != nil {
			b.Fatal(err)
		}
	}
	// As the periodic job does in a running Rangkul: the planner learns the
	// table's real size.
	if err := f.db.Optimize(context.Background()); err != nil {
		b.Fatal(err)
	}
	return f.groups
}

func newBenchFixture(b *testing.B) *fixture {
	b.Helper()
	return newFixtureTB(b)
}

func BenchmarkDirectory10kSearch(b *testing.B) {
	svc := benchDirectory(b, 10000)
	ctx := context.Background()
	queries := []string{"cemas", "pendamping keluarga", "bipolar", "carer", "pulih"}
	b.ReportAllocs()
	b.ResetTimer()
	took := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, _, err := svc.Directory(ctx, groups.Filter{Query: queries[i%len(queries)]}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	reportP99(b, took)
}

// reportP99 adds the 99th percentile of the operations' durations, in
// milliseconds, to the benchmark's output (a measurement, not a limit).
func reportP99(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[(len(took)*99)/100])/float64(time.Millisecond), "p99-ms")
}

func BenchmarkDirectory10kFilters(b *testing.B) {
	svc := benchDirectory(b, 10000)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	took := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		f := groups.Filter{Topic: groups.Topics[i%len(groups.Topics)], Mode: "online", Open: "open", Page: 1 + i%3}
		t0 := time.Now()
		if _, _, err := svc.Directory(ctx, f); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	reportP99(b, took)
}

// BenchmarkDirectory10kSearchByWord times each search word on its own, to
// see which one sets the p99: "pulih" matches every group.
func BenchmarkDirectory10kSearchByWord(b *testing.B) {
	svc := benchDirectory(b, 10000)
	ctx := context.Background()
	for _, q := range []string{"cemas", "pendamping keluarga", "bipolar", "carer", "pulih"} {
		b.Run(q, func(b *testing.B) {
			took := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				_, n, err := svc.Directory(ctx, groups.Filter{Query: q})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
				if i == 0 {
					b.Logf("%s: %d matches", q, n)
				}
			}
			reportP99(b, took)
		})
	}
}
