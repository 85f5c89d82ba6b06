package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
)

// DemoPassword is the password of every demo-<role> account.
const DemoPassword = "rangkul-demo"

// DemoAccount is one demo sign-in printed by `rangkul demo`.
type DemoAccount struct {
	Username string
	Role     auth.Role
	Org      string // slug
}

// DemoAccounts are the sign-ins of the demo network, one per role.
var DemoAccounts = []DemoAccount{
	{"demo-member", auth.RoleMember, "yayasan-rangkul-jiwa"},
	{"demo-facilitator", auth.RoleFacilitator, "yayasan-rangkul-jiwa"},
	{"demo-mentor", auth.RoleMentor, "yayasan-rangkul-jiwa"},
	{"demo-coordinator", auth.RoleCoordinator, "yayasan-rangkul-jiwa"},
	{"demo-professional", auth.RoleProfessional, "puskesmas-tebet"},
	{"demo-moderator", auth.RoleModerator, "yayasan-rangkul-jiwa"},
	{"demo-analyst", auth.RoleAnalyst, "dinkes-kota-yogyakarta"},
	{"demo-admin", auth.RoleAdmin, "yayasan-rangkul-jiwa"},
}

var demoOrgs = []auth.OrgInput{
	{Slug: "yayasan-rangkul-jiwa", Name: "Yayasan Rangkul Jiwa", Kind: "ngo", Region: "DKI Jakarta"},
	{Slug: "puskesmas-tebet", Name: "Puskesmas Kecamatan Tebet", Kind: "puskesmas", Region: "DKI Jakarta"},
	{Slug: "klinik-jiwa-sehat-bandung", Name: "Klinik Jiwa Sehat Bandung", Kind: "clinic", Region: "Jawa Barat"},
	{Slug: "dinkes-kota-yogyakarta", Name: "Dinas Kesehatan Kota Yogyakarta", Kind: "health_board", Region: "DI Yogyakarta"},
	{Slug: "komunitas-peduli-skizofrenia-makassar", Name: "Komunitas Peduli Skizofrenia Makassar", Kind: "community", Region: "Sulawesi Selatan"},
	{Slug: "leeds-peer-support", Name: "Leeds Peer Support Collective", Kind: "community", Region: "West Yorkshire, UK"},
}

// demoMembers are the pseudonymous people of the demo network beyond the
// demo-<role> accounts, so that lists and pages have realistic length. They get
// random passwords: nobody signs in as them.
var demoMembers = []struct {
	Username string
	Org      string
	Role     auth.Role
}{
	{"bunga.senja", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"langit_biru", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"ibu-rina-carer", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"pelangi88", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"arif.pulih", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"kopi-pagi", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"mawar.jingga", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"teduh", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"bapak.budi", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"kak.dewi", "yayasan-rangkul-jiwa", auth.RoleFacilitator},
	{"mas.yoga", "yayasan-rangkul-jiwa", auth.RoleFacilitator},
	{"sinar-harapan", "klinik-jiwa-sehat-bandung", auth.RoleMember},
	{"hujan.reda", "klinik-jiwa-sehat-bandung", auth.RoleMember},
	{"teh.anisa", "klinik-jiwa-sehat-bandung", auth.RoleFacilitator},
	{"dr.handayani", "klinik-jiwa-sehat-bandung", auth.RoleProfessional},
	{"psikolog.rahma", "puskesmas-tebet", auth.RoleProfessional},
	{"kader.sri", "puskesmas-tebet", auth.RoleCoordinator},
	{"daeng.ical", "komunitas-peduli-skizofrenia-makassar", auth.RoleFacilitator},
	{"anging-mammiri", "komunitas-peduli-skizofrenia-makassar", auth.RoleMember},
	{"ombak.losari", "komunitas-peduli-skizofrenia-makassar", auth.RoleMember},
	{"evaluator.jogja", "dinkes-kota-yogyakarta", auth.RoleAnalyst},
	{"malioboro.pagi", "dinkes-kota-yogyakarta", auth.RoleCoordinator},
	{"quiet-harbour", "leeds-peer-support", auth.RoleMember},
	{"northern.light", "leeds-peer-support", auth.RoleMember},
	{"kirkstall-carer", "leeds-peer-support", auth.RoleMember},
	{"sam.facilitates", "leeds-peer-support", auth.RoleFacilitator},
	{"cahaya.pagi", "yayasan-rangkul-jiwa", auth.RoleMember},
	{"rumah-singgah", "yayasan-rangkul-jiwa", auth.RoleMember},
}

// LoadDemo fills an empty database with the demo network. It reports false,
// and changes nothing, when the demo has been loaded before.
func (a *App) LoadDemo(ctx context.Context) (bool, error) {
	ctx = auth.System(ctx)
	if _, err := a.Auth.PersonByName(ctx, "demo-admin"); err == nil {
		return false, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return false, err
	}
	orgs := map[string]int64{}
	for _, in := range demoOrgs {
		o, err := a.Auth.CreateOrg(ctx, in)
		if err != nil {
			return false, fmt.Errorf("demo: organisation %s: %w", in.Slug, err)
		}
		orgs[in.Slug] = o.ID
	}
	for _, d := range DemoAccounts {
		u, _, err := a.Auth.Register(ctx, auth.Registration{Username: d.Username, Password: DemoPassword})
		if err != nil {
			return false, fmt.Errorf("demo: account %s: %w", d.Username, err)
		}
		if err := a.Auth.GrantRole(ctx, u.ID, orgs[d.Org], d.Role); err != nil {
			return false, err
		}
		if d.Role == auth.RoleAdmin {
			if err := a.Auth.SetSiteAdmin(ctx, u.ID, true); err != nil {
				return false, err
			}
		}
	}
	for _, m := range demoMembers {
		u, _, err := a.Auth.Register(ctx, auth.Registration{Username: m.Username, Password: RandomPassword()})
		if err != nil {
			return false, fmt.Errorf("demo: account %s: %w", m.Username, err)
		}
		if err := a.Auth.GrantRole(ctx, u.ID, orgs[m.Org], m.Role); err != nil {
			return false, err
		}
	}
	return true, nil
}

// RandomPassword returns a strong random password for accounts made by an operator.
func RandomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
