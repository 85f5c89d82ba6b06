package live_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/live"
)

func receive(t *testing.T, s *live.Sub) live.Event {
	t.Helper()
	select {
	case e, ok := <-s.C:
		if !ok {
			t.Fatal("subscription closed")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return live.Event{}
}

func TestHubFansOutAndDropsSlowClients(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := live.NewHub(&live.Local{})
	h.Buffer = 2
	go h.Run(ctx)
	a, leaveA := h.Subscribe("room-1")
	b, _ := h.Subscribe("room-1")
	other, _ := h.Subscribe("room-2")
	if h.Present("room-1") != 2 {
		t.Fatalf("present: %d", h.Present("room-1"))
	}
	h.Publish(ctx, "room-1", "message", map[string]string{"text": "halo"})
	if e := receive(t, a); e.Type != "message" || string(e.Data) != `{"text":"halo"}` {
		t.Fatalf("a got %+v", e)
	}
	receive(t, b)
	select {
	case e := <-other.C:
		t.Fatalf("another room got %+v", e)
	default:
	}
	// b stops reading: after Buffer events it is dropped, a is not stalled.
	for i := 0; i < 5; i++ {
		h.Publish(ctx, "room-1", "message", i)
		receive(t, a)
	}
	drained := 0
	for range b.C {
		drained++
	}
	if drained != 2 || h.Present("room-1") != 1 {
		t.Fatalf("slow client: drained %d, present %d", drained, h.Present("room-1"))
	}
	leaveA()
	leaveA() // leaving twice is harmless
	if h.Present("room-1") != 0 {
		t.Fatal("a still present")
	}
}

// Two app instances on one PostgreSQL deliver each other's events.
func TestTwoInstancesOverPostgres(t *testing.T) {
	if os.Getenv("RANGKUL_TEST_POSTGRES") == "" {
		t.Skip("LISTEN/NOTIFY needs PostgreSQL; scripts/test runs this in its PostgreSQL pass")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := dbtest.Open(t)
	notify := func(ctx context.Context, payload string) error {
		_, err := d.Exec(ctx, `SELECT pg_notify('rangkul_live', $1)`, payload)
		return err
	}
	mk := func() (*live.Hub, *live.Postgres) {
		b := live.NewPostgres(d.URL(), notify)
		h := live.NewHub(b)
		go h.Run(ctx)
		return h, b
	}
	h1, b1 := mk()
	h2, b2 := mk()
	<-b1.Ready()
	<-b2.Ready()
	room := "test-" + time.Now().Format("150405.000000000")
	s1, _ := h1.Subscribe(room)
	s2, _ := h2.Subscribe(room)
	if err := h1.Publish(ctx, room, "message", "dari satu"); err != nil {
		t.Fatal(err)
	}
	if e := receive(t, s2); string(e.Data) != `"dari satu"` {
		t.Fatalf("instance 2 got %s", e.Data)
	}
	receive(t, s1)
	h2.Publish(ctx, room, "message", "dari dua")
	if e := receive(t, s1); string(e.Data) != `"dari dua"` {
		t.Fatalf("instance 1 got %s", e.Data)
	}
}
