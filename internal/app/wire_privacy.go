package app

import (
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/evaluation"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/library"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/notices"
	"github.com/rangkul/rangkul/internal/privacy"
	"github.com/rangkul/rangkul/internal/referrals"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/training"
	"github.com/rangkul/rangkul/internal/web"
)

// wirePrivacy builds consent and data rights over every feature's part and
// registers their pages. A feature that stores personal data adds its part
// here.
func (a *App) wirePrivacy(rd *web.Renderer, rt *web.Router) error {
	a.Privacy = privacy.NewService(a.DB, a.Audit,
		auth.PrivacyPart{},
		groups.PrivacyPart{S: a.Groups},
		safety.PrivacyPart{S: a.Safety},
		notices.PrivacyPart{},
		mentoring.PrivacyPart{S: a.Mentoring},
		training.PrivacyPart{},
		measure.PrivacyPart{S: a.Measure},
		library.PrivacyPart{},
		referrals.PrivacyPart{S: a.Referrals},
		evaluation.PrivacyPart{},
		directory.PrivacyPart{S: a.Directory},
	)
	pages, err := privacy.New(a.Privacy, rd, a.Auth)
	if err != nil {
		return err
	}
	pages.Zone = a.Groups.Zone
	pages.Routes(rt)
	return nil
}
