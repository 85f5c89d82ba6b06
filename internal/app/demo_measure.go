package app

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/privacy"
)

// demoMeasured are the members the demo's measurement plans follow, by group
// (the demo groups' order, 1-based): existing demo members with their
// pseudonyms already set, and newcomers (username, pseudonym) who join here.
var demoMeasured = []struct {
	group    int64
	org      string
	existing []string
	joining  []string
}{
	{1, "yayasan-rangkul-jiwa", []string{"demo-member", "bunga.senja", "langit_biru"},
		[]string{"embun.pagi", "Embun", "lentera-kecil", "Lentera", "angin.selatan", "Angin", "pohon.randu", "Randu",
			"sore-tenang", "Sore Hari", "gerimis22", "Gerimis", "kunang.kunang", "Kunang"}},
	{2, "yayasan-rangkul-jiwa", nil,
		[]string{"arif.pulih", "Arif", "matahari.terbit", "Surya", "jalan.pelan", "Pelan", "batu.karang", "Karang",
			"rumah.hijau", "Hijau", "layang-layang", "Layang"}},
	{3, "yayasan-rangkul-jiwa", []string{"ibu-rina-carer", "bapak.budi"},
		[]string{"ibu.sekar", "Bu Sekar", "pak.darto", "Pak Darto", "kakak.merawat", "Kak Nia", "ayah.tangguh", "Ayah Joko",
			"mama.lia", "Mama Lia", "om.rudi", "Om Rudi"}},
	{4, "yayasan-rangkul-jiwa", []string{"pelangi88", "mawar.jingga", "teduh"},
		[]string{"bulan.sabit", "Sabit", "pagi-baru", "Pagi", "ruang.hening", "Hening", "cahaya.lilin", "Lilin",
			"daun.jatuh", "Daun", "langkah.kecil", "Langkah"}},
	{5, "klinik-jiwa-sehat-bandung", []string{"sinar-harapan", "hujan.reda"},
		[]string{"kabut.lembang", "Kabut", "teh.hangat", "Teh Hangat", "akang.sehat", "Akang", "neng.geulis", "Neng"}},
	{6, "komunitas-peduli-skizofrenia-makassar", nil,
		[]string{"anging-mammiri", "Anging", "ombak.losari", "Ombak", "pinisi.kecil", "Pinisi", "daeng.tenang", "Daeng Tenang",
			"pantai.akkarena", "Akkarena"}},
}

// demoExistingAccounts are the demo's own accounts among the measured
// members: they already have accounts (and some already asked to join).
var demoExistingAccounts = map[string]bool{"arif.pulih": true, "anging-mammiri": true, "ombak.losari": true}

var demoRegions = map[string][]string{
	"yayasan-rangkul-jiwa":                  {"DKI Jakarta", "DKI Jakarta", "DKI Jakarta", "Jawa Barat", "Banten"},
	"klinik-jiwa-sehat-bandung":             {"Jawa Barat", "Jawa Barat", "Jawa Barat", "DKI Jakarta"},
	"komunitas-peduli-skizofrenia-makassar": {"Sulawesi Selatan", "Sulawesi Selatan", "Sulawesi Barat"},
}

// demoPerson is one measured member of the demo and how they fare.
type demoPerson struct {
	user, org string
	group     int64
	joined    time.Time
	severity  float64 // how distressed at baseline, in standard deviations
	course    float64 // change by the follow-up: below 0 better, about 0 unchanged, above 0 worse
}

// loadDemoMeasure gives the demo network measurement plans with six months
// of baselines, follow-ups and a few leaving questionnaires from 44 members
// (most a little better at follow-up, some unchanged, a few worse, from a
// fixed seed), a feedback round with answers, research profiles and
// consents, and a PHQ-9 (with GAD-7 and WHO-5) follow-up due now for
// demo-member. Everything goes through the measurement service with its
// clock set to the moment it happens.
func (a *App) loadDemoMeasure(ctx context.Context, orgs map[string]int64) error {
	now := time.Now().UTC().Truncate(time.Minute)
	rng := rand.New(rand.NewPCG(2026, 5))
	day := 24 * time.Hour
	if err := a.demoMeasuredAccounts(ctx, orgs); err != nil {
		return err
	}
	as := func(name string) (context.Context, error) {
		u, grants, err := a.Auth.Lookup(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants}), nil
	}
	// Members join over the last six months; demo-member eight weeks ago.
	var people []demoPerson
	for _, dm := range demoMeasured {
		names := append([]string{}, dm.existing...)
		for j := 0; j+1 < len(dm.joining); j += 2 {
			names = append(names, dm.joining[j])
		}
		for i, name := range names {
			joined := now.Add(-time.Duration(14+rng.IntN(170)) * day).Add(-time.Duration(rng.IntN(600)) * time.Minute)
			if name == "demo-member" {
				joined = now.Add(-56 * day)
			}
			if i < len(dm.existing) {
				if _, err := a.DB.Exec(ctx, `UPDATE group_members SET joined_at = $1, created_at = $1, rules_accepted_at = $1
					WHERE group_id = $2 AND user_id = $3`, joined, dm.group, mustID(ctx, a, name)); err != nil {
					return err
				}
			} else {
				mctx, err := as(name)
				if err != nil {
					return err
				}
				at := a.Groups.WithClock(func() time.Time { return joined })
				pseudonym := dm.joining[2*(i-len(dm.existing))+1]
				status := ""
				var member int64
				err = a.DB.QueryRow(ctx, `SELECT id, status FROM group_members WHERE group_id = $1 AND user_id = $2`, dm.group, mustID(ctx, a, name)).
					Scan(&member, &status)
				if status != groups.StatusPending {
					if status, err = at.Join(mctx, dm.group, groups.JoinInput{DisplayName: pseudonym, AcceptRules: true}); err != nil {
						return fmt.Errorf("demo: %s joins group %d: %w", name, dm.group, err)
					}
				}
				if status == groups.StatusPending {
					if err := a.DB.QueryRow(ctx, `SELECT id FROM group_members WHERE group_id = $1 AND user_id = $2`, dm.group, mustID(ctx, a, name)).
						Scan(&member); err != nil {
						return err
					}
					if err := at.Decide(ctx, dm.group, member, true, "Selamat datang."); err != nil {
						return fmt.Errorf("demo: approve %s in group %d: %w", name, dm.group, err)
					}
				}
			}
			person := demoPerson{user: name, org: dm.org, group: dm.group, joined: joined, severity: rng.NormFloat64(), course: demoCourse(rng)}
			if name == "demo-member" { // moderate distress at baseline, so the chart has something to show
				person.severity = 0.9
			}
			people = append(people, person)
		}
	}
	recovery, err := a.demoMeasurePlans(ctx, orgs, now.Add(-200*day))
	if err != nil {
		return err
	}
	round, err := a.demoFeedbackRound(ctx, orgs["yayasan-rangkul-jiwa"], recovery, now.Add(-20*day), now.Add(10*day))
	if err != nil {
		return err
	}
	leavers := map[string]bool{"langkah.kecil": true, "om.rudi": true, "teh.hangat": true, "daun.jatuh": true}
	// Each person's questionnaires are answered in their own order, with their
	// own random numbers, several people at once (PostgreSQL serves them in
	// parallel; SQLite's single writer queues them).
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	work := make(chan int)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := a.demoMeasurePerson(ctx, people[i], rand.New(rand.NewPCG(2026, uint64(i))), round, leavers[people[i].user], now); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range people {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	// What is due today (demo-member's follow-ups among it), with its notices.
	return a.Measure.Scan(ctx, nil)
}

// demoMeasurePerson answers one member's questionnaires over time: the
// baseline within a few days of joining, most follow-ups within ten days of
// becoming due (demo-member's is due now), the feedback round for some, the
// leaving questionnaire for a leaver, and a research profile for most.
func (a *App) demoMeasurePerson(ctx context.Context, p demoPerson, rng *rand.Rand, round measure.Round, leaver bool, now time.Time) error {
	day := 24 * time.Hour
	u, grants, err := a.Auth.Lookup(ctx, p.user)
	if err != nil {
		return fmt.Errorf("demo: %s: %w", p.user, err)
	}
	mctx := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
	base := p.joined.Add(time.Duration(1+rng.IntN(4*24)) * time.Hour)
	if p.user == "demo-member" {
		base = now.Add(-50 * day)
	}
	if err := a.demoAnswerDue(mctx, base, rng, p, measure.Baseline); err != nil {
		return err
	}
	// Follow-ups after six weeks (and eight, in the social connection programme).
	follow := base.Add(6*7*day + time.Duration(rng.IntN(10*24))*time.Hour)
	followed := p.user != "demo-member" && follow.Before(now.Add(-time.Hour)) && rng.Float64() < 0.85
	if followed {
		if err := a.demoAnswerDue(mctx, follow, rng, p, measure.Followup); err != nil {
			return err
		}
		if later := follow.Add(14 * day); later.Before(now.Add(-time.Hour)) {
			if err := a.demoAnswerDue(mctx, later, rng, p, measure.Followup); err != nil {
				return err
			}
		}
	}
	if p.group != 2 && p.org == "yayasan-rangkul-jiwa" && p.user != "demo-member" && rng.Float64() < 0.6 {
		at := round.OpensAt.Add(time.Duration(rng.IntN(18*24)) * time.Hour)
		if at.Before(now) && !p.joined.After(at) {
			if err := a.demoAnswerRound(mctx, at, rng, p); err != nil {
				return err
			}
		}
	}
	if leaver && followed {
		left := follow.Add(time.Duration(3+rng.IntN(10)) * day)
		if left.Before(now.Add(-2 * day)) {
			if err := a.Groups.WithClock(func() time.Time { return left }).Leave(mctx, p.group); err != nil {
				return err
			}
			if err := a.demoAnswerDue(mctx, left.Add(day), rng, p, measure.Leaving); err != nil {
				return err
			}
		}
	}
	return a.demoProfile(mctx, rng, p)
}

// demoCourse draws how someone fares: most a little better, some about the
// same, a few worse.
func demoCourse(rng *rand.Rand) float64 {
	switch r := rng.Float64(); {
	case r < 0.62:
		return -0.4 - rng.Float64()*0.8
	case r < 0.86:
		return rng.Float64()*0.3 - 0.15
	default:
		return 0.3 + rng.Float64()*0.5
	}
}

// demoRandomHash is the password hash cost of demo newcomers. Their
// passwords are 144 random bits that nobody is ever told: stretching protects
// guessable passwords and adds nothing to these, and at the production cost
// thirty of them took seconds of the demo's start on a busy machine.
var demoRandomHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// demoMeasuredAccounts creates the newcomers' accounts, members of their
// organisation, who agreed to take part, most of them also to research use.
func (a *App) demoMeasuredAccounts(ctx context.Context, orgs map[string]int64) error {
	register := auth.NewService(a.DB, a.Audit, auth.Options{Hash: demoRandomHash})
	type account struct{ name, org string }
	var list []account
	for _, dm := range demoMeasured {
		for j := 0; j+1 < len(dm.joining); j += 2 {
			if !demoExistingAccounts[dm.joining[j]] {
				list = append(list, account{dm.joining[j], dm.org})
			}
		}
	}
	for _, acc := range list {
		u, _, err := register.Register(ctx, auth.Registration{Username: acc.name, Password: RandomPassword()})
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", acc.name, err)
		}
		if err := a.Auth.GrantRole(ctx, u.ID, orgs[acc.org], auth.RoleMember); err != nil {
			return err
		}
	}
	texts := map[string]int{}
	for _, purpose := range []string{privacy.PurposeParticipation, privacy.PurposeResearch} {
		t, err := a.Privacy.CurrentText(ctx, purpose, "id")
		if err != nil {
			return err
		}
		texts[purpose] = t.Version
	}
	for i, acc := range list {
		u, grants, err := a.Auth.Lookup(ctx, acc.name)
		if err != nil {
			return err
		}
		uctx := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
		if err := a.Privacy.Agree(uctx, privacy.PurposeParticipation, texts[privacy.PurposeParticipation], "id"); err != nil {
			return err
		}
		if i%5 != 3 { // four in five agree to research use
			if err := a.Privacy.Agree(uctx, privacy.PurposeResearch, texts[privacy.PurposeResearch], "id"); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoMeasurePlans creates the plans: the foundation's recovery programme
// (PHQ-9, GAD-7 and WHO-5 on joining and after six weeks, PHQ-9 on leaving)
// over three groups, its social connection programme (UCLA-3 and OSSS-3, on
// joining and after eight weeks) over two, and a recovery plan in Bandung and
// in Makassar.
func (a *App) demoMeasurePlans(ctx context.Context, orgs map[string]int64, at time.Time) (int64, error) {
	svc := a.Measure.WithClock(func() time.Time { return at })
	plans := []struct {
		org    string
		name   string
		groups []int64
		codes  []string
		weeks  int
		leave  bool
	}{
		{"yayasan-rangkul-jiwa", "Program Pemulihan 2026", []int64{1, 3, 4}, []string{"phq9", "gad7", "who5"}, 6, true},
		{"yayasan-rangkul-jiwa", "Program Koneksi Sosial", []int64{2, 3}, []string{"ucla3", "osss3"}, 8, false},
		{"klinik-jiwa-sehat-bandung", "Pemantauan Pemulihan Klinik", []int64{5}, []string{"phq9", "gad7", "who5"}, 6, false},
		{"komunitas-peduli-skizofrenia-makassar", "Evaluasi Sipakatau", []int64{6}, []string{"phq9", "gad7", "who5"}, 6, false},
	}
	var first int64
	for _, pl := range plans {
		id, err := svc.CreatePlan(ctx, orgs[pl.org], measure.PlanInput{Name: pl.name, Groups: pl.groups, Active: true})
		if err != nil {
			return 0, fmt.Errorf("demo: plan %s: %w", pl.name, err)
		}
		if first == 0 {
			first = id
		}
		for _, code := range pl.codes {
			if _, err := svc.AddStep(ctx, id, measure.StepInput{What: "instrument:" + code, Timepoint: measure.Baseline}); err != nil {
				return 0, fmt.Errorf("demo: plan %s: %w", pl.name, err)
			}
		}
		for _, code := range pl.codes {
			if _, err := svc.AddStep(ctx, id, measure.StepInput{What: "instrument:" + code, Timepoint: measure.Followup,
				After: "weeks", Count: strconv.Itoa(pl.weeks)}); err != nil {
				return 0, fmt.Errorf("demo: plan %s: %w", pl.name, err)
			}
		}
		if pl.leave {
			if _, err := svc.AddStep(ctx, id, measure.StepInput{What: "instrument:phq9", Timepoint: measure.Leaving}); err != nil {
				return 0, err
			}
		}
	}
	return first, nil
}

// demoFeedbackRound writes the foundation's feedback survey, a draft survey
// without questions yet, and opens a round of the first over the recovery
// programme's groups.
func (a *App) demoFeedbackRound(ctx context.Context, org, plan int64, opens, closes time.Time) (measure.Round, error) {
	svc := a.Measure.WithClock(func() time.Time { return opens })
	sid, err := svc.CreateSurvey(ctx, org, measure.SurveyInput{Title: "Bagaimana kelompok ini untukmu?",
		Intro: "Lima pertanyaan singkat tentang kelompokmu, sekitar dua menit. Jawabanmu membantu kami membuat pertemuan lebih baik.", Scored: true})
	if err != nil {
		return measure.Round{}, err
	}
	questions := []measure.QuestionInput{
		{Kind: measure.KindSingle, Prompt: "Seberapa membantu kelompok ini bagimu?", Required: true,
			Choices: "Tidak membantu = 0\nSedikit membantu = 1\nCukup membantu = 2\nSangat membantu = 3"},
		{Kind: measure.KindScale, Prompt: "Seberapa aman rasanya berbagi cerita di kelompok?", Min: "1", Max: "5",
			LowLabel: "Tidak aman", HighLabel: "Sangat aman", Required: true},
		{Kind: measure.KindMultiple, Prompt: "Apa yang paling membantumu?",
			Choices: "Mendengar cerita teman = 0\nLatihan napas dan relaksasi = 0\nInformasi layanan = 0\nDukungan fasilitator = 0"},
		{Kind: measure.KindText, Prompt: "Ada saran untuk kami?"},
	}
	for _, q := range questions {
		if _, err := svc.AddQuestion(ctx, sid, q); err != nil {
			return measure.Round{}, fmt.Errorf("demo: survey question: %w", err)
		}
	}
	if _, err := svc.CreateSurvey(ctx, org, measure.SurveyInput{Title: "Survei kegiatan sosial (draf)"}); err != nil {
		return measure.Round{}, err
	}
	zone := a.Groups.Zone
	rid, err := svc.OpenRound(ctx, org, measure.RoundInput{Title: "Masukan paruh tahun", Survey: strconv.FormatInt(sid, 10),
		Target: "plan:" + strconv.FormatInt(plan, 10), Opens: opens.In(zone).Format("2006-01-02"), Closes: closes.In(zone).Format("2006-01-02")})
	if err != nil {
		return measure.Round{}, fmt.Errorf("demo: round: %w", err)
	}
	rounds, err := svc.Rounds(ctx, org)
	if err != nil {
		return measure.Round{}, err
	}
	for _, r := range rounds {
		if r.ID == rid {
			return r, nil
		}
	}
	return measure.Round{}, fmt.Errorf("demo: round %d not found", rid)
}

// demoAnswerDue answers, at time at, every open questionnaire of a timepoint
// for one member, with answers that fit how they fare.
func (a *App) demoAnswerDue(mctx context.Context, at time.Time, rng *rand.Rand, p demoPerson, timepoint string) error {
	svc := a.Measure.WithClock(func() time.Time { return at })
	open, err := svc.OpenDue(mctx)
	if err != nil {
		return err
	}
	shift := 0.0
	if timepoint != measure.Baseline {
		shift = p.course
	}
	for _, d := range open {
		if d.Timepoint != timepoint || d.Instrument == "" || d.GroupID != p.group {
			continue
		}
		in, _ := outcomes.Lookup(d.Instrument)
		form := demoItems(in, p.severity, shift, rng)
		if _, err := svc.Submit(mctx, d.ID, "id", form); err != nil {
			return fmt.Errorf("demo: %s answers %s: %w", p.user, d.Instrument, err)
		}
	}
	return nil
}

// demoItems answers an instrument for someone severity standard deviations
// more distressed than usual, shifted by their course (in the same units).
// Nobody in the demo answers above the lowest on a safety item.
func demoItems(in *outcomes.Instrument, severity, shift float64, rng *rand.Rand) map[string][]string {
	// Distress as a share of the scale: about a third, more with severity.
	share := 0.4 + 0.17*(severity+shift*2.2) + rng.NormFloat64()*0.05
	if in.HigherIsBetter {
		share = 1 - share
	}
	share = math.Max(0.04, math.Min(0.92, share))
	form := map[string][]string{}
	var scored []int
	lo, hi := 0, 0
	for i, it := range in.Items {
		cs := in.ChoicesOf(i)
		minV, maxV := cs[0].Value, cs[0].Value
		for _, c := range cs {
			minV, maxV = min(minV, c.Value), max(maxV, c.Value)
		}
		switch {
		case it.Safety:
			form[measure.ItemField(i)] = []string{strconv.Itoa(minV)}
		case !it.Scored:
			form[measure.ItemField(i)] = []string{strconv.Itoa(min(maxV, int(share*float64(maxV+1))))}
		default:
			scored = append(scored, i)
			lo += minV
			hi += maxV
			form[measure.ItemField(i)] = []string{strconv.Itoa(minV)}
		}
	}
	left := int(math.Round(share * float64(hi-lo)))
	values := map[int]int{}
	for _, i := range scored {
		values[i], _ = strconv.Atoi(form[measure.ItemField(i)][0])
	}
	for left > 0 {
		i := scored[rng.IntN(len(scored))]
		cs := in.ChoicesOf(i)
		top := cs[0].Value
		for _, c := range cs {
			top = max(top, c.Value)
		}
		if values[i] < top {
			values[i]++
			left--
		}
	}
	for _, i := range scored {
		form[measure.ItemField(i)] = []string{strconv.Itoa(values[i])}
	}
	return form
}

// demoAnswerRound answers the feedback round for one member at time at.
func (a *App) demoAnswerRound(mctx context.Context, at time.Time, rng *rand.Rand, p demoPerson) error {
	svc := a.Measure.WithClock(func() time.Time { return at })
	open, err := svc.OpenDue(mctx)
	if err != nil {
		return err
	}
	for _, d := range open {
		if d.RoundID == 0 {
			continue
		}
		sv, err := svc.Survey(auth.System(mctx), d.SurveyID)
		if err != nil {
			return err
		}
		good := p.course < 0
		form := map[string][]string{}
		for _, q := range sv.Questions {
			f := measure.QuestionField(q.ID)
			switch q.Kind {
			case measure.KindSingle:
				v := 1 + rng.IntN(2)
				if good {
					v = 2 + rng.IntN(2)
				}
				form[f] = []string{strconv.Itoa(v)}
			case measure.KindScale:
				v := 2 + rng.IntN(3)
				if good {
					v = 3 + rng.IntN(3)
				}
				form[f] = []string{strconv.Itoa(v)}
			case measure.KindMultiple:
				for c := range q.Choices {
					if rng.Float64() < 0.45 {
						form[f] = append(form[f], strconv.Itoa(c))
					}
				}
			case measure.KindText:
				if rng.Float64() < 0.3 {
					form[f] = []string{[]string{"Semoga ada pertemuan tatap muka lebih sering.",
						"Terima kasih, saya merasa lebih tenang setelah ikut.", "Waktu diskusinya kadang terlalu singkat."}[rng.IntN(3)]}
				}
			}
		}
		if _, err := svc.Submit(mctx, d.ID, "id", form); err != nil {
			return fmt.Errorf("demo: %s answers the round: %w", p.user, err)
		}
	}
	return nil
}

// demoProfile gives most members a research profile: varied ages, genders
// and regions, so that exports show how they are generalised.
func (a *App) demoProfile(mctx context.Context, rng *rand.Rand, p demoPerson) error {
	if rng.Float64() < 0.15 {
		return nil // some prefer not to say anything
	}
	in := measure.ProfileInput{BirthYear: strconv.Itoa(1958 + rng.IntN(48))}
	switch r := rng.Float64(); {
	case r < 0.55:
		in.Gender = "female"
	case r < 0.93:
		in.Gender = "male"
	case r < 0.97:
		in.Gender = "other"
	}
	if rng.Float64() < 0.9 {
		regions := demoRegions[p.org]
		in.Region = regions[rng.IntN(len(regions))]
	}
	return a.Measure.SaveProfile(mctx, in)
}
