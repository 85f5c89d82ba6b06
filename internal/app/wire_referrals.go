package app

import (
	"time"

	"github.com/rangkul/rangkul/internal/referrals"
	"github.com/rangkul/rangkul/internal/web"
)

// wireReferrals builds referrals to groups and services, e-mails their
// invitations through the job queue, and schedules the step that notices a
// referred person's first attendance and the daily one that marks referrals
// nobody answered. Services are shown by their directory id until
// a.Referrals.Services is set to the directory's lookup.
func (a *App) wireReferrals(rd *web.Renderer, rt *web.Router) error {
	a.Referrals = referrals.NewService(a.DB, a.Audit, a.Secrets, a.Groups)
	a.Referrals.Notices = a.Notices
	a.Referrals.Zone = a.Groups.Zone
	if m := a.Groups.Messaging; m != nil {
		a.Referrals.Messaging = &referrals.Messaging{Jobs: a.Jobs, Mail: m.Mail, Bundle: m.Bundle, BaseURL: m.BaseURL}
	}
	a.Jobs.Handle(referrals.JobInvite, a.Referrals.SendInvite)
	a.Jobs.Handle(referrals.JobAttendance, a.Referrals.SyncAttendance)
	a.Jobs.Every(referrals.JobAttendance, 15*time.Minute)
	a.Jobs.Handle(referrals.JobNoResponse, a.Referrals.MarkNoResponse)
	a.Jobs.Every(referrals.JobNoResponse, 24*time.Hour)
	pages, err := referrals.New(a.Referrals, rd)
	if err != nil {
		return err
	}
	pages.BaseURL = a.Config.PublicURL
	pages.Routes(rt)
	return nil
}
