package hsds

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

type place struct {
	name     string
	lat, lon float64
	virtual  bool
	postcode string
}

var (
	jakarta = place{name: "Puskesmas Tebet", lat: -6.2264, lon: 106.8535, postcode: "12810"}
	bogor   = place{name: "Rumah Sakit Bogor", lat: -6.5971, lon: 106.8060, postcode: "16121"}
	jogja   = place{name: "Balai Yogyakarta", lat: -7.7956, lon: 110.3695, postcode: "55281"}
	online  = place{name: "Ruang daring", virtual: true}
)

const (
	testOrg  = "6a0b4d8e-1c2f-4a3b-9d4e-5f6a7b8c9d0e"
	termPeer = "0e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968"
	termLaw  = "1f8e7d6c-5b4a-4392-8a1f-2e3d4c5b6a79"
	taxonomy = "2a9f8e7d-6c5b-4a43-9b2a-3f4e5d6c7b8a"
)

// seed writes an organization, a taxonomy with two terms, and the services.
func seed(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	org := `{"id": "` + testOrg + `", "name": "Yayasan Rangkul Jiwa", "description": "Dukungan sebaya"}`
	terms := `[{"id": "` + termPeer + `", "name": "Dukungan sebaya", "description": "Peer support", "taxonomy_detail": {"id": "` + taxonomy + `", "name": "Rangkul", "description": "Topics"}},
		{"id": "` + termLaw + `", "name": "Bantuan hukum", "description": "Legal aid", "taxonomy_id": "` + taxonomy + `"}]`
	for _, doc := range []string{org, terms} {
		if _, err := s.ImportJSON(ctx, strings.NewReader(doc), nil); err != nil {
			t.Fatal(err)
		}
	}
}

func newService(name, desc string, at place, cost *CostOption, lang Language, sched *Schedule, term string) *Service {
	loc := &Location{LocationType: LocationPhysical, Name: at.name}
	if at.virtual {
		loc.LocationType = LocationVirtual
	} else {
		loc.Latitude, loc.Longitude = f64(at.lat), f64(at.lon)
		loc.Addresses = []Address{{Address1: "Jl. Contoh 1", City: at.name, StateProvince: "ID", PostalCode: at.postcode, Country: "ID", AddressType: "physical"}}
	}
	sv := &Service{Name: name, Description: desc, Status: "active", OrganizationID: testOrg,
		ServiceAtLocations: []ServiceAtLocation{{Location: loc}}, Languages: []Language{lang}}
	if cost != nil {
		sv.CostOptions = []CostOption{*cost}
	}
	if sched != nil {
		sv.Schedules = []Schedule{*sched}
	}
	if term != "" {
		sv.Attributes = []Attribute{{TaxonomyTermID: term, LinkEntity: "service"}}
	}
	return sv
}

func TestSearchFilters(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	seed(t, s)
	indo := Language{Name: "Bahasa Indonesia", Code: "ind"}
	eng := Language{Name: "English", Code: "en"}
	weekdays := &Schedule{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "08:00", ClosesAt: "16:00"}
	nights := &Schedule{Freq: "WEEKLY", ByDay: "FR,SA", OpensAt: "20:00", ClosesAt: "02:00"}
	svcs := map[string]*Service{
		"konseling": newService("Konseling kecemasan", "Layanan konseling untuk kecemasan dan depresi", jakarta,
			&CostOption{Option: "Gratis dengan BPJS"}, indo, weekdays, termPeer),
		"carers": newService("Carers support circle", "Supporting families and carers", bogor,
			&CostOption{Amount: f64(25000), Currency: "IDR"}, eng, nights, termPeer),
		"legal": newService("Bantuan hukum", "Pendampingan hukum", jogja,
			&CostOption{Amount: f64(300000), Currency: "IDR"}, indo, weekdays, termLaw),
		"chat": newService("Teman cerita daring", "Obrolan daring dengan pendamping sebaya", online,
			nil, indo, nil, ""),
	}
	ids := map[string]string{}
	for k, sv := range svcs {
		if err := s.UpsertService(ctx, sv, 0); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		ids[sv.ID] = k
	}
	names := func(p *Page) map[string]bool {
		out := map[string]bool{}
		for _, sv := range p.Services {
			out[ids[sv.ID]] = true
		}
		return out
	}
	monday10 := time.Date(2025, 3, 3, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	saturday1am := time.Date(2025, 3, 8, 1, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	wib, _ := time.LoadLocation("Asia/Jakarta")
	cases := []struct {
		name string
		f    Filter
		want []string
	}{
		{"everything", Filter{}, []string{"konseling", "carers", "legal", "chat"}},
		{"Indonesian word form: cemas finds kecemasan", Filter{Text: "cemas"}, []string{"konseling"}},
		{"English word form: carer finds carers", Filter{Text: "carer"}, []string{"carers"}},
		{"English -ing: support finds supporting", Filter{Text: "supported families"}, []string{"carers"}},
		{"prefix of the last word", Filter{Text: "pendam"}, []string{"legal", "chat"}},
		{"organization name", Filter{Text: "rangkul jiwa"}, []string{"konseling", "carers", "legal", "chat"}},
		{"term name", Filter{Text: "hukum"}, []string{"legal"}},
		{"free", Filter{Cost: CostFree}, []string{"konseling"}},
		{"free or low cost", Filter{Cost: CostLow}, []string{"konseling", "carers"}},
		{"language by code alias", Filter{Language: "id"}, []string{"konseling", "legal", "chat"}},
		{"language by name", Filter{Language: "English"}, []string{"carers"}},
		{"online", Filter{Delivery: DeliveryOnline}, []string{"chat"}},
		{"in person", Filter{Delivery: DeliveryInPerson}, []string{"konseling", "carers", "legal"}},
		{"term", Filter{TaxonomyTermID: termPeer}, []string{"konseling", "carers"}},
		{"taxonomy", Filter{TaxonomyID: taxonomy}, []string{"konseling", "carers", "legal"}},
		{"organization", Filter{OrganizationID: testOrg}, []string{"konseling", "carers", "legal", "chat"}},
		{"unknown organization", Filter{OrganizationID: "7b6a5948-3726-4150-8f9e-8d7c6b5a4938"}, nil},
		{"open on Monday morning", Filter{OpenAt: &monday10, TimeZone: wib}, []string{"konseling", "legal"}},
		{"open late on Friday night", Filter{OpenAt: &saturday1am, TimeZone: wib}, []string{"carers"}},
		{"postcode", Filter{Postcode: "16 121"}, []string{"carers"}},
		// Within a small circle the words are matched in Go (matchTerms):
		// the same answers as the index gives.
		{"words near a place", Filter{Text: "cemas", Near: &Point{jakarta.lat, jakarta.lon}, RadiusKm: 60}, []string{"konseling"}},
		{"English form near a place", Filter{Text: "carer", Near: &Point{jakarta.lat, jakarta.lon}, RadiusKm: 60}, []string{"carers"}},
		{"prefix near a place", Filter{Text: "pendam", Near: &Point{jogja.lat, jogja.lon}, RadiusKm: 20}, []string{"legal"}},
		{"every word must match near a place", Filter{Text: "kecemasan hukum", Near: &Point{jakarta.lat, jakarta.lon}, RadiusKm: 60}, nil},
		{"words in a wide circle (index)", Filter{Text: "pendam", Near: &Point{jogja.lat, jogja.lon}, RadiusKm: 2000}, []string{"legal"}},
		{"filters together", Filter{Text: "konseling", Cost: CostLow, Language: "ind", Delivery: DeliveryInPerson, OpenAt: &monday10, TimeZone: wib}, []string{"konseling"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := s.Search(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			got := names(p)
			if len(got) != len(c.want) || p.TotalItems != len(c.want) {
				t.Fatalf("got %v (total %d), want %v", got, p.TotalItems, c.want)
			}
			for _, w := range c.want {
				if !got[w] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}

	t.Run("distance: within the radius, nearest first", func(t *testing.T) {
		p, err := s.Search(ctx, Filter{Near: &Point{jakarta.lat, jakarta.lon}, RadiusKm: 60})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Services) != 2 || ids[p.Services[0].ID] != "konseling" || ids[p.Services[1].ID] != "carers" {
			t.Fatalf("got %v", names(p))
		}
		d := *p.Services[1].Distance
		if want := Distance(Point{jakarta.lat, jakarta.lon}, Point{bogor.lat, bogor.lon}); math.Abs(d-want) > 1e-9 || d < 40 || d > 45 {
			t.Fatalf("distance to Bogor = %.2f km", d)
		}
		if *p.Services[0].Distance != 0 {
			t.Fatalf("distance to the same place = %v", *p.Services[0].Distance)
		}
	})
	t.Run("distance without limit sorts all positioned services", func(t *testing.T) {
		p, err := s.Search(ctx, Filter{Near: &Point{jogja.lat, jogja.lon}})
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalItems != 3 || ids[p.Services[0].ID] != "legal" {
			t.Fatalf("got %v", names(p))
		}
	})
	t.Run("distance with filters and paging", func(t *testing.T) {
		p, err := s.Search(ctx, Filter{Near: &Point{jakarta.lat, jakarta.lon}, RadiusKm: 1000, Language: "id", PerPage: 1, Page: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalItems != 2 || p.TotalPages != 2 || p.Size != 1 || !p.LastPage || p.FirstPage || ids[p.Services[0].ID] != "legal" {
			t.Fatalf("page = %+v, %v", p, names(p))
		}
	})
	t.Run("paging", func(t *testing.T) {
		p, err := s.Search(ctx, Filter{PerPage: 3, Page: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalItems != 4 || p.TotalPages != 2 || p.Size != 1 || !p.LastPage || p.Empty {
			t.Fatalf("page = %+v", p)
		}
		p, err = s.Search(ctx, Filter{PerPage: 3, Page: 5})
		if err != nil || !p.Empty || p.Size != 0 {
			t.Fatalf("page past the end = %+v, %v", p, err)
		}
	})
	t.Run("modified after", func(t *testing.T) {
		future := time.Now().Add(time.Hour)
		p, err := s.Search(ctx, Filter{ModifiedAfter: &future})
		if err != nil || p.TotalItems != 0 {
			t.Fatalf("modified after the future = %+v, %v", p, err)
		}
		past := time.Now().Add(-time.Hour)
		p, err = s.Search(ctx, Filter{ModifiedAfter: &past})
		if err != nil || p.TotalItems != 4 {
			t.Fatalf("modified after an hour ago = %+v, %v", p, err)
		}
	})
	t.Run("impossible input", func(t *testing.T) {
		for _, f := range []Filter{
			{Near: &Point{100, 10}}, {Near: &Point{-6, 181}}, {Near: &Point{math.NaN(), 0}},
			{Near: &Point{0, 0}, RadiusKm: -1}, {Page: -1}, {PerPage: -5}, {Cost: "cheap"}, {Delivery: "by post"},
		} {
			if _, err := s.Search(ctx, f); !errors.Is(err, ErrBadQuery) {
				t.Errorf("Search(%+v) = %v, want ErrBadQuery", f, err)
			}
		}
		_, err := s.Search(ctx, Filter{Near: &Point{100, 10}})
		if err == nil || err.Error() != "hsds: bad query: latitude 100 is impossible: it must be between -90 and 90" {
			t.Errorf("message = %v", err)
		}
	})
}

func TestCurateService(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	seed(t, s)
	sv := newService("Konseling", "Konseling sebaya", jakarta, &CostOption{Option: "Gratis"}, Language{Name: "Bahasa Indonesia", Code: "id"}, nil, termPeer)
	if err := s.UpsertService(ctx, sv, 0); err != nil {
		t.Fatal(err)
	}
	if sv.ID == "" || sv.CostOptions[0].ID == "" || sv.ServiceAtLocations[0].Location.ID == "" {
		t.Fatalf("ids not filled: %+v", sv)
	}
	got, err := s.Service(ctx, sv.ID)
	if err != nil || got.Curation.LastVerifiedAt != nil || got.Curation.CostClass != CostFree || got.LastModified == "" {
		t.Fatalf("service = %+v, %v", got, err)
	}

	// Impossible coordinates are refused whole, and the error names where.
	before := allRows(t, s)
	bad := *got
	bad.Name = "Changed"
	loc := *bad.ServiceAtLocations[0].Location
	loc.Latitude = f64(100)
	bad.ServiceAtLocations = []ServiceAtLocation{bad.ServiceAtLocations[0]}
	bad.ServiceAtLocations[0].Location = &loc
	err = s.UpsertService(ctx, &bad, 0)
	wantProblem(t, err, "locations", 1, "latitude", "100 is not a latitude")
	if ps := Problems(err); ps[0].Path != "/service_at_locations/0/location" {
		t.Fatalf("path = %q", ps[0].Path)
	}
	if after := allRows(t, s); !equalCounts(before, after) {
		t.Fatalf("a refused edit changed rows: %v -> %v", before, after)
	}
	if again, _ := s.Service(ctx, sv.ID); again.Name != "Konseling" {
		t.Fatalf("a refused edit changed the name to %q", again.Name)
	}

	// A missing name is refused.
	noName := *got
	noName.Name = ""
	wantProblem(t, s.UpsertService(ctx, &noName, 0), "services", 1, "name", "required")

	// An edit replaces the service's own records: the cost option goes.
	edit := *got
	edit.CostOptions = nil
	edit.Name = "Konseling sebaya"
	if err := s.UpsertService(ctx, &edit, 0); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "hsds_cost_options"); n != 0 {
		t.Fatalf("%d cost options left", n)
	}
	after, _ := s.Service(ctx, sv.ID)
	if after.Name != "Konseling sebaya" || after.Curation.CostClass != "" || len(after.ServiceAtLocations) != 1 || len(after.Attributes) != 1 {
		t.Fatalf("after edit: %+v", after)
	}

	// Verification.
	s2 := s.WithClock(func() time.Time { return time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC) })
	if err := s2.MarkVerified(ctx, sv.ID, 0); err != nil {
		t.Fatal(err)
	}
	v, _ := s.Service(ctx, sv.ID)
	if v.Curation.LastVerifiedAt == nil || !v.Curation.LastVerifiedAt.Equal(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("last verified = %v", v.Curation.LastVerifiedAt)
	}
	if err := s.MarkVerified(ctx, "9c8b7a69-5847-4362-a514-f3e2d1c0b9a8", 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("verify an unknown id: %v", err)
	}
	if _, err := s.Service(ctx, "9c8b7a69-5847-4362-a514-f3e2d1c0b9a8"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}

	// Deleting keeps the organization and the location.
	if err := s.DeleteService(ctx, sv.ID); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{"hsds_services": 0, "hsds_service_at_locations": 0, "hsds_languages": 0,
		"hsds_attributes": 0, "hsds_service_search": 0, "hsds_organizations": 1, "hsds_locations": 1} {
		if n := countRows(t, s, table); n != want {
			t.Errorf("%s: %d rows after delete, want %d", table, n, want)
		}
	}
	if err := s.DeleteService(ctx, sv.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestCostClass(t *testing.T) {
	cases := []struct {
		opts []CostOption
		fees []string
		want string
	}{
		{nil, nil, ""},
		{[]CostOption{{Amount: f64(0)}}, nil, CostFree},
		{[]CostOption{{Option: "Gratis untuk pelajar"}, {Amount: f64(100000), Currency: "IDR"}}, nil, CostFree},
		{[]CostOption{{Option: "Free of charge"}}, nil, CostFree},
		{[]CostOption{{Amount: f64(50000), Currency: "IDR"}}, nil, CostLow},
		{[]CostOption{{Amount: f64(50001), Currency: "IDR"}}, nil, CostPaid},
		{[]CostOption{{AmountDescription: "Sliding scale"}}, nil, CostLow},
		{[]CostOption{{Option: "Tarif bersubsidi"}}, nil, CostLow},
		{[]CostOption{{Amount: f64(35), Currency: "GBP"}}, nil, CostPaid},
		{nil, []string{"Layanan ini gratis."}, CostFree},
		{nil, []string{"Bayar seikhlasnya"}, CostLow},
		{nil, []string{"Rp 200.000 per sesi"}, CostPaid},
		{[]CostOption{{Option: "Freedom fee"}}, nil, CostPaid}, // "free" inside a word does not count
	}
	for _, c := range cases {
		if got := CostClass(c.opts, c.fees...); got != c.want {
			t.Errorf("CostClass(%+v, %v) = %q, want %q", c.opts, c.fees, got, c.want)
		}
	}
}

func TestBoundingBox(t *testing.T) {
	p := Point{-6.2, 106.8}
	b := boundingBox(p, 50)
	// Points 50 km away in each direction lie inside the box.
	for _, bearing := range []float64{0, 90, 180, 270, 45, 135} {
		q := destination(p, bearing, 49.9)
		if q.Lat < b.latLo || q.Lat > b.latHi || q.Lon < b.lonLo || q.Lon > b.lonHi {
			t.Errorf("bearing %v: %+v outside %+v", bearing, q, b)
		}
	}
	w := boundingBox(Point{0, 179.9}, 100)
	if !w.wrap || w.lonLo < 179 || w.lonHi > -179 {
		t.Errorf("antimeridian box = %+v", w)
	}
	if pole := boundingBox(Point{89.9, 0}, 100); pole.lonLo != -180 || pole.lonHi != 180 || pole.latHi != 90 {
		t.Errorf("polar box = %+v", pole)
	}
}

// destination is the point d km from p on a bearing (degrees).
func destination(p Point, bearing, d float64) Point {
	r := math.Pi / 180
	lat1, lon1, b, a := p.Lat*r, p.Lon*r, bearing*r, d/EarthRadiusKm
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(a) + math.Cos(lat1)*math.Sin(a)*math.Cos(b))
	lon2 := lon1 + math.Atan2(math.Sin(b)*math.Sin(a)*math.Cos(lat1), math.Cos(a)-math.Sin(lat1)*math.Sin(lat2))
	return Point{lat2 / r, lon2 / r}
}
