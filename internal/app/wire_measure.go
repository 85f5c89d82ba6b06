package app

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/web"
)

// measureSafety lets measure screen written answers and open escalations
// through the safety feature.
type measureSafety struct{ s *safety.Service }

// Screen screens a member's own words, as the groups feature does for posts.
func (m measureSafety) Screen(_ context.Context, text string) (string, []string, error) {
	r := safety.Screen(text)
	return string(r.Level), r.Reasons, nil
}

// Escalate opens an escalation about a questionnaire answer for the group's
// safety staff.
func (m measureSafety) Escalate(ctx context.Context, userID, groupID int64, level, text string, reasons []string) (int64, error) {
	return m.s.Open(ctx, userID, groups.Written{GroupID: groupID, Source: groups.SourceQuestionnaire, Text: text},
		safety.Level(level), reasons)
}

// wireMeasure builds questionnaires, plans and feedback rounds, plugs in the
// safety path and the messaging the groups feature uses, schedules the scan
// that makes questionnaires due, and registers the pages.
func (a *App) wireMeasure(rd *web.Renderer, rt *web.Router) error {
	a.Measure = measure.NewService(a.DB, a.Audit, a.Secrets)
	a.Measure.Zone = a.Groups.Zone
	a.Measure.Safety = measureSafety{s: a.Safety}
	if m := a.Groups.Messaging; m != nil {
		a.Measure.Messaging = &measure.Messaging{Jobs: m.Jobs, Notices: m.Notices, Contacts: m.Contacts, Mail: m.Mail,
			Bundle: m.Bundle, BaseURL: m.BaseURL}
	}
	a.Jobs.Handle(measure.JobScan, a.Measure.Scan)
	a.Jobs.Every(measure.JobScan, 15*time.Minute)
	a.Jobs.Handle(measure.JobMail, a.Measure.SendMail)
	a.Jobs.Handle(measure.JobEscalate, a.Measure.Escalate)
	pages, err := measure.New(a.Measure, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
