package mentoring

import (
	"math/rand/v2"
	"testing"
)

// best finds by brute force the most requests that can be matched, and the
// greatest total score among assignments with that many.
func best(reqs []Request, mentors []Mentor) (int, int) {
	free := make([]int, len(mentors))
	for j, m := range mentors {
		free[j] = m.Free
	}
	bestN, bestS := 0, 0
	var walk func(i, n, s int)
	walk = func(i, n, s int) {
		if i == len(reqs) {
			if n > bestN || (n == bestN && s > bestS) {
				bestN, bestS = n, s
			}
			return
		}
		walk(i+1, n, s)
		for j, m := range mentors {
			if free[j] > 0 && Feasible(reqs[i], m) {
				sc, _ := Score(reqs[i], m)
				free[j]--
				walk(i+1, n+1, s+sc)
				free[j]++
			}
		}
	}
	walk(0, 0, 0)
	return bestN, bestS
}

var (
	langs   = []string{"id", "en"}
	genders = []string{"", "", "perempuan", "laki-laki"}
	modes   = []string{"", "online", "in_person"}
	regions = []string{"DKI Jakarta", "Jawa Barat", "Bali", "West Yorkshire"}
	areas   = []string{"kecemasan", "depresi", "bipolar", "psikosis", "carer", "duka", "remaja", "kecanduan"}
)

func randomCase(rng *rand.Rand, nr, nm, maxFree int) ([]Request, []Mentor) {
	pick := func(list []string, n int) []string {
		var out []string
		for _, i := range rng.Perm(len(list))[:n] {
			out = append(out, list[i])
		}
		return out
	}
	var reqs []Request
	for i := 0; i < nr; i++ {
		reqs = append(reqs, Request{ID: int64(i + 1), Language: langs[rng.IntN(2)], Gender: genders[rng.IntN(len(genders))],
			Mode: modes[rng.IntN(len(modes))], Region: regions[rng.IntN(len(regions))], Topics: pick(areas, 1+rng.IntN(3))})
	}
	var ms []Mentor
	for j := 0; j < nm; j++ {
		ms = append(ms, Mentor{ID: int64(100 + j), Languages: pick(langs, 1+rng.IntN(2)), Gender: genders[2+rng.IntN(2)],
			Online: rng.IntN(3) > 0, InPerson: rng.IntN(2) == 0, Region: regions[rng.IntN(len(regions))],
			Areas: pick(areas, 1+rng.IntN(4)), Free: rng.IntN(maxFree + 1)})
	}
	return reqs, ms
}

func check(t *testing.T, reqs []Request, ms []Mentor, pairs []Pair) (int, int) {
	t.Helper()
	used := map[int64]int{}
	seen := map[int64]bool{}
	total := 0
	byID := map[int64]Mentor{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	rbyID := map[int64]Request{}
	for _, r := range reqs {
		rbyID[r.ID] = r
	}
	for _, p := range pairs {
		if seen[p.RequestID] {
			t.Fatalf("request %d matched twice", p.RequestID)
		}
		seen[p.RequestID] = true
		used[p.MentorID]++
		m, r := byID[p.MentorID], rbyID[p.RequestID]
		if !Feasible(r, m) {
			t.Fatalf("pair %+v breaks a hard preference", p)
		}
		if used[p.MentorID] > m.Free {
			t.Fatalf("mentor %d over capacity", p.MentorID)
		}
		sc, _ := Score(r, m)
		if sc != p.Score {
			t.Fatalf("pair %+v reports score %d, is %d", p, p.Score, sc)
		}
		total += sc
	}
	return len(pairs), total
}

// On small cases checked by brute force, Match matches as many requests as
// possible and, among those assignments, reaches the best total score.
func TestMatchIsOptimalOnSmallCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for c := 0; c < 400; c++ {
		reqs, ms := randomCase(rng, 1+rng.IntN(7), 1+rng.IntN(4), 2)
		pairs := Match(reqs, ms)
		n, s := check(t, reqs, ms, pairs)
		wantN, wantS := best(reqs, ms)
		if n != wantN || s != wantS {
			t.Fatalf("case %d: matched %d with score %d, best is %d with %d\nrequests %+v\nmentors %+v", c, n, s, wantN, wantS, reqs, ms)
		}
	}
}

// A hand-checked case: first come, first served would give the only mentor
// for Bali to the first request; the optimal assignment serves both.
func TestMatchBeatsFirstComeFirstServed(t *testing.T) {
	reqs := []Request{
		{ID: 1, Language: "id", Mode: "", Region: "DKI Jakarta", Topics: []string{"bipolar"}},
		{ID: 2, Language: "id", Mode: "in_person", Region: "Bali", Topics: []string{"duka"}},
	}
	ms := []Mentor{
		{ID: 10, Languages: []string{"id"}, InPerson: true, Online: true, Region: "Bali", Areas: []string{"bipolar", "duka"}, Free: 1},
		{ID: 11, Languages: []string{"id"}, Online: true, Region: "DKI Jakarta", Areas: []string{"kecemasan"}, Free: 1},
	}
	pairs := Match(reqs, ms)
	if len(pairs) != 2 || pairs[0].MentorID != 11 || pairs[1].MentorID != 10 {
		t.Fatalf("pairs %+v", pairs)
	}
	// Hard preferences and capacity: a request nobody can take waits.
	waiting := Match([]Request{{ID: 3, Language: "en", Gender: "perempuan"}}, ms)
	if len(waiting) != 0 {
		t.Fatalf("a request without a possible mentor was matched: %+v", waiting)
	}
	full := Match(reqs, []Mentor{{ID: 12, Languages: []string{"id"}, Online: true, Free: 0}})
	if len(full) != 0 {
		t.Fatal("a mentor without free places took a mentee")
	}
}

func TestScoreExplains(t *testing.T) {
	r := Request{Language: "id", Gender: "perempuan", Region: "Bali", Topics: []string{"bipolar", "carer"}}
	m := Mentor{Languages: []string{"id"}, Gender: "perempuan", Online: true, InPerson: true, Region: "Bali", Areas: []string{"bipolar"}, Free: 1}
	s, why := Score(r, m)
	sum := 0
	for _, w := range why {
		sum += w.Points
	}
	if s != pointsPerTopic+pointsSameRegion+pointsBothModes || sum != s || len(why) != 5 {
		t.Fatalf("score %d, reasons %+v", s, why)
	}
}

func BenchmarkMatch5000x1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	reqs, ms := randomCase(rng, 5000, 1000, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pairs := Match(reqs, ms)
		if i == 0 {
			b.ReportMetric(float64(len(pairs)), "matched")
		}
	}
}

func TestPointsAgreesWithScore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	reqs, ms := randomCase(rng, 50, 50, 3)
	for _, r := range reqs {
		for _, m := range ms {
			if s, _ := Score(r, m); s != points(r, m) {
				t.Fatalf("points %d, Score %d", points(r, m), s)
			}
		}
	}
}
