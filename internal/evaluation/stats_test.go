package evaluation

import (
	"math"
	"testing"

	"github.com/rangkul/rangkul/internal/auth"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f", name, got, want)
	}
}

func outcomeOf(t *testing.T, d *Dashboard, code string) Outcome {
	t.Helper()
	for _, o := range d.Outcomes {
		if o.Instrument.Code == code {
			return o
		}
	}
	t.Fatalf("no %s outcome in %+v", code, d.Outcomes)
	return Outcome{}
}

// TestPairedChangeByHand stores six people's PHQ-9 baselines and follow-ups
// with known totals and checks the dashboard's figures against values worked
// out by hand:
//
//	pre  15 12 20  9 18 14   mean 88/6 = 14.667
//	post  8 10 12  9 19  6   mean 64/6 = 10.667
//	diff -7 -2 -8  0  1 -8   mean -4, sum of squared deviations 86, SD sqrt(86/5) = 4.1473
//	95% CI: -4 ± t(0.975, 5) 2.570582 × 4.1473 / sqrt(6) = -4 ± 4.3523
//	d_z = -4 / 4.1473 = -0.9645
//	SD at baseline sqrt(79.333/5) = 3.9833; SDiff = sqrt(2) × 3.9833 × sqrt(1 - 0.89) = 1.8684;
//	reliable when |diff| > 1.96 × 1.8684 = 3.662: -7, -8, -8 better; -2, 0, 1 unchanged
//	clinical at baseline (>= 10): 15 12 20 18 14; out of it at follow-up: 8 and 6, so 2 of 5
//
// Person 1's earlier follow-up (13), a follow-up before the period, one
// without a baseline and another organisation's pair are all left out.
func TestPairedChangeByHand(t *testing.T) {
	f := newFx(t)
	orgA, orgB := f.org("a"), f.org("b")
	coord, analyst := f.user("coord"), f.user("analyst")
	f.grant(coord, orgA, auth.RoleCoordinator)
	f.grant(analyst, orgB, auth.RoleAnalyst)
	g, g2 := f.group(orgA, "Ruang", "depression"), f.group(orgB, "Lain", "grief")
	pre := []float64{15, 12, 20, 9, 18, 14}
	post := []float64{8, 10, 12, 9, 19, 6}
	for i := range pre {
		p := f.user("p" + string(rune('1'+i)))
		f.member(g, p, "member", day(2025, 12, 1))
		b := f.response(p, orgA, g, "phq9", "baseline", pre[i], 0, day(2026, 1, 10))
		if i == 0 {
			f.response(p, orgA, g, "phq9", "followup", 13, b, day(2026, 3, 10))
			f.response(p, orgA, g, "phq9", "leaving", post[i], b, day(2026, 5, 10))
			continue
		}
		f.response(p, orgA, g, "phq9", "followup", post[i], b, day(2026, 5, 1))
	}
	early := f.user("early")
	f.member(g, early, "member", day(2025, 5, 1))
	b := f.response(early, orgA, g, "phq9", "baseline", 22, 0, day(2025, 6, 1))
	f.response(early, orgA, g, "phq9", "followup", 3, b, day(2025, 12, 15))
	f.response(early, orgA, g, "phq9", "followup", 3, 0, day(2026, 2, 1))
	other := f.user("other")
	f.member(g2, other, "member", day(2026, 1, 1))
	b = f.response(other, orgB, g2, "phq9", "baseline", 27, 0, day(2026, 1, 5))
	f.response(other, orgB, g2, "phq9", "followup", 0, b, day(2026, 4, 5))

	d, err := f.s.Dashboard(f.as(coord), period())
	if err != nil {
		t.Fatal(err)
	}
	if d.Scope.Level != LevelOrg || d.Scope.Exempt {
		t.Fatalf("scope %+v", d.Scope)
	}
	o := outcomeOf(t, d, "phq9")
	if o.N.Value != 6 || o.N.Hidden {
		t.Fatalf("N = %+v, want 6 shown", o.N)
	}
	sd := math.Sqrt(86.0 / 5)
	half := 2.570582 * sd / math.Sqrt(6)
	near(t, "mean pre", o.MeanPre.Value, 88.0/6, 1e-9)
	near(t, "mean post", o.MeanPost.Value, 64.0/6, 1e-9)
	near(t, "mean change", o.MeanChange.Value, -4, 1e-9)
	near(t, "CI low", o.CILow.Value, -4-half, 1e-5)
	near(t, "CI high", o.CIHigh.Value, -4+half, 1e-5)
	near(t, "d_z", o.Dz.Value, -4/sd, 1e-9)
	near(t, "reliably better", o.Improved.Value, 0.5, 1e-9)
	near(t, "no reliable change", o.Unchanged.Value, 0.5, 1e-9)
	near(t, "reliably worse", o.Worse.Value, 0, 1e-9)
	if o.ClinicalAtBaseline.Value != 5 {
		t.Errorf("clinical at baseline %v, want 5", o.ClinicalAtBaseline.Value)
	}
	near(t, "recovered", o.Recovered.Value, 0.4, 1e-9)
	if o.Change.Method != "rci" || o.Instrument.Reliability != 0.89 {
		t.Errorf("method %q with reliability %v", o.Change.Method, o.Instrument.Reliability)
	}
	// With 5 clinical at baseline, the share is shown; an instrument's
	// threshold is worked out above from its reliability.
	if o.Recovered.Hidden {
		t.Error("recovered share hidden with 5 people")
	}

	// The analyst sees the network: the other organisation's pair joins.
	d, err = f.s.Dashboard(f.as(analyst), period())
	if err != nil {
		t.Fatal(err)
	}
	if d.Scope.Level != LevelNetwork {
		t.Fatalf("analyst scope %q", d.Scope.Level)
	}
	if o := outcomeOf(t, d, "phq9"); o.N.Value != 7 {
		t.Errorf("network N = %v, want 7", o.N.Value)
	}
	// A topic narrows to groups on it.
	fl := period()
	fl.Topic = "grief"
	d, err = f.s.Dashboard(f.as(analyst), fl)
	if err != nil {
		t.Fatal(err)
	}
	if o := outcomeOf(t, d, "phq9"); o.N.Value != 1 || !o.N.Hidden {
		t.Errorf("grief N = %+v, want 1 hidden", o.N)
	}
}

// TestWellbeingAndFeedbackByHand: the mean of each person's latest WHO-5 in
// the period, and meeting feedback means.
func TestWellbeingAndFeedbackByHand(t *testing.T) {
	f := newFx(t)
	org := f.org("a")
	coord := f.user("coord")
	f.grant(coord, org, auth.RoleCoordinator)
	g := f.group(org, "Ruang", "anxiety")
	s := f.session(g, day(2026, 2, 3))
	totals := []float64{40, 60, 52, 48, 80}
	helpful := []int{5, 4, 3, 5, 4}
	safe := []int{5, 5, 4, 4, 3}
	for i, total := range totals {
		p := f.user("w" + string(rune('a'+i)))
		f.member(g, p, "member", day(2026, 1, 5))
		if i == 0 {
			f.response(p, org, g, "who5", "adhoc", 20, 0, day(2026, 2, 1))
		}
		f.response(p, org, g, "who5", "adhoc", total, 0, day(2026, 4, 1))
		f.feedback(s, day(2026, 2, 3), p, helpful[i], safe[i])
	}
	d, err := f.s.Dashboard(f.as(coord), period())
	if err != nil {
		t.Fatal(err)
	}
	var who5 Indicator
	for _, ind := range d.Wellbeing {
		if ind.Instrument.Code == "who5" {
			who5 = ind
		}
	}
	if who5.People.Value != 5 {
		t.Fatalf("WHO-5 people %v", who5.People.Value)
	}
	near(t, "WHO-5 mean", who5.Mean.Value, 56, 1e-9)        // (40+60+52+48+80)/5
	near(t, "helpful", d.Feedback.Helpful.Value, 4.2, 1e-9) // 21/5
	near(t, "safe", d.Feedback.Safe.Value, 4.2, 1e-9)       // 21/5
	if d.Feedback.People.Value != 5 || d.Feedback.Helpful.Hidden {
		t.Errorf("feedback %+v", d.Feedback)
	}
}
