package live

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// channel is the PostgreSQL NOTIFY channel of live events.
const channel = "rangkul_live"

// Postgres moves events between instances with LISTEN/NOTIFY on one database.
type Postgres struct {
	url     string
	publish func(ctx context.Context, payload string) error
	ready   chan struct{}
	once    sync.Once
}

// NewPostgres returns a broker over the database at url; publish sends a
// NOTIFY through the application's own pool.
func NewPostgres(url string, publish func(ctx context.Context, payload string) error) *Postgres {
	return &Postgres{url: url, publish: publish, ready: make(chan struct{})}
}

// Ready is closed once this instance listens, so nothing published after it
// is missed.
func (p *Postgres) Ready() <-chan struct{} { return p.ready }

// Publish notifies every listening instance.
func (p *Postgres) Publish(ctx context.Context, payload []byte) error {
	return p.publish(ctx, string(payload))
}

// Run listens on a connection of its own, reconnecting after failures, and
// delivers every notification until ctx ends.
func (p *Postgres) Run(ctx context.Context, deliver func([]byte)) error {
	for ctx.Err() == nil {
		err := p.listen(ctx, deliver)
		if ctx.Err() != nil {
			return nil
		}
		_ = err
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

func (p *Postgres) listen(ctx context.Context, deliver func([]byte)) error {
	conn, err := pgx.Connect(ctx, p.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	p.once.Do(func() { close(p.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		deliver([]byte(n.Payload))
	}
}
