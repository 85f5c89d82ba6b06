package app

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/referrals"
)

// demoReferralCode is the invitation code of the demo's one accepted
// referral whose invitation is still unused. It is printed nowhere: the
// referrals tests use it to join as the referred person.
const demoReferralCode = "SENJ-A7PG"

// demoReferral is one referral of the demo network and how far it got.
type demoReferral struct {
	by, to   string // referrer, and the receiver who answers
	group    int64
	daysAgo  int
	name     string
	reason   string
	upTo     string // the status it reaches
	patient  string // who uses the invitation (accepted and beyond)
	pseudo   string
	decline  string
	knownKey bool // the accepted referral whose code is demoReferralCode
}

var demoReferrals = []demoReferral{
	{by: "demo-professional", to: "demo-facilitator", group: 4, daysAgo: 66, name: "Ibu N.", upTo: referrals.StatusClosed,
		reason: "Pulih dari episode depresi; ingin teman sebaya untuk menjaga semangat setelah kontrol rutin.", patient: "kopi-pagi", pseudo: "Kopi"},
	{by: "demo-professional", to: "demo-facilitator", group: 4, daysAgo: 45, name: "Mas R.", upTo: referrals.StatusAttended,
		reason: "Merasa sendirian setelah pindah kerja; setuju mencoba kelompok daring.", patient: "rumah-singgah", pseudo: "Singgah"},
	{by: "demo-professional", to: "demo-facilitator", group: 4, daysAgo: 6, name: "Dik A.", upTo: referrals.StatusAccepted,
		reason: "Mahasiswa, suasana hati turun sejak semester lalu; ingin bertemu teman yang mengalami hal serupa.", knownKey: true},
	{by: "demo-professional", to: "demo-facilitator", group: 1, daysAgo: 4, name: "Sari", upTo: referrals.StatusReceived,
		reason: "Sering panik di kendaraan umum; sedang belajar teknik napas dan ingin berbagi."},
	{by: "psikolog.rahma", to: "kak.dewi", group: 3, daysAgo: 2, name: "Bapak H.", upTo: referrals.StatusSent,
		reason: "Merawat istri dengan skizofrenia; lelah dan ingin berbagi dengan keluarga lain."},
	{by: "demo-professional", to: "mas.yoga", group: 2, daysAgo: 20, name: "Kak T.", upTo: referrals.StatusDeclined, decline: "full",
		reason: "Baru terdiagnosis bipolar; ingin belajar menjaga ritme dari teman sebaya."},
	{by: "psikolog.rahma", to: "teh.anisa", group: 5, daysAgo: 30, name: "Teh L.", upTo: referrals.StatusNoResponse,
		reason: "Selesai rawat inap; ingin kelompok dekat rumah dalam bahasa Sunda."},
	{by: "dr.handayani", to: "teh.anisa", group: 5, daysAgo: 3, name: "Kang D.", upTo: referrals.StatusSent,
		reason: "Pemulihan setelah perawatan; keluarga mendukung ia ikut kelompok."},
}

// loadDemoReferrals gives the demo network referrals in every status,
// walked through the same service steps as people take, at the times they
// would have happened. The referred people who came attend past meetings of
// the group, recorded by its roll call.
func (a *App) loadDemoReferrals(ctx context.Context) error {
	as := func(username string) (context.Context, error) {
		u, grants, err := a.Auth.Lookup(ctx, username)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", username, err)
		}
		return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants}), nil
	}
	now := time.Now().UTC()
	at := func(days int, hours time.Duration) *referrals.Service {
		t := now.AddDate(0, 0, -days).Add(hours)
		return a.Referrals.WithClock(func() time.Time { return t })
	}
	for _, d := range demoReferrals {
		by, err := as(d.by)
		if err != nil {
			return err
		}
		to, err := as(d.to)
		if err != nil {
			return err
		}
		id, err := at(d.daysAgo, 0).Create(by, referrals.Input{Kind: referrals.KindGroup, GroupID: d.group, Name: d.name, Reason: d.reason,
			InviteLang: "id", Consent: true, ConsentMethod: "verbal", ConsentOn: now.AddDate(0, 0, -d.daysAgo).In(a.Groups.Zone).Format("2006-01-02")})
		if err != nil {
			return fmt.Errorf("demo: referral to group %d: %w", d.group, err)
		}
		if d.upTo == referrals.StatusSent || d.upTo == referrals.StatusNoResponse {
			continue
		}
		if _, err := at(d.daysAgo, 3*time.Hour).Referral(to, id); err != nil {
			return err
		}
		switch d.upTo {
		case referrals.StatusReceived:
			continue
		case referrals.StatusDeclined:
			if err := at(d.daysAgo-1, 0).Decline(to, id, d.decline); err != nil {
				return err
			}
			continue
		}
		svc := at(d.daysAgo-1, 0)
		if d.knownKey {
			svc = svc.WithCodes(func() string { return demoReferralCode })
		}
		code, err := svc.Accept(to, id)
		if err != nil {
			return err
		}
		if d.patient == "" {
			continue
		}
		pctx, err := as(d.patient)
		if err != nil {
			return err
		}
		if _, _, err := at(d.daysAgo-2, 0).Claim(pctx, code, d.pseudo, true); err != nil {
			return fmt.Errorf("demo: %s uses the invitation: %w", d.patient, err)
		}
	}
	if err := a.loadDemoReferredAttendance(ctx); err != nil {
		return err
	}
	if err := a.Referrals.SyncAttendance(ctx, nil); err != nil {
		return err
	}
	// The first referral is closed a month after the person first came.
	closed := demoReferrals[0]
	by, err := as(closed.by)
	if err != nil {
		return err
	}
	var id int64
	if err := a.DB.QueryRow(ctx, `SELECT id FROM referrals WHERE status = $1 AND group_id = $2 ORDER BY sent_at LIMIT 1`,
		referrals.StatusAttended, closed.group).Scan(&id); err != nil {
		return fmt.Errorf("demo: the referral to close: %w", err)
	}
	if err := at(30, 0).Close(by, id); err != nil {
		return err
	}
	return a.Referrals.MarkNoResponse(ctx, nil)
}

// loadDemoReferredAttendance gives group 4 eight past weekly meetings with a
// roll call: its members come most weeks, the first referred person from the
// first meeting on, the second from the fifth.
func (a *App) loadDemoReferredAttendance(ctx context.Context) error {
	const group = 4
	first := time.Now().In(a.Groups.Zone).AddDate(0, 0, -63)
	first = time.Date(first.Year(), first.Month(), first.Day(), 19, 0, 0, 0, a.Groups.Zone)
	past := a.Groups.WithClock(func() time.Time { return first.Add(-24 * time.Hour) })
	sid, err := past.CreateSession(ctx, group, groups.SessionInput{Date: first.Format("2006-01-02"), Time: "19:00",
		Minutes: "90", Repeat: "weekly", Count: "8", Title: "Pertemuan rutin"})
	if err != nil {
		return fmt.Errorf("demo: past meetings of group %d: %w", group, err)
	}
	roll, err := a.Groups.Roll(ctx, group, sid, first.Unix())
	if err != nil {
		return err
	}
	since := map[int64]int{mustID(ctx, a, "kopi-pagi"): 0, mustID(ctx, a, "rumah-singgah"): 4}
	for week := 0; week < 8; week++ {
		var present []int64
		for i, r := range roll {
			if from, referred := since[r.UserID]; referred {
				if week >= from {
					present = append(present, r.UserID)
				}
			} else if (i+week)%5 != 4 {
				present = append(present, r.UserID)
			}
		}
		if err := a.Groups.MarkRoll(ctx, group, sid, first.AddDate(0, 0, 7*week).Unix(), present); err != nil {
			return fmt.Errorf("demo: roll of group %d: %w", group, err)
		}
	}
	return nil
}
