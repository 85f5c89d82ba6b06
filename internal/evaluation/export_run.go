package evaluation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Exports started from the web run in the background on the instance that
// took the request, writing a file under ExportDir, while a page that
// refreshes itself (a <meta> refresh: no JavaScript needed) shows how far it
// has got, then offers the file. A run lives in this instance's memory: with
// several instances the progress page and the download must reach the same
// one (sticky sessions), and a restart forgets runs (their files are
// removed at start, and the page says the export is gone: start it again).
// Files are removed an hour after they are finished.

const (
	runKeep     = time.Hour
	runsAtOnce  = 2 // exports running at once on one instance
	runDeadline = 30 * time.Minute
)

type runs struct {
	mu     sync.Mutex
	byID   map[string]*run
	active int
}

func newRuns() *runs { return &runs{byID: map[string]*run{}} }

// run is one export started from the web.
type run struct {
	id      string
	userID  int64
	format  string
	path    string
	started time.Time

	mu       sync.Mutex
	done     int
	total    int
	finished time.Time
	err      error
	stats    ExportStats
}

// RunView is what the progress page shows.
type RunView struct {
	ID       string
	Format   string
	Started  time.Time
	Done     int
	Total    int
	Finished bool
	Failed   bool
	Stats    ExportStats
}

// Percent is how far the run has got, 0 to 100.
func (v RunView) Percent() int {
	if v.Finished {
		return 100
	}
	if v.Total == 0 {
		return 0
	}
	return v.Done * 100 / v.Total
}

// Formats of an export.
const (
	FormatLong = "csv"  // one row per item answer
	FormatWide = "wide" // one row per response
	FormatFHIR = "fhir" // a FHIR R4 Bundle
)

// Formats lists them in form order.
var Formats = []string{FormatLong, FormatWide, FormatFHIR}

func fileName(format string) string {
	switch format {
	case FormatFHIR:
		return "rangkul-responses-fhir.json"
	case FormatWide:
		return "rangkul-responses-wide.csv"
	}
	return "rangkul-responses.csv"
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// StartExport checks that the caller may export f's scope and starts the
// export in the background; it returns the run's id for ExportRun.
func (s *Service) StartExport(ctx context.Context, f Filter, format string) (string, error) {
	p, sc, err := s.exportScope(ctx, f)
	if err != nil {
		return "", err
	}
	if _, fe := valid.OneOf("format", format, Formats); fe != nil {
		return "", fe
	}
	s.sweep()
	if err := os.MkdirAll(s.ExportDir, 0o700); err != nil {
		return "", fmt.Errorf("evaluation: export directory: %w", err)
	}
	r := &run{id: randomID(), userID: p.UserID, format: format, started: s.now()}
	r.path = filepath.Join(s.ExportDir, "export-"+r.id)
	s.runs.mu.Lock()
	for _, other := range s.runs.byID {
		other.mu.Lock()
		busy := other.finished.IsZero()
		other.mu.Unlock()
		if busy && other.userID == p.UserID {
			s.runs.mu.Unlock()
			return "", valid.Field("format", "evaluation.export.busy_you")
		}
	}
	if s.runs.active >= runsAtOnce {
		s.runs.mu.Unlock()
		return "", valid.Field("format", "evaluation.export.busy")
	}
	s.runs.active++
	s.runs.byID[r.id] = r
	s.runs.mu.Unlock()

	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), runDeadline)
	go func() {
		defer cancel()
		stats, err := s.runExport(bg, p, sc, f, format, r)
		r.mu.Lock()
		r.stats, r.err, r.finished = stats, err, s.now()
		r.mu.Unlock()
		s.runs.mu.Lock()
		s.runs.active--
		s.runs.mu.Unlock()
	}()
	return r.id, nil
}

func (s *Service) runExport(ctx context.Context, p *auth.Principal, sc Scope, f Filter, format string, r *run) (ExportStats, error) {
	tmp := r.path + ".part"
	file, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return ExportStats{}, err
	}
	stats, err := s.export(ctx, p, sc, f, format, file, func(done, total int) {
		r.mu.Lock()
		r.done, r.total = done, total
		r.mu.Unlock()
	})
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return stats, err
	}
	return stats, os.Rename(tmp, r.path)
}

// ExportRun returns the state of one of the caller's exports.
func (s *Service) ExportRun(ctx context.Context, id string) (RunView, error) {
	r, err := s.ownRun(ctx, id)
	if err != nil {
		return RunView{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return RunView{ID: r.id, Format: r.format, Started: r.started, Done: r.done, Total: r.total,
		Finished: !r.finished.IsZero() && r.err == nil, Failed: r.err != nil, Stats: r.stats}, nil
}

// ExportFile opens a finished export of the caller's for download.
func (s *Service) ExportFile(ctx context.Context, id string) (io.ReadSeekCloser, string, time.Time, error) {
	r, err := s.ownRun(ctx, id)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	r.mu.Lock()
	ready := !r.finished.IsZero() && r.err == nil
	at := r.finished
	r.mu.Unlock()
	if !ready {
		return nil, "", at, db.ErrNotFound
	}
	file, err := os.Open(r.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", at, db.ErrNotFound
	}
	return file, fileName(r.format), at, err
}

func (s *Service) ownRun(ctx context.Context, id string) (*run, error) {
	p, err := requireUser(ctx)
	if err != nil {
		return nil, err
	}
	s.sweep()
	s.runs.mu.Lock()
	r := s.runs.byID[id]
	s.runs.mu.Unlock()
	if r == nil || r.userID != p.UserID {
		return nil, db.ErrNotFound // someone else's run does not exist for you
	}
	return r, nil
}

// sweep forgets finished runs older than runKeep and removes their files.
func (s *Service) sweep() {
	cut := s.now().Add(-runKeep)
	s.runs.mu.Lock()
	defer s.runs.mu.Unlock()
	for id, r := range s.runs.byID {
		r.mu.Lock()
		old := !r.finished.IsZero() && r.finished.Before(cut)
		r.mu.Unlock()
		if old {
			_ = os.Remove(r.path)
			delete(s.runs.byID, id)
		}
	}
	_ = s.ClearExports()
}

// ClearExports removes export files no run can still offer: older than a
// run's deadline plus the time a finished file is kept. Files of runs of an
// earlier start are unknown to this instance; the command line may share
// the directory with a running server, so younger files are left alone.
func (s *Service) ClearExports() error {
	entries, err := os.ReadDir(s.ExportDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	cut := s.now().Add(-runDeadline - runKeep)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "export-") {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(cut) {
			continue
		}
		if err := os.Remove(filepath.Join(s.ExportDir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
