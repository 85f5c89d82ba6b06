package app

import (
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/web"
)

// wireHSDS builds the service directory store and the public HSDS API
// under /hsds/.
func (a *App) wireHSDS(rd *web.Renderer, rt *web.Router) error {
	a.HSDS = hsds.NewStore(a.DB)
	hsds.NewAPI(a.HSDS, a.Config.PublicURL, a.Groups.Zone, a.Log).Routes(rt)
	return nil
}
