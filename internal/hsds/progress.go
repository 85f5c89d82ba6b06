package hsds

import (
	"fmt"
	"io"
	"time"
)

// progress prints what a long import or export is doing, at most once a
// second per step, to w (stderr from the command line; nil: silent).
type progress struct {
	w     io.Writer
	now   func() time.Time
	last  time.Time
	count map[string]int
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, now: time.Now, count: map[string]int{}}
}

func (p *progress) tick(verb, table string, n int) {
	if p == nil || p.w == nil {
		return
	}
	key := verb + " " + table
	p.count[key] += n
	if now := p.now(); now.Sub(p.last) >= time.Second {
		p.last = now
		fmt.Fprintf(p.w, "hsds: %s %s: %d rows so far\n", verb, table, p.count[key])
	}
}

func (p *progress) done(verb, table string) {
	if p == nil || p.w == nil {
		return
	}
	key := verb + " " + table
	fmt.Fprintf(p.w, "hsds: %s %s: %d rows\n", verb, table, p.count[key])
}

func (p *progress) note(format string, args ...any) {
	if p == nil || p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "hsds: "+format+"\n", args...)
}
