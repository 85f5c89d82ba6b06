// Package mail sends Rangkul's e-mail over SMTP: plain-text messages in the
// reader's language, with headers encoded for any script. E-mail is optional
// everywhere in Rangkul; without an SMTP server configured nothing is sent.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Message is one e-mail.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through an SMTP server, with STARTTLS when the server offers it.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Parse reads "smtp://user:password@host:port" (port 25 by default).
func Parse(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: RANGKUL_SMTP_URL must look like smtp://user:password@host:587")
	}
	if !strings.Contains(from, "@") {
		return nil, errors.New("mail: RANGKUL_MAIL_FROM must be an e-mail address")
	}
	s := &SMTP{Addr: u.Host, From: from}
	if u.Port() == "" {
		s.Addr = net.JoinHostPort(u.Hostname(), "25")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if strings.ContainsAny(m.To, "\r\n") || !strings.Contains(m.To, "@") {
		return fmt.Errorf("mail: bad recipient %q", m.To)
	}
	body, err := Compose(s.From, m, time.Now())
	if err != nil {
		return err
	}
	var auth smtp.Auth
	if s.Username != "" {
		host, _, _ := net.SplitHostPort(s.Addr)
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(s.Addr, auth, s.From, []string{m.To}, body) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("mail: send to %s: %w", s.Addr, err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Compose writes the whole message: headers and a quoted-printable UTF-8 body.
func Compose(from string, m Message, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := from[strings.LastIndex(from, "@")+1:]
	header := func(k, v string) { buf.WriteString(k + ": " + v + "\r\n") }
	header("From", from)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", strings.ReplaceAll(strings.ReplaceAll(m.Subject, "\r", " "), "\n", " ")))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	buf.WriteString("\r\n")
	w := quotedprintable.NewWriter(&buf)
	if _, err := w.Write([]byte(strings.ReplaceAll(m.Text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Discard is the sender used when no SMTP server is configured.
type Discard struct{}

// Send does nothing.
func (Discard) Send(context.Context, Message) error { return nil }
