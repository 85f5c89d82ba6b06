// Package mentoring pairs members who ask for a mentor (pendamping) with
// mentors (A8). This file is the matching: a transparent score on each
// request's preferences, and an optimal assignment of all waiting requests
// at once under the mentors' capacities.
package mentoring

import (
	"sort"
	"strings"
)

// Mentor is what matching needs to know about a mentor.
type Mentor struct {
	ID        int64
	Languages []string // e.g. "id", "en"
	Gender    string   // as the mentor describes themselves; "" if not given
	Online    bool     // meets online
	InPerson  bool     // meets in person, in Region
	Region    string
	Areas     []string // lived-experience areas, e.g. "bipolar", "carer"
	Free      int      // mentees they can still take
}

// Request is a member's wish for a mentor.
type Request struct {
	ID       int64
	Language string // required
	Gender   string // "" for no preference; else required
	Mode     string // "online", "in_person" or "" (either)
	Region   string // where they can meet in person
	Topics   []string
}

// Scoring weights: every point is explained to the coordinator and member.
const (
	pointsPerTopic   = 10 // a lived-experience area the member asked about
	maxTopics        = 3
	pointsSameRegion = 5 // can meet in person, or at least shares the region
	pointsBothModes  = 2 // the mentor offers both online and in person
	// MaxScore bounds Score, so that costs stay small non-negative integers.
	MaxScore = pointsPerTopic*maxTopics + pointsSameRegion + pointsBothModes
)

// Reason is one line of "why this match".
type Reason struct {
	Key    string // translation key, e.g. "mentoring.why.topic"
	Detail string // the topic, region or language concerned
	Points int
}

// Feasible reports whether a mentor can take a request at all: the hard
// preferences (language, gender when asked, a way to meet) and free places.
func Feasible(r Request, m Mentor) bool {
	if m.Free <= 0 || !contains(m.Languages, r.Language) {
		return false
	}
	if r.Gender != "" && !strings.EqualFold(r.Gender, m.Gender) {
		return false
	}
	switch r.Mode {
	case "online":
		return m.Online
	case "in_person":
		return m.InPerson && sameRegion(r.Region, m.Region)
	default:
		return m.Online || (m.InPerson && sameRegion(r.Region, m.Region))
	}
}

// points is Score without the reasons, for matching many pairs.
func points(r Request, m Mentor) int {
	total, topics := 0, 0
	for _, t := range r.Topics {
		if topics < maxTopics && contains(m.Areas, t) {
			topics++
			total += pointsPerTopic
		}
	}
	if sameRegion(r.Region, m.Region) {
		total += pointsSameRegion
	}
	if m.Online && m.InPerson {
		total += pointsBothModes
	}
	return total
}

// Score says how well a feasible mentor fits a request, with the reasons.
func Score(r Request, m Mentor) (int, []Reason) {
	var total int
	var why []Reason
	why = append(why, Reason{Key: "mentoring.why.language", Detail: r.Language})
	if r.Gender != "" {
		why = append(why, Reason{Key: "mentoring.why.gender", Detail: r.Gender})
	}
	topics := 0
	for _, t := range r.Topics {
		if topics < maxTopics && contains(m.Areas, t) {
			topics++
			total += pointsPerTopic
			why = append(why, Reason{Key: "mentoring.why.topic", Detail: t, Points: pointsPerTopic})
		}
	}
	if sameRegion(r.Region, m.Region) {
		total += pointsSameRegion
		why = append(why, Reason{Key: "mentoring.why.region", Detail: m.Region, Points: pointsSameRegion})
	}
	if m.Online && m.InPerson {
		total += pointsBothModes
		why = append(why, Reason{Key: "mentoring.why.both_modes", Points: pointsBothModes})
	}
	return total, why
}

func sameRegion(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Pair is one proposed match.
type Pair struct {
	RequestID, MentorID int64
	Score               int
}

// Match assigns waiting requests to mentors all at once: as many requests as
// the capacities and hard preferences allow, and among those assignments one
// with the greatest total score. It is a min-cost maximum flow (source →
// request → mentor → sink, cost MaxScore − score on each request–mentor
// edge), solved by the primal–dual method: shortest distances with
// potentials, then a blocking flow on the zero-reduced-cost edges, until no
// request can be added. Requests left out are those no free mentor can take
// without taking a place another request needs.
func Match(requests []Request, mentors []Mentor) []Pair {
	nr, nm := len(requests), len(mentors)
	b := builder{}
	src, sink := 0, nr+nm+1
	for i := range requests {
		b.add(src, 1+i, 1, 0)
	}
	for j, m := range mentors {
		if m.Free > 0 {
			b.add(1+nr+j, sink, int32(m.Free), 0)
		}
	}
	firstPair := len(b.from)
	for i, r := range requests {
		for j, m := range mentors {
			if Feasible(r, m) {
				b.add(1+i, 1+nr+j, 1, int32(MaxScore-points(r, m)))
			}
		}
	}
	g, pos := b.build(nr + nm + 2)
	g.minCostMaxFlow(src, sink)
	var out []Pair
	for e := firstPair; e < len(b.from); e += 2 {
		if g.cap[pos[e]] == 0 { // used
			i := b.from[e] - 1
			j := b.to[e] - 1 - int32(nr)
			out = append(out, Pair{RequestID: requests[i].ID, MentorID: mentors[j].ID, Score: MaxScore - int(b.cost[e])})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].RequestID < out[b].RequestID })
	return out
}

// builder collects edges (each with its reverse at the next index) before
// they are laid out by node.
type builder struct {
	from, to, cap, cost []int32
}

func (b *builder) add(u, v int, c, cost int32) {
	b.from = append(b.from, int32(u), int32(v))
	b.to = append(b.to, int32(v), int32(u))
	b.cap = append(b.cap, c, 0)
	b.cost = append(b.cost, cost, -cost)
}

// build lays the edges out node by node (compressed rows), so that scanning
// a node's edges reads memory in order, and returns where each built edge
// went.
func (b *builder) build(n int) (*graph, []int32) {
	g := &graph{start: make([]int32, n+1), pot: make([]int64, n), dist: make([]int64, n),
		level: make([]int32, n), cur: make([]int32, n)}
	for _, u := range b.from {
		g.start[u+1]++
	}
	for i := 0; i < n; i++ {
		g.start[i+1] += g.start[i]
	}
	m := len(b.from)
	g.to, g.cap, g.cost, g.rev = make([]int32, m), make([]int32, m), make([]int32, m), make([]int32, m)
	fill := append([]int32(nil), g.start[:n]...)
	pos := make([]int32, m)
	for e := 0; e < m; e++ {
		u := b.from[e]
		p := fill[u]
		fill[u]++
		pos[e] = p
		g.to[p], g.cap[p], g.cost[p] = b.to[e], b.cap[e], b.cost[e]
	}
	for e := 0; e < m; e++ {
		g.rev[pos[e]] = pos[e^1]
	}
	return g, pos
}

// graph is a flow network in compressed rows: node u's edges are
// start[u]..start[u+1]-1, and rev[e] is e's reverse edge.
type graph struct {
	start      []int32
	to, rev    []int32
	cap, cost  []int32
	pot, dist  []int64
	level, cur []int32
}

const inf = int64(1) << 60

func (g *graph) minCostMaxFlow(s, t int) {
	for g.shortest(s) {
		if g.dist[t] >= inf {
			return
		}
		limit := g.dist[t]
		for v := range g.pot {
			if g.dist[v] < limit {
				g.pot[v] += g.dist[v]
			} else {
				g.pot[v] += limit
			}
		}
		for g.levels(s, t) {
			copy(g.cur, g.start[:len(g.cur)])
			for g.push(s, t) > 0 {
			}
		}
	}
}

// reduced is edge e's cost with potentials; never negative on residual edges.
func (g *graph) reduced(e int32, u int) int64 {
	return int64(g.cost[e]) + g.pot[u] - g.pot[g.to[e]]
}

// shortest runs Dijkstra with a bucket queue over reduced costs (small
// non-negative integers) and reports whether the sink can be reached.
func (g *graph) shortest(s int) bool {
	for i := range g.dist {
		g.dist[i] = inf
	}
	g.dist[s] = 0
	buckets := [][]int32{{int32(s)}}
	for d := 0; d < len(buckets); d++ {
		for k := 0; k < len(buckets[d]); k++ {
			u := int(buckets[d][k])
			if g.dist[u] != int64(d) {
				continue
			}
			for e := g.start[u]; e < g.start[u+1]; e++ {
				if g.cap[e] == 0 {
					continue
				}
				v := g.to[e]
				nd := int64(d) + g.reduced(e, u)
				if nd < g.dist[v] {
					g.dist[v] = nd
					for int64(len(buckets)) <= nd {
						buckets = append(buckets, nil)
					}
					buckets[nd] = append(buckets[nd], v)
				}
			}
		}
		buckets[d] = nil
	}
	return g.dist[len(g.dist)-1] < inf
}

// levels builds BFS levels over admissible edges (residual, reduced cost 0).
func (g *graph) levels(s, t int) bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	queue := []int32{int32(s)}
	for len(queue) > 0 {
		u := int(queue[0])
		queue = queue[1:]
		for e := g.start[u]; e < g.start[u+1]; e++ {
			v := g.to[e]
			if g.cap[e] > 0 && g.level[v] < 0 && g.reduced(e, u) == 0 {
				g.level[v] = g.level[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return g.level[t] >= 0
}

// push finds one augmenting path of unit flow along levels (every request
// carries at most one unit), iteratively, with current-arc pointers.
func (g *graph) push(s, t int) int32 {
	type frame struct {
		u int32
		e int32
	}
	stack := []frame{{u: int32(s), e: -1}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		u := top.u
		if int(u) == t {
			for _, f := range stack[1:] {
				g.cap[f.e]--
				g.cap[g.rev[f.e]]++
			}
			return 1
		}
		advanced := false
		for ; g.cur[u] < g.start[u+1]; g.cur[u]++ {
			e := g.cur[u]
			v := g.to[e]
			if g.cap[e] > 0 && g.level[v] == g.level[u]+1 && g.reduced(e, int(u)) == 0 {
				stack = append(stack, frame{u: v, e: e})
				advanced = true
				break
			}
		}
		if !advanced {
			g.level[u] = -1 // dead end for this phase
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				g.cur[stack[len(stack)-1].u]++
			}
		}
	}
	return 0
}
