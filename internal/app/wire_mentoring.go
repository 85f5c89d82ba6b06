package app

import (
	"context"

	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/web"
)

// checkInScreen lets mentoring flag a check-in with the safety screener.
type checkInScreen struct{}

func (checkInScreen) Flag(_ context.Context, text string) (bool, error) {
	return safety.ScreenNotes(text).Level != safety.LevelNone, nil
}

// wireMentoring builds the mentoring service and registers its pages.
func (a *App) wireMentoring(rd *web.Renderer, rt *web.Router) error {
	a.Mentoring = mentoring.NewService(a.DB, a.Audit, a.Secrets)
	a.Mentoring.Screener = checkInScreen{}
	a.Mentoring.Notices = a.Notices
	a.Mentoring.Certifier = a.Training
	pages, err := mentoring.New(a.Mentoring, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
