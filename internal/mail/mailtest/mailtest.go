// Package mailtest runs a real SMTP server inside a test process and keeps the
// messages it receives, so tests see exactly what a mail server would.
package mailtest

import (
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Inbox is an SMTP server on a loopback port.
type Inbox struct {
	Addr string
	mu   sync.Mutex
	msgs []Received
}

// Received is one delivered message.
type Received struct {
	To   []string
	Data string
}

// Start runs an inbox until t ends.
func Start(t testing.TB) *Inbox {
	t.Helper()
	b := &Inbox{}
	srv := smtp.NewServer(backend{b})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return b
}

// Messages returns what has arrived so far.
func (b *Inbox) Messages() []Received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Received(nil), b.msgs...)
}

type backend struct{ b *Inbox }

func (k backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: k.b}, nil }

type session struct {
	b  *Inbox
	to []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, Received{To: s.to, Data: string(raw)})
	s.b.mu.Unlock()
	return err
}
func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }
