package referrals

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
)

// SmallCell is the smallest count shown to someone who is not staff of the
// organisation a row is about: 1 to 4 referrals could point at a person.
const SmallCell = 5

// Cell is one count of the report; Hidden when it is too small to show the
// viewer.
type Cell struct {
	N      int
	Hidden bool
	// Other: hidden although not small, so that a small count hidden beside
	// it cannot be worked out from the total by subtraction.
	Other bool
}

// Row is the figures of one referrer organisation or one destination.
type Row struct {
	Name       string
	Kind       string // for destinations: KindGroup or KindService
	Volume     Cell
	Accepted   Cell
	Attended   Cell
	Answered   int  // accepted, declined or no response: those whose answer is known
	Rate       int  // acceptance, percent of Answered
	RateShown  bool // there is a rate and the viewer may see it
	Median     string
	MedianShow bool
	staff      bool
	days       []float64
}

// Bar is one step of the report's chart.
type Bar struct {
	Key    string // a status, or "joined"
	N      Cell
	Y, W   int
	LabelY int
}

// Report is the referrals report.
type Report struct {
	Period        string
	Total         Row
	Bars          []Bar
	ChartHeight   int
	ByReferrer    []Row
	ByDestination []Row
}

// Periods are the report's choices of time span, in days ("all": since the start).
var Periods = []string{"90", "365", "all"}

// canReport: coordinators and administrators (who manage groups), and
// analysts.
func canReport(p *auth.Principal) bool {
	return p.SiteAdmin || p.CanAny(auth.PermManageGroups) || p.HasRole(auth.RoleAnalyst)
}

// CanReport reports whether the caller may read the report.
func CanReport(p *auth.Principal) bool { return p != nil && canReport(p) }

// staffOf: network administrators, and anyone with a role other than
// member in the organisation, see its small counts.
func staffOf(p *auth.Principal, orgID int64) bool {
	if p.SiteAdmin {
		return true
	}
	for _, g := range p.Grants {
		if g.OrgID == orgID && g.Role != auth.RoleMember {
			return true
		}
	}
	return false
}

func (r *Row) add(sent time.Time, accepted, declined, noResponse, attended *time.Time) {
	r.Volume.N++
	if accepted != nil {
		r.Accepted.N++
	}
	if accepted != nil || declined != nil || noResponse != nil {
		r.Answered++
	}
	if attended != nil {
		r.Attended.N++
		r.days = append(r.days, attended.Sub(sent).Hours()/24)
	}
}

// finish computes the rate and median and hides what the viewer may not see.
func (r *Row) finish() {
	hide := func(c *Cell) { c.Hidden = !r.staff && c.N > 0 && c.N < SmallCell }
	hide(&r.Volume)
	hide(&r.Accepted)
	hide(&r.Attended)
	r.RateShown = r.Answered > 0 && (r.staff || (r.Answered >= SmallCell && !r.Accepted.Hidden))
	if r.Answered > 0 {
		r.Rate = (r.Accepted.N*100 + r.Answered/2) / r.Answered
	}
	if len(r.days) > 0 && (r.staff || len(r.days) >= SmallCell) {
		sort.Float64s(r.days)
		n := len(r.days)
		m := r.days[n/2]
		if n%2 == 0 {
			m = (r.days[n/2-1] + r.days[n/2]) / 2
		}
		r.Median, r.MedianShow = strconv.FormatFloat(m, 'f', 1, 64), true
	}
}

// Report returns the referrals report for the period: volume, acceptance
// and the median days from sending to the first session, for the whole
// network, by referrer organisation and by destination.
func (s *Service) Report(ctx context.Context, period string) (Report, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Report{}, err
	}
	if !canReport(p) {
		return Report{}, auth.ErrForbidden
	}
	if err := s.SyncAttendance(ctx, nil); err != nil {
		return Report{}, err
	}
	rep := Report{Period: "365"}
	since := time.Time{}
	switch period {
	case "90", "all":
		rep.Period = period
	}
	if days, err := strconv.Atoi(rep.Period); err == nil {
		since = s.now().UTC().AddDate(0, 0, -days)
	}
	rows, err := s.db.Query(ctx, `SELECT r.referrer_org_id, ro.name, r.dest_kind, COALESCE(r.group_id, 0), r.service_id, r.dest_org_id,
		COALESCE(g.name, ''), r.sent_at, r.received_at, r.accepted_at, r.declined_at, r.no_response_at, r.claimed_at,
		r.first_attended_at, r.closed_at FROM referrals r JOIN organisations ro ON ro.id = r.referrer_org_id
		LEFT JOIN support_groups g ON g.id = r.group_id WHERE r.sent_at >= $1`, since)
	if err != nil {
		return Report{}, fmt.Errorf("referrals: report: %w", err)
	}
	defer rows.Close()
	byOrg, byDest := map[int64]*Row{}, map[string]*Row{}
	steps := map[string]int{}
	rep.Total.staff = p.SiteAdmin
	for rows.Next() {
		var orgID, groupID, destOrg int64
		var orgName, kind, serviceID, groupName string
		var sent time.Time
		var received, accepted, declined, noResponse, claimed, attended, closed *time.Time
		if err := rows.Scan(&orgID, &orgName, &kind, &groupID, &serviceID, &destOrg, &groupName, &sent, &received, &accepted,
			&declined, &noResponse, &claimed, &attended, &closed); err != nil {
			return Report{}, err
		}
		o := byOrg[orgID]
		if o == nil {
			o = &Row{Name: orgName, staff: staffOf(p, orgID)}
			byOrg[orgID] = o
		}
		key, name := "g"+strconv.FormatInt(groupID, 10), groupName
		if kind == KindService {
			key, name = "s"+serviceID, serviceID
			r := Referral{Kind: kind, ServiceID: serviceID, Destination: serviceID}
			s.name(ctx, &r)
			name = r.Destination
		}
		d := byDest[key]
		if d == nil {
			d = &Row{Name: name, Kind: kind, staff: staffOf(p, destOrg)}
			byDest[key] = d
		}
		for _, r := range []*Row{o, d, &rep.Total} {
			r.add(sent, accepted, declined, noResponse, attended)
		}
		steps[StatusSent]++
		for k, t := range map[string]*time.Time{StatusReceived: received, StatusAccepted: accepted, "joined": claimed, StatusAttended: attended, StatusClosed: closed} {
			if t != nil {
				steps[k]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return Report{}, err
	}
	rep.Total.finish()
	for _, r := range byOrg {
		r.finish()
		rep.ByReferrer = append(rep.ByReferrer, *r)
	}
	for _, r := range byDest {
		r.finish()
		rep.ByDestination = append(rep.ByDestination, *r)
	}
	for _, list := range [][]Row{rep.ByReferrer, rep.ByDestination} {
		for _, col := range []func(*Row) *Cell{
			func(r *Row) *Cell { return &r.Volume }, func(r *Row) *Cell { return &r.Accepted }, func(r *Row) *Cell { return &r.Attended },
		} {
			hideOther(list, &rep.Total, col)
		}
		for i := range list {
			list[i].RateShown = list[i].RateShown && (list[i].staff || !list[i].Accepted.Hidden)
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Volume.N != list[j].Volume.N {
				return list[i].Volume.N > list[j].Volume.N
			}
			return list[i].Name < list[j].Name
		})
	}
	rep.Total.RateShown = rep.Total.RateShown && (rep.Total.staff || !rep.Total.Accepted.Hidden)
	rep.chart(steps)
	return rep, nil
}

// hideOther is the complementary suppression of one column of a table:
// when exactly one cell is hidden, the total minus the others would give it
// away, so the smallest other cell the viewer could not see as staff is
// hidden too, or, if there is none, the column's total.
func hideOther(rows []Row, total *Row, col func(*Row) *Cell) {
	hidden, pick := 0, -1
	for i := range rows {
		c := col(&rows[i])
		if c.Hidden {
			hidden++
			continue
		}
		if !rows[i].staff && c.N > 0 && (pick < 0 || c.N < col(&rows[pick]).N) {
			pick = i
		}
	}
	if hidden != 1 {
		return
	}
	if pick >= 0 {
		c := col(&rows[pick])
		c.Hidden, c.Other = true, true
		return
	}
	if c := col(total); !total.staff && !c.Hidden {
		c.Hidden, c.Other = true, true
	}
}

// chart lays out the bars of the loop's steps: each bar's length is its
// share of the referrals sent.
func (rep *Report) chart(steps map[string]int) {
	const full, top, gap = 300, 8, 30
	for i, k := range []string{StatusSent, StatusReceived, StatusAccepted, "joined", StatusAttended, StatusClosed} {
		c := Cell{N: steps[k]}
		c.Hidden = !rep.Total.staff && c.N > 0 && c.N < SmallCell
		// A total hidden by hideOther stays hidden in the chart.
		for key, t := range map[string]Cell{StatusSent: rep.Total.Volume, StatusAccepted: rep.Total.Accepted, StatusAttended: rep.Total.Attended} {
			if key == k && t.Other {
				c.Hidden, c.Other = true, true
			}
		}
		b := Bar{Key: k, N: c, Y: top + i*gap}
		b.LabelY = b.Y + 15
		if rep.Total.Volume.N > 0 && !c.Hidden {
			b.W = c.N * full / rep.Total.Volume.N
		}
		rep.Bars = append(rep.Bars, b)
	}
	rep.ChartHeight = top*2 + len(rep.Bars)*gap
}
