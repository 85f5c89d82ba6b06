// Package notices keeps the in-app notices people receive (a meeting tomorrow,
// a meeting moved or cancelled) and shows them at /notices. Every person gets
// them, with or without an e-mail address.
package notices

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/web"
)

// Notice is one notice. Kind names its message (notice.<kind>); Args fill it.
type Notice struct {
	ID   int64
	Kind string
	Args map[string]string
	Link string
	At   time.Time
	Read bool
}

// Arg returns one argument of the message.
func (n Notice) Arg(name string) string { return n.Args[name] }

// Time returns an argument holding a time (RFC 3339), in the zone it was
// written in, for formatting in the reader's language.
func (n Notice) Time(name string) time.Time {
	t, _ := time.Parse(time.RFC3339, n.Args[name])
	return t
}

// Service stores and lists notices.
type Service struct {
	db  *db.DB
	now func() time.Time
}

// NewService returns the notices service.
func NewService(d *db.DB) *Service { return &Service{db: d, now: time.Now} }

// Notify gives each of userIDs a notice. Other services call it on behalf of
// the system (from jobs), so it checks no principal; q may be a transaction.
func (s *Service) Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error {
	if q == nil {
		q = s.db
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	for _, id := range userIDs {
		if _, err := q.Exec(ctx, `INSERT INTO notices (user_id, kind, args, link, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, kind, string(raw), link, now); err != nil {
			return fmt.Errorf("notices: notify: %w", err)
		}
	}
	return nil
}

// Mine lists the caller's latest notices and marks them read.
func (s *Service) Mine(ctx context.Context) ([]Notice, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, kind, args, link, created_at, read_at IS NOT NULL FROM notices
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50`, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("notices: list: %w", err)
	}
	var out []Notice
	for rows.Next() {
		var n Notice
		var raw string
		if err := rows.Scan(&n.ID, &n.Kind, &raw, &n.Link, &n.At, &n.Read); err != nil {
			rows.Close()
			return nil, err
		}
		_ = json.Unmarshal([]byte(raw), &n.Args)
		out = append(out, n)
	}
	rows.Close()
	_, err = s.db.Exec(ctx, `UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, s.now().UTC(), p.UserID)
	return out, err
}

//go:embed templates/*.html
var templates embed.FS

// Handler serves /notices.
type Handler struct {
	svc *Service
	rd  *web.Renderer
}

// New returns the notices page.
func New(svc *Service, rd *web.Renderer) (*Handler, error) {
	if err := rd.AddPages("notices", templates, "templates/*.html"); err != nil {
		return nil, err
	}
	rd.AddNav(web.NavEntry{Key: "nav.notices", Href: "/notices", Order: 70, Show: func(p *auth.Principal) bool { return p != nil }})
	return &Handler{svc: svc, rd: rd}, nil
}

// Routes adds the notices route.
func (h *Handler) Routes(rt *web.Router) { rt.Handle("GET /notices", h.list) }

func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	ns, err := h.svc.Mine(r.Context())
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "notices/notices", Data: ns})
}
