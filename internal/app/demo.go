package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/privacy"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/training"
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
	if err := a.loadDemoTraining(ctx, orgs["yayasan-rangkul-jiwa"]); err != nil {
		return false, err
	}
	if err := a.loadDemoGroups(ctx, orgs); err != nil {
		return false, err
	}
	if err := a.loadDemoConsents(ctx); err != nil {
		return false, err
	}
	if err := a.loadDemoMentoring(ctx, orgs["yayasan-rangkul-jiwa"]); err != nil {
		return false, err
	}
	if err := a.loadDemoMeasure(ctx, orgs); err != nil {
		return false, err
	}
	if err := a.loadDemoReferrals(ctx); err != nil {
		return false, err
	}
	if err := a.loadDemoLibrary(ctx, orgs); err != nil {
		return false, err
	}
	if err := a.loadDemoEvaluation(ctx, orgs["yayasan-rangkul-jiwa"]); err != nil {
		return false, err
	}
	if err := a.loadDemoDirectory(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// loadDemoMentoring gives the first organisation three mentors with
// profiles, four requests (one that no mentor can take in person in Bali),
// runs the matching once, and makes the first pair active with a check-in.
func (a *App) loadDemoMentoring(ctx context.Context, org int64) error {
	as := func(name string) (context.Context, error) {
		u, grants, err := a.Auth.Lookup(ctx, name)
		if err != nil {
			return nil, err
		}
		return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants}), nil
	}
	for _, name := range []string{"kak.dewi", "mawar.jingga"} {
		if err := a.Auth.GrantRole(ctx, mustID(ctx, a, name), org, auth.RoleMentor); err != nil {
			return err
		}
	}
	profiles := []struct {
		user string
		in   mentoring.ProfileInput
	}{
		{"demo-mentor", mentoring.ProfileInput{DisplayName: "Kak Sekar", Languages: []string{"id", "en"}, Gender: "perempuan", Online: true,
			InPerson: true, Region: "DKI Jakarta", Areas: []string{"kecemasan", "depresi", "pemulihan"}, Availability: "Selasa dan Kamis malam",
			Capacity: "3", Active: true}},
		{"kak.dewi", mentoring.ProfileInput{DisplayName: "Kak Dewi", Languages: []string{"id"}, Gender: "perempuan", Online: true,
			Region: "DKI Jakarta", Areas: []string{"carer", "duka"}, Availability: "Akhir pekan", Capacity: "2", Active: true}},
		{"mawar.jingga", mentoring.ProfileInput{DisplayName: "Mas Bayu", Languages: []string{"id"}, Gender: "laki-laki", Online: true,
			InPerson: true, Region: "Jawa Barat", Areas: []string{"bipolar", "pemulihan"}, Availability: "Sore hari kerja", Capacity: "2", Active: true}},
	}
	for _, p := range profiles {
		c, err := as(p.user)
		if err != nil {
			return err
		}
		if err := a.Mentoring.SaveProfile(c, org, p.in); err != nil {
			return fmt.Errorf("demo: mentor profile of %s: %w", p.user, err)
		}
	}
	requests := []struct {
		user string
		in   mentoring.RequestInput
	}{
		{"teduh", mentoring.RequestInput{DisplayName: "Awan", Language: "en", Topics: []string{"kecemasan"}}},
		{"ibu-rina-carer", mentoring.RequestInput{DisplayName: "Bu Rina", Language: "id", Gender: "perempuan", Topics: []string{"carer"}}},
		{"kopi-pagi", mentoring.RequestInput{DisplayName: "Kopi", Language: "id", Mode: "online", Topics: []string{"bipolar", "pemulihan"}}},
		{"cahaya.pagi", mentoring.RequestInput{DisplayName: "Cahaya", Language: "id", Mode: "in_person", Region: "Bali", Topics: []string{"duka"}}},
	}
	for _, r := range requests {
		c, err := as(r.user)
		if err != nil {
			return err
		}
		r.in.Org = org
		if _, err := a.Mentoring.Ask(c, r.in); err != nil {
			return fmt.Errorf("demo: mentor request of %s: %w", r.user, err)
		}
	}
	coord, err := as("demo-coordinator")
	if err != nil {
		return err
	}
	if _, err := a.Mentoring.RunMatching(coord, org); err != nil {
		return err
	}
	mentor, err := as("demo-mentor")
	if err != nil {
		return err
	}
	member, err := as("teduh")
	if err != nil {
		return err
	}
	for _, c := range []context.Context{mentor, member} {
		if err := a.Mentoring.Accept(c, 1, true); err != nil {
			return fmt.Errorf("demo: accept: %w", err)
		}
	}
	_, err = a.Mentoring.LogCheckIn(mentor, 1, "First call went well. Awan wants to practise breathing before work; we meet again on Thursday.")
	return err
}

// loadDemoConsents records that every demo account agreed to take part, and
// that every other pseudonymous member also agreed to research use, so that
// exports have someone to leave out.
func (a *App) loadDemoConsents(ctx context.Context) error {
	var names []string
	for _, d := range DemoAccounts {
		names = append(names, d.Username)
	}
	for _, m := range demoMembers {
		names = append(names, m.Username)
	}
	texts := map[string]int{}
	for _, purpose := range []string{privacy.PurposeParticipation, privacy.PurposeResearch} {
		t, err := a.Privacy.CurrentText(ctx, purpose, "id")
		if err != nil {
			return err
		}
		texts[purpose] = t.Version
	}
	for i, name := range names {
		u, grants, err := a.Auth.Lookup(ctx, name)
		if err != nil {
			return err
		}
		uctx := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
		if err := a.Privacy.Agree(uctx, privacy.PurposeParticipation, texts[privacy.PurposeParticipation], "id"); err != nil {
			return fmt.Errorf("demo: consent of %s: %w", name, err)
		}
		if i >= len(DemoAccounts) && i%2 == 0 {
			if err := a.Privacy.Agree(uctx, privacy.PurposeResearch, texts[privacy.PurposeResearch], "id"); err != nil {
				return err
			}
		}
	}
	return nil
}

// RandomPassword returns a strong random password for accounts made by an operator.
func RandomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

type demoGroup struct {
	org   string
	in    groups.Input
	facil []string // username, display name pairs
	join  []string // username, display name pairs
}

// demoSessions gives each demo group, in order, its meetings: a weekday
// (0 Sunday), a time, a repeat choice and an optional custom rule.
var demoSessions = []struct {
	day           time.Weekday
	clock, repeat string
	rule          string
}{
	{time.Tuesday, "19:00", "weekly", ""},
	{time.Thursday, "16:00", "fortnightly", ""},
	{time.Saturday, "10:00", "monthly", ""},
	{time.Wednesday, "20:00", "weekly", ""},
	{time.Friday, "15:30", "weekly", ""},
	{time.Sunday, "09:00", "custom", "FREQ=WEEKLY;BYDAY=SU;COUNT=12"},
	{time.Monday, "18:30", "weekly", ""},
	{time.Wednesday, "19:30", "custom", "FREQ=MONTHLY;BYDAY=-1WE"},
	{time.Saturday, "14:00", "weekly", ""},
}

var demoGroups = []demoGroup{
	{"yayasan-rangkul-jiwa", groups.Input{Name: "Ruang Tenang: kelompok dukungan kecemasan",
		Description: "Untuk kamu yang sering cemas, panik, atau sulit tenang. Kita berbagi cerita dan cara-cara kecil yang membantu, tanpa menghakimi.",
		Topic:       "anxiety", Language: "id", Region: "DKI Jakarta", Mode: "hybrid", Capacity: "14",
		Place:      "Aula Yayasan Rangkul Jiwa, Tebet, dan ruang daring",
		HouseRules: "Yang dibagikan di kelompok, tinggal di kelompok.\nDengarkan tanpa menghakimi dan tanpa menggurui.\nBoleh diam; tidak ada yang wajib bercerita.\nJika ada yang dalam bahaya, fasilitator akan menghubungi layanan krisis.",
		Open:       true, Listed: true}, []string{"demo-facilitator", "Kak Rani", "kak.dewi", "Kak Dewi"}, []string{"demo-member", "Senja", "bunga.senja", "Bunga", "langit_biru", "Langit"}},
	{"yayasan-rangkul-jiwa", groups.Input{Name: "Sahabat Bipolar Jakarta",
		Description: "Kelompok sebaya untuk teman-teman dengan gangguan bipolar: menjaga ritme tidur, minum obat, dan saling mengingatkan di masa naik-turun.",
		Topic:       "bipolar", Language: "id", Region: "DKI Jakarta", Mode: "in_person", Capacity: "12",
		Place: "Ruang Serbaguna Puskesmas Kecamatan Tebet", HouseRules: "Hormati cerita setiap orang.\nTidak ada saran obat: itu urusan dokter.\nDatang tepat waktu bila bisa.",
		Open: false, Listed: true}, []string{"mas.yoga", "Mas Yoga"}, []string{"arif.pulih", "Arif"}},
	{"yayasan-rangkul-jiwa", groups.Input{Name: "Keluarga Peduli: kelompok untuk pendamping",
		Description: "Untuk orang tua, pasangan, dan saudara yang merawat anggota keluarga dengan gangguan jiwa. Berbagi lelah, berbagi cara, saling menguatkan.",
		Topic:       "carers", Language: "id", Region: "DKI Jakarta", Mode: "online", Capacity: "20",
		Place: "Ruang daring Rangkul (tautan dibagikan kepada anggota)", HouseRules: "Saling dengar tanpa menghakimi.\nJaga kerahasiaan cerita keluarga lain.",
		Open: true, Listed: true}, []string{"kak.dewi", "Bu Dewi"}, []string{"ibu-rina-carer", "Bu Rina", "bapak.budi", "Pak Budi"}},
	{"yayasan-rangkul-jiwa", groups.Input{Name: "Pelangi Setelah Hujan: depresi dan pemulihan",
		Description: "Kita yang sedang atau pernah mengalami depresi, berjalan pelan-pelan bersama menuju pulih.",
		Topic:       "depression", Language: "id", Region: "DKI Jakarta", Mode: "online", Capacity: "15",
		Place: "Ruang daring Rangkul", HouseRules: "Tidak ada yang wajib bicara.\nTidak ada cerita yang terlalu kecil.",
		Open: true, Listed: true}, []string{"demo-facilitator", "Kak Rani"}, []string{"pelangi88", "Pelangi", "mawar.jingga", "Mawar", "teduh", "Sore"}},
	{"klinik-jiwa-sehat-bandung", groups.Input{Name: "Ngariung Sehat Jiwa (basa Sunda)",
		Description: "Kelompok dukungan untuk pemulihan setelah perawatan, berbahasa Sunda dan Indonesia.",
		Topic:       "general", Language: "su", Region: "Jawa Barat", Mode: "in_person", Capacity: "10",
		Place: "Klinik Jiwa Sehat Bandung, ruang 2", HouseRules: "Silih hargaan.\nSaling menghargai.",
		Open: true, Listed: true}, []string{"teh.anisa", "Teh Anisa"}, []string{"sinar-harapan", "Sinar", "hujan.reda", "Reda"}},
	{"komunitas-peduli-skizofrenia-makassar", groups.Input{Name: "Sipakatau: psikosis dan skizofrenia",
		Description: "Penyintas skizofrenia dan keluarganya di Makassar saling menguatkan. Sipakatau: saling memanusiakan.",
		Topic:       "psychosis", Language: "id", Region: "Sulawesi Selatan", Mode: "hybrid", Capacity: "16",
		Place: "Sekretariat komunitas, Jl. Pettarani, dan daring", HouseRules: "Saling memanusiakan.\nTidak ada label, tidak ada ejekan.",
		Open: false, Listed: true}, []string{"daeng.ical", "Daeng Ical"}, []string{"anging-mammiri", "Anging", "ombak.losari", "Ombak"}},
	{"leeds-peer-support", groups.Input{Name: "Leeds Carers' Evening Circle",
		Description: "A relaxed evening circle for family carers of people living with severe mental illness. Tea, talk and practical tips.",
		Topic:       "carers", Language: "en", Region: "West Yorkshire", Mode: "in_person", Capacity: "12",
		Place: "Community room, Kirkstall library", HouseRules: "What is shared here stays here.\nListen without fixing.\nEveryone gets a turn; nobody has to take it.",
		Open: true, Listed: true}, []string{"sam.facilitates", "Sam"}, []string{"kirkstall-carer", "Jo", "quiet-harbour", "Harbour"}},
	{"leeds-peer-support", groups.Input{Name: "Grief and Loss Online Group",
		Description: "For anyone grieving a loved one, including loss to suicide. We meet online on weekday evenings.",
		Topic:       "grief", Language: "en", Region: "West Yorkshire", Mode: "online", Capacity: "10",
		Place: "Online room (link shared with members)", HouseRules: "Be gentle with each other.\nNo advice unless it is asked for.",
		Open: false, Listed: true}, []string{"sam.facilitates", "Sam"}, []string{"northern.light", "North"}},
	{"dinkes-kota-yogyakarta", groups.Input{Name: "Jaga Jiwa Muda Jogja",
		Description: "Ruang aman untuk anak muda usia 16-24 di Yogyakarta yang sedang berjuang dengan kesehatan jiwanya.",
		Topic:       "youth", Language: "jv", Region: "DI Yogyakarta", Mode: "hybrid", Capacity: "18",
		Place: "Ruang pertemuan Dinas Kesehatan Kota Yogyakarta dan daring", HouseRules: "Saling menghormati.\nCerita di sini tidak dibawa keluar.",
		Open: true, Listed: true}, nil, []string{"cahaya.pagi", "Cahaya"}},
}

// loadDemoGroups creates the demo network's groups, facilitators and members.
func (a *App) loadDemoGroups(ctx context.Context, orgs map[string]int64) error {
	as := func(username string) (context.Context, error) {
		u, grants, err := a.Auth.Lookup(ctx, username)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", username, err)
		}
		return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants}), nil
	}
	for i, dg := range demoGroups {
		id, err := a.Groups.Create(ctx, orgs[dg.org], dg.in)
		if err != nil {
			return fmt.Errorf("demo: group %s: %w", dg.in.Name, err)
		}
		ds := demoSessions[i%len(demoSessions)]
		first := time.Now().In(a.Groups.Zone).AddDate(0, 0, 1)
		for first.Weekday() != ds.day {
			first = first.AddDate(0, 0, 1)
		}
		if _, err := a.Groups.CreateSession(ctx, id, groups.SessionInput{Date: first.Format("2006-01-02"), Time: ds.clock,
			Minutes: "90", Repeat: ds.repeat, RRule: ds.rule}); err != nil {
			return fmt.Errorf("demo: sessions of %s: %w", dg.in.Name, err)
		}
		for j := 0; j+1 < len(dg.facil); j += 2 {
			if err := a.Auth.GrantRole(ctx, mustID(ctx, a, dg.facil[j]), orgs[dg.org], auth.RoleFacilitator); err != nil {
				return err
			}
			if err := a.Groups.AssignFacilitator(ctx, id, dg.facil[j], dg.facil[j+1]); err != nil {
				return fmt.Errorf("demo: facilitator %s: %w", dg.facil[j], err)
			}
		}
		for j := 0; j+1 < len(dg.join); j += 2 {
			mctx, err := as(dg.join[j])
			if err != nil {
				return err
			}
			if _, err := a.Groups.Join(mctx, id, groups.JoinInput{DisplayName: dg.join[j+1], AcceptRules: true,
				Message: "Saya ingin belajar dari teman-teman di sini."}); err != nil {
				return fmt.Errorf("demo: %s joins %s: %w", dg.join[j], dg.in.Name, err)
			}
		}
	}
	if err := a.loadDemoHistory(ctx, as); err != nil {
		return err
	}
	if err := a.loadDemoBoard(ctx, as); err != nil {
		return err
	}
	if err := a.loadDemoPoll(ctx, as); err != nil {
		return err
	}
	if err := a.loadDemoSafety(as); err != nil {
		return err
	}
	// demo-member is coming to the next meeting of the first group.
	mctx, err := as("demo-member")
	if err != nil {
		return err
	}
	up, err := a.Groups.Upcoming(mctx, 1, 14*24*time.Hour)
	if err != nil || len(up) == 0 {
		return fmt.Errorf("demo: no meeting to come to: %v", err)
	}
	return a.Groups.RSVP(mctx, 1, up[0].Session.ID, up[0].Original.Unix())
}

func mustID(ctx context.Context, a *App, username string) int64 {
	u, _, err := a.Auth.Lookup(ctx, username)
	if err != nil {
		return 0
	}
	return u.ID
}

// loadDemoHistory gives the first group six past weekly meetings with a roll
// call and feedback, so attendance and evaluation pages have something real.
func (a *App) loadDemoHistory(ctx context.Context, as func(string) (context.Context, error)) error {
	up, err := a.Groups.Upcoming(ctx, 1, 8*24*time.Hour)
	if err != nil || len(up) == 0 {
		return fmt.Errorf("demo: group 1 has no meetings: %v", err)
	}
	first := up[0].Start.In(a.Groups.Zone).AddDate(0, 0, -42)
	past := a.Groups.WithClock(func() time.Time { return first.Add(-24 * time.Hour) })
	sid, err := past.CreateSession(ctx, 1, groups.SessionInput{Date: first.Format("2006-01-02"), Time: first.Format("15:04"),
		Minutes: "90", Repeat: "weekly", Count: "6", Title: "Pertemuan rutin"})
	if err != nil {
		return fmt.Errorf("demo: past meetings: %w", err)
	}
	people := []struct {
		user    string
		helpful string
		safe    string
		comment string
	}{
		{"demo-member", "4", "5", "Senang bisa cerita tanpa dihakimi."},
		{"bunga.senja", "5", "4", ""},
		{"langit_biru", "3", "4", "Waktunya terasa terlalu singkat."},
	}
	roll, err := a.Groups.Roll(ctx, 1, sid, first.Unix())
	if err != nil {
		return err
	}
	for week := 0; week < 6; week++ {
		at := first.AddDate(0, 0, 7*week).Unix()
		var present []int64
		for i, r := range roll {
			if (i+week)%4 != 3 { // most come most weeks
				present = append(present, r.UserID)
			}
		}
		if err := a.Groups.MarkRoll(ctx, 1, sid, at, present); err != nil {
			return fmt.Errorf("demo: roll: %w", err)
		}
		for i, p := range people {
			if (i+week)%3 == 2 {
				continue
			}
			pctx, err := as(p.user)
			if err != nil {
				return err
			}
			if _, err := a.Groups.GiveFeedback(pctx, 1, sid, at, groups.FeedbackInput{Helpful: p.helpful, Safe: p.safe, Comment: p.comment}); err != nil {
				return fmt.Errorf("demo: feedback: %w", err)
			}
		}
	}
	return a.Groups.AddNote(ctx, 1, sid, first.Unix(), "Pertemuan pertama berjalan hangat. Dua anggota baru; perlu disapa lagi minggu depan.")
}

// loadDemoBoard starts a conversation on the first group's board.
func (a *App) loadDemoBoard(ctx context.Context, as func(string) (context.Context, error)) error {
	posts := []struct {
		user   string
		parent int64
		body   string
	}{
		{"demo-member", 0, "Minggu ini aku berhasil naik KRL sendiri lagi setelah lama takut. Pelan-pelan ya, tapi **bisa**."},
		{"bunga.senja", 1, "Ikut senang! Aku juga sedang latihan napas 4-7-8 sebelum berangkat kerja."},
		{"demo-facilitator", 1, "Terima kasih sudah berbagi, Senja. Langkah kecil tetap langkah."},
		{"langit_biru", 0, "Ada yang punya tips tidur lebih nyenyak? Akhir-akhir ini susah sekali."},
	}
	for _, p := range posts {
		pctx, err := as(p.user)
		if err != nil {
			return err
		}
		if _, err := a.Groups.Write(pctx, 1, p.parent, p.body); err != nil {
			return fmt.Errorf("demo: board: %w", err)
		}
	}
	bctx, err := as("bunga.senja")
	if err != nil {
		return err
	}
	return a.Groups.React(bctx, 1, 1, "hug")
}

// loadDemoPoll opens an availability poll in the first group with a few answers.
func (a *App) loadDemoPoll(ctx context.Context, as func(string) (context.Context, error)) error {
	base := time.Now().In(a.Groups.Zone).AddDate(0, 0, 10)
	var times []string
	for i, clock := range []string{"10:00", "16:00", "19:30"} {
		times = append(times, base.AddDate(0, 0, i).Format("2006-01-02")+" "+clock)
	}
	pid, err := a.Groups.CreatePoll(ctx, 1, groups.PollInput{Title: "Pertemuan tambahan sebelum libur", Minutes: "90", Times: times})
	if err != nil {
		return fmt.Errorf("demo: poll: %w", err)
	}
	poll, err := a.Groups.Poll(ctx, 1, pid)
	if err != nil {
		return err
	}
	for i, user := range []string{"bunga.senja", "langit_biru"} {
		uctx, err := as(user)
		if err != nil {
			return err
		}
		answers := map[int64]string{poll.Options[0].ID: "no", poll.Options[1].ID: "maybe", poll.Options[2].ID: "yes"}
		if i == 1 {
			answers[poll.Options[1].ID] = "yes"
		}
		if err := a.Groups.Answer(uctx, 1, pid, answers); err != nil {
			return fmt.Errorf("demo: poll answer: %w", err)
		}
	}
	return nil
}

// loadDemoSafety gives the safety area of the first group something real to
// show: an alert raised by a post, a report acted on with a warning that is
// under appeal, a second open report, and a conflict case.
func (a *App) loadDemoSafety(as func(string) (context.Context, error)) error {
	users := map[string]context.Context{}
	for _, u := range []string{"langit_biru", "bunga.senja", "demo-member", "demo-facilitator"} {
		c, err := as(u)
		if err != nil {
			return err
		}
		users[u] = c
	}
	sc, err := a.Groups.Write(users["langit_biru"], 1, 0, "Akhir-akhir ini rasanya gak ada gunanya aku hidup. Capek banget, tapi aku masih datang ke sini.")
	if err != nil {
		return fmt.Errorf("demo: flagged post: %w", err)
	}
	if sc.EscalationID == 0 {
		return fmt.Errorf("demo: the screener did not flag the demo post")
	}
	if _, err := a.Groups.Write(users["bunga.senja"], 1, 0, "Ah, kalian lebay. Itu cuma kurang bersyukur aja."); err != nil {
		return err
	}
	posts, err := a.Groups.Board(users["demo-facilitator"], 1, 100)
	if err != nil {
		return err
	}
	var rude int64
	for _, p := range posts {
		if strings.HasPrefix(p.Body, "Ah, kalian lebay") {
			rude = p.ID
		}
	}
	first, err := a.Safety.Report(users["langit_biru"], groups.SourcePost, rude, "hate", "Kata-kata ini bikin aku makin minder.")
	if err != nil {
		return fmt.Errorf("demo: report: %w", err)
	}
	if err := a.Safety.Decide(users["demo-facilitator"], first, safety.ActionInput{Kind: safety.ActWarn,
		Reason: "Di kelompok ini kita tidak menilai perasaan orang lain sebagai \"lebay\". Mohon tulis dengan lebih lembut."}); err != nil {
		return fmt.Errorf("demo: decide: %w", err)
	}
	mine, err := a.Safety.MyActions(users["bunga.senja"])
	if err != nil || len(mine) == 0 {
		return fmt.Errorf("demo: the warning is missing: %v", err)
	}
	if err := a.Safety.Appeal(users["bunga.senja"], mine[0].ID, "Maaf, aku tidak bermaksud menyakiti. Aku cuma ingin menyemangati dengan caraku."); err != nil {
		return fmt.Errorf("demo: appeal: %w", err)
	}
	if _, err := a.Safety.Report(users["demo-member"], groups.SourcePost, rude, "harassment", ""); err != nil {
		return fmt.Errorf("demo: second report: %w", err)
	}
	members, err := a.Groups.Members(users["demo-facilitator"], 1)
	if err != nil {
		return err
	}
	var parties []int64
	for _, m := range members {
		if u := auth.FromContext(users["bunga.senja"]).UserID; m.UserID == u {
			parties = append(parties, m.ID)
		}
		if u := auth.FromContext(users["langit_biru"]).UserID; m.UserID == u {
			parties = append(parties, m.ID)
		}
	}
	_, err = a.Safety.OpenCase(users["demo-facilitator"], 1, safety.CaseInput{Parties: parties,
		Summary: "Setelah komentar \"lebay\" di papan, dua anggota saling membalas dengan nada tinggi di obrolan. Keduanya setuju bertemu bersama fasilitator sebelum pertemuan berikutnya."})
	return err
}

// demoModules are the first organisation's training modules.
var demoModules = []training.ModuleInput{
	{Title: "Dinamika kelompok", Body: "Kelompok dukungan sebaya berjalan baik bila **semua orang merasa aman** untuk bicara atau diam.\n\n- Sepakati aturan bersama di awal.\n- Beri giliran, jangan memaksa.\n- Fasilitator menjaga waktu dan suasana, bukan memberi nasihat.",
		PassMark: "80", Required: true, Quiz: "Apa tugas utama fasilitator?\nMemberi nasihat medis\n*Menjaga suasana aman dan giliran bicara\nMenentukan siapa yang boleh datang\n\nSeorang anggota diam sepanjang sesi. Apa yang sebaiknya dilakukan?\nMemintanya bicara di depan semua\n*Menawarkan kesempatan dengan lembut, tanpa memaksa\nMengabaikannya"},
	{Title: "Mendengarkan aktif", Body: "Mendengarkan aktif berarti memberi perhatian penuh, **memantulkan** apa yang didengar, dan menahan diri dari menghakimi.",
		PassMark: "80", Required: true, Quiz: "Contoh memantulkan perasaan:\n*\"Kedengarannya minggu ini berat sekali untukmu.\"\n\"Kamu harus lebih bersyukur.\"\n\"Aku juga pernah, bahkan lebih parah.\""},
	{Title: "Jalur krisis", Body: "Bila seseorang menulis atau mengatakan ingin mengakhiri hidup: **tetap tenang, dengarkan, jangan tinggalkan sendiri**, dan ikuti jalur krisis: hubungi penanggung jawab keamanan dan layanan krisis di halaman Bantuan.",
		PassMark: "100", Required: true, Quiz: "Seorang anggota berkata ingin mengakhiri hidupnya malam ini. Langkah pertama?\nMenunggu pertemuan berikutnya\n*Tetap bersamanya dan menghubungi penanggung jawab keamanan serta layanan krisis\nMengganti topik pembicaraan"},
}

// loadDemoTraining publishes the first organisation's modules and certifies
// its demo facilitators and mentors (one expiring soon, one still in
// training), before any of them is made a group's facilitator.
func (a *App) loadDemoTraining(ctx context.Context, org int64) error {
	var modules []int64
	for _, m := range demoModules {
		id, err := a.Training.CreateModule(ctx, org, m)
		if err != nil {
			return fmt.Errorf("demo: module %s: %w", m.Title, err)
		}
		modules = append(modules, id)
	}
	people := []struct {
		user    string
		role    auth.Role
		daysAgo int // when they passed
		modules int // how many modules they passed
	}{
		{"demo-facilitator", auth.RoleFacilitator, 30, 3},
		{"kak.dewi", auth.RoleFacilitator, 345, 3},
		{"demo-mentor", auth.RoleMentor, 60, 3},
		{"mawar.jingga", auth.RoleMentor, 10, 3},
		{"mas.yoga", auth.RoleFacilitator, 90, 3},
		{"arif.pulih", auth.RoleFacilitator, 2, 1}, // in training
	}
	for _, p := range people {
		if err := a.Auth.GrantRole(ctx, mustID(ctx, a, p.user), org, p.role); err != nil {
			return err
		}
		u, grants, err := a.Auth.Lookup(ctx, p.user)
		if err != nil {
			return err
		}
		uctx := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
		when := time.Now().AddDate(0, 0, -p.daysAgo)
		past := a.Training.WithClock(func() time.Time { return when })
		for _, id := range modules[:p.modules] {
			m, err := past.Module(uctx, id)
			if err != nil {
				return err
			}
			answers := map[int64]int{}
			for _, q := range m.Quiz {
				answers[q.ID] = q.Correct
			}
			if _, err := past.Submit(uctx, id, answers); err != nil {
				return fmt.Errorf("demo: %s passes %s: %w", p.user, m.Title, err)
			}
		}
	}
	return nil
}
