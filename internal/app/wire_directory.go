package app

import (
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/web"
)

// wireDirectory builds the public services directory pages and their
// curation over the HSDS store (wireHSDS runs first), reading opening
// hours in the deployment's time zone and sealing the notes of problem
// reports.
func (a *App) wireDirectory(rd *web.Renderer, rt *web.Router) error {
	a.Directory = directory.NewService(a.HSDS, a.DB, a.Audit, a.Secrets, a.Groups.Zone)
	pages, err := directory.New(a.Directory, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
