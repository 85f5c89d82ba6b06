package evaluation

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/i18n"
)

// Figures is a dashboard as a page shows it, in one language: the charts
// drawn and the month labels written.
type Figures struct {
	D          *Dashboard
	Lang       string
	Attendance []MonthRow
	Cohorts    []CohortRow
	Charts     struct{ Attendance, Retention, Outcomes, Wellbeing, Feedback template.HTML }
	// Prefix keeps element ids unique when a page shows several dashboards.
	Prefix string
	Months []int // RetentionMonths
}

// Exact writes v with as many decimals as it has (a reliability such as
// 0.867), in the page's language.
func (f *Figures) Exact(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if f.Lang == "id" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Num writes v with decimals places in the page's language.
func (f *Figures) Num(v float64, decimals int) string { return FormatNumber(v, decimals, f.Lang) }

// MonthRow is a month of attendance with its label.
type MonthRow struct {
	Label string
	MonthAttendance
}

// CohortRow is a cohort with its label.
type CohortRow struct {
	Label string
	Cohort
}

// translator writes a key in one language; a missing key (caught by the
// tests in both languages) falls back to the key itself.
type translator func(key string, args ...any) string

func newTranslator(b *i18n.Bundle, lang string) translator {
	return func(key string, args ...any) string {
		s, err := b.T(lang, key, args...)
		if err != nil {
			return key
		}
		return s
	}
}

// monthLabel writes "January 2026"; short, "Jan 2026".
func monthLabel(t translator, m time.Time, short bool) string {
	names := strings.Split(t("date.months"), ",")
	name := m.Month().String()
	if len(names) == 12 {
		name = strings.TrimSpace(names[m.Month()-1])
	}
	if short && len([]rune(name)) > 3 {
		name = string([]rune(name)[:3])
	}
	return name + " " + strconv.Itoa(m.Year())
}

// NewFigures prepares d for a page in lang.
func NewFigures(d *Dashboard, b *i18n.Bundle, lang, prefix string) *Figures {
	t := newTranslator(b, lang)
	f := &Figures{D: d, Lang: lang, Prefix: prefix, Months: RetentionMonths}
	fewer := t("evaluation.fewer", "n", MinCell)
	show := func(c Cell, pct bool) string {
		switch {
		case c.Hidden:
			return fewer
		case c.Empty() && pct:
			return "–"
		case pct:
			return c.Percent(lang)
		}
		return c.Fmt(lang)
	}

	var bars []Bar
	max := 0.0
	for _, m := range d.Attendance.Months {
		f.Attendance = append(f.Attendance, MonthRow{Label: monthLabel(t, m.Month, false), MonthAttendance: m})
		bars = append(bars, Bar{Label: monthLabel(t, m.Month, true), Value: m.Present.Value, Text: show(m.Present, false), Hidden: m.Present.Hidden})
		if !m.Present.Hidden && m.Present.Value > max {
			max = m.Present.Value
		}
	}
	for i := range bars {
		if bars[i].Hidden {
			bars[i].Text = "<" + strconv.Itoa(MinCell)
		}
	}
	f.Charts.Attendance = Columns(prefix+"ch-att", t("evaluation.chart.attendance"), t("evaluation.chart.attendance_desc", "n", MinCell), bars, max)

	var ret []Bar
	for _, c := range d.Retention {
		if c.Size.People > 0 { // months nobody joined in add nothing to read
			f.Cohorts = append(f.Cohorts, CohortRow{Label: monthLabel(t, c.Month, false), Cohort: c})
		}
	}
	for i, after := range RetentionMonths {
		// Pool the shown cohorts that have reached this month, so the chart
		// shows one share per month after joining (a suppressed cohort is
		// left out, or the pool would give its share away).
		reached, size := 0, 0
		for _, c := range d.Retention {
			r := c.After[i]
			if r.NotYet || c.Size.People == 0 || c.Size.Hidden {
				continue
			}
			size += c.Size.People
			reached += int(r.Share.Value*float64(c.Size.People) + 0.5)
		}
		k := cells{exempt: d.Scope.Exempt}
		share := k.share(reached, size)
		text := show(share, true)
		if size == 0 {
			text = t("evaluation.no_data")
		}
		ret = append(ret, Bar{Label: t("evaluation.after_months", "n", after), Value: share.Value, Text: text, Hidden: share.Hidden || size == 0})
	}
	f.Charts.Retention = HBars(prefix+"ch-ret", t("evaluation.chart.retention"), t("evaluation.chart.retention_desc"), ret, 1)

	var stacks []Stack
	for _, o := range d.Outcomes {
		st := Stack{Label: o.Instrument.Name.In(lang), Hidden: o.N.Hidden}
		if o.N.Hidden {
			st.Note = t("evaluation.fewer_people", "n", MinCell)
		} else {
			st.Shares = []float64{o.Improved.Value, o.Unchanged.Value, o.Worse.Value}
			st.Note = t("evaluation.chart.rci_note", "improved", show(o.Improved, true), "unchanged", show(o.Unchanged, true),
				"worse", show(o.Worse, true), "n", o.N.Fmt(lang))
		}
		stacks = append(stacks, st)
	}
	f.Charts.Outcomes = Stacks(prefix+"ch-out", t("evaluation.chart.outcomes"), t("evaluation.chart.outcomes_desc"), stacks)

	var wb []Bar
	for _, ind := range d.Wellbeing {
		in := ind.Instrument
		span := in.Max - in.Min
		bar := Bar{Label: in.Name.In(lang), Hidden: ind.Mean.Hidden || ind.People.People == 0}
		switch {
		case ind.Mean.Hidden:
			bar.Text = fewer
		case ind.People.People == 0:
			bar.Text = t("evaluation.no_data")
		default:
			bar.Value = ind.Mean.Value - in.Min
			bar.Text = t("evaluation.mean_of", "mean", ind.Mean.Fmt(lang), "min", FormatNumber(in.Min, 0, lang), "max", FormatNumber(in.Max, 0, lang))
		}
		if in.HigherIsBetter {
			bar.Note = t("evaluation.higher_better")
		} else {
			bar.Note = t("evaluation.lower_better")
		}
		// Each bar is drawn on its own instrument's scale.
		if span > 0 {
			bar.Value /= span
		}
		wb = append(wb, bar)
	}
	f.Charts.Wellbeing = HBars(prefix+"ch-wb", t("evaluation.chart.wellbeing"), t("evaluation.chart.wellbeing_desc"), wb, 1)

	fb := []Bar{
		{Label: t("evaluation.feedback.helpful"), Value: d.Feedback.Helpful.Value, Text: show(d.Feedback.Helpful, false), Hidden: d.Feedback.Helpful.Hidden},
		{Label: t("evaluation.feedback.safe"), Value: d.Feedback.Safe.Value, Text: show(d.Feedback.Safe, false), Hidden: d.Feedback.Safe.Hidden},
	}
	if d.Feedback.People.People == 0 {
		for i := range fb {
			fb[i].Text, fb[i].Hidden = t("evaluation.no_data"), true
		}
	}
	f.Charts.Feedback = HBars(prefix+"ch-fb", t("evaluation.chart.feedback"), t("evaluation.chart.feedback_desc"), fb, 5)
	return f
}
