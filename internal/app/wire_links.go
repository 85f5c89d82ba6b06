package app

import (
	"context"
	"errors"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/hsds"
)

// linkFeatures connects features built independently, once all are wired:
// referrals name the directory's services.
func (a *App) linkFeatures() {
	if a.Referrals != nil && a.HSDS != nil {
		a.Referrals.Services = serviceNames{a.HSDS}
	}
}

// serviceNames names a directory service for referrals.
type serviceNames struct{ store *hsds.Store }

func (n serviceNames) ServiceName(ctx context.Context, id string) (string, error) {
	sv, err := n.store.Service(ctx, id)
	if errors.Is(err, hsds.ErrNotFound) {
		return "", db.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return sv.Name, nil
}
