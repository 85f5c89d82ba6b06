package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/mail/mailtest"
)

func TestSendOverSMTP(t *testing.T) {
	b := mailtest.Start(t)
	s, err := Parse("smtp://"+b.Addr, "rangkul@yayasan.example")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), Message{To: "sari@example.org", Subject: "Pengingat: pertemuan besok — Ruang Tenang",
		Text: "Halo Senja,\nPertemuan Ruang Tenang besok pukul 19.00 WIB.\nSampai jumpa!"})
	if err != nil {
		t.Fatal(err)
	}
	got := b.Messages()
	if len(got) != 1 || got[0].To[0] != "sari@example.org" {
		t.Fatalf("inbox: %+v", got)
	}
	msg := got[0].Data
	for _, want := range []string{"Subject: =?utf-8?q?Pengingat", "Content-Type: text/plain; charset=utf-8", "Halo Senja,", "pukul 19.00 WIB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestRefusesHeaderInjection(t *testing.T) {
	s := &SMTP{Addr: "127.0.0.1:1", From: "a@b.example"}
	if err := s.Send(context.Background(), Message{To: "x@y.org\r\nBcc: victim@z.org", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("recipient with a line break accepted")
	}
	raw, _ := Compose("a@b.example", Message{To: "x@y.org", Subject: "hi\r\nBcc: victim@z.org", Text: "t"}, time.Now())
	if strings.Contains(string(raw), "\r\nBcc:") {
		t.Fatal("subject injected a header")
	}
}

func TestParse(t *testing.T) {
	s, err := Parse("smtp://user:secret@mail.example:587", "rangkul@example.org")
	if err != nil || s.Addr != "mail.example:587" || s.Username != "user" || s.Password != "secret" {
		t.Fatalf("%+v %v", s, err)
	}
	if s, _ := Parse("smtp://mail.example", "a@b.org"); s.Addr != "mail.example:25" {
		t.Fatalf("default port: %+v", s)
	}
	for _, bad := range []string{"http://x", "smtp://", "nonsense"} {
		if _, err := Parse(bad, "a@b.org"); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := Parse("smtp://x.org", "not-an-address"); err == nil {
		t.Error("bad From accepted")
	}
}
