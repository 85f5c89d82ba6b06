package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/mail/mailtest"
)

// Reminders and change notices go through the job queue: an in-app notice
// for every member, an e-mail over real SMTP for those who gave an address,
// each once however often the scan runs.
func TestRemindersAndChangeNotices(t *testing.T) {
	env := apptest.New(t)
	a := env.App
	inbox := mailtest.Start(t)
	sender, err := mail.Parse("smtp://"+inbox.Addr, "rangkul@yayasan.example")
	if err != nil {
		t.Fatal(err)
	}
	a.Groups.Messaging.Mail = sender
	m := env.AsDemo("demo-member")
	m.Post("/account/email", map[string][]string{"email": {"senja@example.org"}})
	ctx := auth.System(context.Background())
	soon := time.Now().In(a.Groups.Zone).Add(3 * time.Hour).Truncate(time.Minute)
	sid, err := a.Groups.CreateSession(ctx, 1, groups.SessionInput{Date: soon.Format("2006-01-02"), Time: soon.Format("15:04"),
		Minutes: "60", Repeat: "none", Title: "Tambahan"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // a second scan must not send again
		if _, err := a.Jobs.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var toSenja []string
	for _, msg := range inbox.Messages() {
		if msg.To[0] == "senja@example.org" && strings.Contains(msg.Data, soon.Format("15:04")) {
			toSenja = append(toSenja, msg.Data)
		}
	}
	if len(toSenja) != 1 {
		t.Fatalf("reminder e-mails to Senja about the new meeting: %d (inbox %d)", len(toSenja), len(inbox.Messages()))
	}
	if !strings.Contains(toSenja[0], "Halo Senja") || !strings.Contains(toSenja[0], "Ruang Tenang") {
		t.Fatalf("reminder text:\n%s", toSenja[0])
	}
	page := m.Get("/notices")
	if !strings.Contains(page.Body, "Pengingat: Ruang Tenang") {
		t.Fatal("no in-app reminder")
	}
	// Cancelling the meeting tells the members.
	before := len(inbox.Messages())
	if err := a.Groups.ChangeOccurrence(ctx, 1, sid, soon.Unix(), "", "", "Fasilitator sakit"); err != nil {
		t.Fatal(err)
	}
	a.Jobs.RunDue(context.Background())
	var cancelled bool
	for _, msg := range inbox.Messages()[before:] {
		cancelled = cancelled || (msg.To[0] == "senja@example.org" && strings.Contains(msg.Data, "dibatalkan") && strings.Contains(msg.Data, "Fasilitator sakit"))
	}
	if !cancelled {
		t.Fatal("no cancellation e-mail")
	}
	if page := m.Get("/notices"); !strings.Contains(page.Body, "dibatalkan") {
		t.Fatal("no in-app cancellation notice")
	}
}
