package app

import (
	"context"

	"github.com/rangkul/rangkul/internal/help"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/web"
)

// wireSafety builds the safety service, plugs it into groups as the
// screener, and registers its job and pages.
func (a *App) wireSafety(rd *web.Renderer, rt *web.Router) error {
	a.Safety = safety.NewService(a.DB, a.Audit, a.Secrets, a.Groups)
	m := *a.Groups.Messaging // the same plumbing, its own copy (tests swap the mail sender)
	a.Safety.Messaging = &m
	a.Groups.Screener = a.Safety
	a.Jobs.Handle(safety.JobAlert, a.Safety.SendAlert)
	rd.HelpLines = helpLines(a.Help)
	pages, err := safety.New(a.Safety, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}

// helpLines gives the help card the crisis lines of the deployment's region.
func helpLines(h *help.Service) func(ctx context.Context, region, lang string) ([]web.HelpLine, error) {
	return func(ctx context.Context, region, lang string) ([]web.HelpLine, error) {
		lines, err := h.Lines(ctx, region)
		if err != nil {
			return nil, err
		}
		out := make([]web.HelpLine, len(lines))
		for i, l := range lines {
			out[i] = web.HelpLine{Name: l.Name, Contact: l.Contact, URL: l.URL, Hours: l.Hours, Note: l.Note(lang)}
		}
		return out, nil
	}
}
