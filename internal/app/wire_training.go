package app

import (
	"time"

	"github.com/rangkul/rangkul/internal/training"
	"github.com/rangkul/rangkul/internal/web"
)

// wireTraining builds facilitator and mentor training, makes groups and
// mentoring ask it before someone facilitates or takes mentees, and
// schedules the reminder of certifications about to lapse.
func (a *App) wireTraining(rd *web.Renderer, rt *web.Router) error {
	a.Training = training.NewService(a.DB, a.Audit, a.Secrets)
	a.Training.Notices = a.Notices
	a.Groups.Certifier = a.Training
	a.Jobs.Handle(training.JobRemind, a.Training.Remind)
	a.Jobs.Every(training.JobRemind, 24*time.Hour)
	pages, err := training.New(a.Training, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
