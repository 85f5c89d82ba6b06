package app

import (
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/library"
	"github.com/rangkul/rangkul/internal/web"
)

// wireLibrary builds the resource library, filed under the support groups'
// topics, with notices to writers and reviewers.
func (a *App) wireLibrary(rd *web.Renderer, rt *web.Router) error {
	a.Library = library.NewService(a.DB, a.Audit, groups.Topics)
	a.Library.Notices = a.Notices
	pages, err := library.New(a.Library, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
