// Package live carries real-time events to the people in a room (a meeting's
// live chat): a hub of subscribers with a bounded buffer each, so a slow
// client is dropped instead of stalling the room, and a broker that moves
// events between app instances: in process on one node, PostgreSQL
// LISTEN/NOTIFY across several.
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

// Event is one thing that happened in a room.
type Event struct {
	Room string          `json:"room"`
	Type string          `json:"type"` // e.g. "message", "state"
	Data json.RawMessage `json:"data"`
}

// Broker moves encoded events to every instance, this one included.
type Broker interface {
	Publish(ctx context.Context, payload []byte) error
	// Run delivers what any instance publishes until ctx ends.
	Run(ctx context.Context, deliver func(payload []byte)) error
}

// Sub is one connected client.
type Sub struct {
	C    chan Event
	room string
	gone bool
}

// Hub keeps the rooms of this instance.
type Hub struct {
	broker Broker
	mu     sync.Mutex
	rooms  map[string]map[*Sub]struct{}
	// Buffer is how many events a client may fall behind before it is dropped.
	Buffer int
}

// NewHub returns a hub publishing through b.
func NewHub(b Broker) *Hub { return &Hub{broker: b, rooms: map[string]map[*Sub]struct{}{}, Buffer: 64} }

// Subscribe joins a room; call the returned func to leave. When the client
// falls Buffer events behind, its channel is closed: it should reconnect.
func (h *Hub) Subscribe(room string) (*Sub, func()) {
	s := &Sub{C: make(chan Event, h.Buffer), room: room}
	h.mu.Lock()
	if h.rooms[room] == nil {
		h.rooms[room] = map[*Sub]struct{}{}
	}
	h.rooms[room][s] = struct{}{}
	h.mu.Unlock()
	return s, func() { h.drop(s) }
}

func (h *Hub) drop(s *Sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.gone {
		return
	}
	s.gone = true
	delete(h.rooms[s.room], s)
	if len(h.rooms[s.room]) == 0 {
		delete(h.rooms, s.room)
	}
	close(s.C)
}

// Present counts the clients connected to a room on this instance.
func (h *Hub) Present(room string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms[room])
}

// Publish sends an event to everyone in the room, on every instance.
func (h *Hub) Publish(ctx context.Context, room, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(Event{Room: room, Type: typ, Data: raw})
	if err != nil {
		return err
	}
	if len(payload) > 7900 {
		return fmt.Errorf("live: event of %d bytes is too large", len(payload))
	}
	return h.broker.Publish(ctx, payload)
}

// Deliver hands an encoded event to this instance's clients; the broker calls it.
func (h *Hub) Deliver(payload []byte) {
	var e Event
	if json.Unmarshal(payload, &e) != nil {
		return
	}
	h.mu.Lock()
	var slow []*Sub
	for s := range h.rooms[e.Room] {
		select {
		case s.C <- e:
		default:
			slow = append(slow, s)
		}
	}
	h.mu.Unlock()
	for _, s := range slow {
		h.drop(s)
	}
}

// Run delivers the broker's events until ctx ends.
func (h *Hub) Run(ctx context.Context) error { return h.broker.Run(ctx, h.Deliver) }

// Local is the broker of a single instance: it delivers at once (events
// published before Run starts are kept and delivered when it does).
type Local struct {
	mu      sync.Mutex
	deliver func([]byte)
	pending [][]byte
}

// Publish delivers payload to this instance.
func (l *Local) Publish(_ context.Context, payload []byte) error {
	l.mu.Lock()
	d := l.deliver
	if d == nil {
		l.pending = append(l.pending, payload)
	}
	l.mu.Unlock()
	if d != nil {
		d(payload)
	}
	return nil
}

// Run registers the delivery function and waits for ctx to end.
func (l *Local) Run(ctx context.Context, deliver func([]byte)) error {
	l.mu.Lock()
	l.deliver = deliver
	pending := l.pending
	l.pending = nil
	l.mu.Unlock()
	for _, p := range pending {
		deliver(p)
	}
	<-ctx.Done()
	return nil
}
