package directory

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/hsds"
)

// LanguageChoice is a language the curation form offers as a tick box.
type LanguageChoice struct {
	Code string // as stored in HSDS (ISO 639-1, else 639-3)
	Name string // the name stored with it
}

// LanguageChoices are the languages most services in Indonesia are offered
// in; others are typed by name.
var LanguageChoices = []LanguageChoice{
	{"id", "Bahasa Indonesia"},
	{"en", "English"},
	{"jv", "Basa Jawa"},
	{"su", "Basa Sunda"},
	{"ban", "Basa Bali"},
	{"mad", "Basa Madhura"},
	{"min", "Baso Minang"},
	{"bug", "Basa Ugi"},
	{"zh", "Mandarin"},
	{"ar", "Arabic"},
	{"inl", "Bahasa Isyarat Indonesia (BISINDO)"},
}

func choiceFor(lang hsds.Language) (LanguageChoice, bool) {
	aliases := hsds.LanguageAliases(lang.Code)
	if lang.Code == "" {
		aliases = hsds.LanguageAliases(lang.Name)
	}
	for _, c := range LanguageChoices {
		for _, a := range aliases {
			if a == c.Code || strings.EqualFold(a, c.Name) {
				return c, true
			}
		}
	}
	return LanguageChoice{}, false
}

// Weekdays are the days of the opening hours form, Monday first, with
// their iCalendar codes.
var Weekdays = []struct {
	Code string
	Day  int // time.Weekday
}{{"MO", 1}, {"TU", 2}, {"WE", 3}, {"TH", 4}, {"FR", 5}, {"SA", 6}, {"SU", 0}}

// Statuses are the HSDS service statuses, in the form's order.
var Statuses = []string{"active", "temporarily closed", "inactive", "defunct"}

// Costs are the cost classes the form offers ("" is "not stated").
var Costs = []string{hsds.CostFree, hsds.CostLow, hsds.CostPaid}

// PhoneRow is one telephone line in the curation form.
type PhoneRow struct{ ID, Number, Description string }

// Input is the curation form of a listing, as typed.
type Input struct {
	Name, Organization, Description, URL, Email, Status    string
	OrganizationDescription                                string // for an organisation new to the directory
	ApplicationProcess, Eligibility, Fees, WaitTime, Alert string
	Cost                                                   string
	Languages                                              []string // codes of LanguageChoices
	OtherLanguages                                         string   // names, comma-separated
	Phones                                                 []PhoneRow
	Opens, Closes                                          map[string]string // by weekday code
	HoursNote                                              string
	Online                                                 bool
	OnlineURL                                              string
	InPerson                                               bool
	Address, City, Province, PostalCode                    string
	Latitude, Longitude                                    string
	Transportation, Accessibility                          string
	Terms                                                  []string // taxonomy term ids
}

// InputFromValues reads the curation form.
func InputFromValues(v url.Values) Input {
	in := Input{Name: v.Get("name"), Organization: v.Get("organization"),
		OrganizationDescription: v.Get("organization_description"), Description: v.Get("description"), URL: v.Get("url"),
		Email: v.Get("email"), Status: v.Get("status"), ApplicationProcess: v.Get("application_process"),
		Eligibility: v.Get("eligibility_description"), Fees: v.Get("fees_description"), WaitTime: v.Get("wait_time"),
		Alert: v.Get("alert"), Cost: v.Get("cost"), Languages: v["language"], OtherLanguages: v.Get("other_languages"),
		HoursNote: v.Get("hours_note"), Online: v.Get("online") == "1", OnlineURL: v.Get("online_url"),
		InPerson: v.Get("in_person") == "1", Address: v.Get("address_1"), City: v.Get("city"), Province: v.Get("province"),
		PostalCode: v.Get("postal_code"), Latitude: v.Get("latitude"), Longitude: v.Get("longitude"),
		Transportation: v.Get("transportation"), Accessibility: v.Get("accessibility"), Terms: v["term"],
		Opens: map[string]string{}, Closes: map[string]string{}}
	ids, nums, descs := v["phone_id"], v["phone_number"], v["phone_description"]
	for i, n := range nums {
		row := PhoneRow{Number: n}
		if i < len(ids) {
			row.ID = ids[i]
		}
		if i < len(descs) {
			row.Description = descs[i]
		}
		in.Phones = append(in.Phones, row)
	}
	for _, d := range Weekdays {
		in.Opens[d.Code] = v.Get("opens_" + strings.ToLower(d.Code))
		in.Closes[d.Code] = v.Get("closes_" + strings.ToLower(d.Code))
	}
	return in
}

// Values writes a listing into the curation form's fields.
func Values(sv *hsds.Service) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("name", sv.Name)
	if sv.Organization != nil {
		set("organization", sv.Organization.Name)
	}
	set("description", sv.Description)
	set("url", sv.URL)
	set("email", sv.Email)
	set("status", sv.Status)
	set("application_process", sv.ApplicationProcess)
	set("eligibility_description", sv.EligibilityDescription)
	set("fees_description", sv.FeesDescription)
	set("wait_time", sv.WaitTime)
	set("alert", sv.Alert)
	set("cost", sv.Curation.CostClass)
	var others []string
	chosen := map[string]bool{}
	for _, l := range sv.Languages {
		if c, ok := choiceFor(l); ok {
			chosen[c.Code] = true
		} else if l.Name != "" {
			others = append(others, l.Name)
		} else if l.Code != "" {
			others = append(others, l.Code)
		}
	}
	for _, c := range LanguageChoices {
		if chosen[c.Code] {
			v.Add("language", c.Code)
		}
	}
	sort.Strings(others)
	set("other_languages", strings.Join(others, ", "))
	for _, p := range sv.Phones {
		v.Add("phone_id", p.ID)
		v.Add("phone_number", p.Number)
		v.Add("phone_description", p.Description)
	}
	if week, note, ok := simpleWeek(sv.Schedules); ok {
		for code, h := range week {
			set("opens_"+strings.ToLower(code), h[0])
			set("closes_"+strings.ToLower(code), h[1])
		}
		set("hours_note", note)
	}
	if loc := firstLocation(sv, hsds.LocationVirtual); loc != nil {
		v.Set("online", "1")
		set("online_url", loc.URL)
	}
	if loc := firstLocation(sv, hsds.LocationPhysical); loc != nil {
		v.Set("in_person", "1")
		if len(loc.Addresses) > 0 {
			a := loc.Addresses[0]
			set("address_1", a.Address1)
			set("city", a.City)
			set("province", a.StateProvince)
			set("postal_code", a.PostalCode)
		}
		if loc.Latitude != nil && loc.Longitude != nil {
			v.Set("latitude", strconv.FormatFloat(*loc.Latitude, 'f', -1, 64))
			v.Set("longitude", strconv.FormatFloat(*loc.Longitude, 'f', -1, 64))
		}
		set("transportation", loc.Transportation)
		if len(loc.Accessibility) > 0 {
			set("accessibility", loc.Accessibility[0].Description)
		}
	}
	for _, a := range sv.Attributes {
		if a.TaxonomyTermID != "" {
			v.Add("term", a.TaxonomyTermID)
		}
	}
	return v
}

// firstLocation is the first of the service's locations of a type.
func firstLocation(sv *hsds.Service, typ string) *hsds.Location {
	for i := range sv.ServiceAtLocations {
		if l := sv.ServiceAtLocations[i].Location; l != nil && l.LocationType == typ {
			return l
		}
	}
	return nil
}

// simpleWeek reads schedules the form can show (weekly, one range a day,
// no dates or other rules) as hours per weekday code and their note; ok is
// false when some schedule says more than the form can, and the form then
// leaves the schedules as they are.
func simpleWeek(scheds []hsds.Schedule) (map[string][2]string, string, bool) {
	week := map[string][2]string{}
	note := ""
	for _, sc := range scheds {
		if note == "" {
			note = sc.Description
		}
		if sc.Freq != "" && sc.Freq != "WEEKLY" || sc.Interval != nil && *sc.Interval != 1 || sc.ByWeekNo != "" || sc.ByMonthDay != "" ||
			sc.ByYearDay != "" || sc.Count != nil || sc.Until != "" || sc.DTStart != "" || sc.ValidFrom != "" || sc.ValidTo != "" ||
			sc.Timezone != nil || sc.Notes != "" || sc.AttendingType != "" || sc.ScheduleLink != "" {
			return nil, "", false
		}
		if sc.OpensAt == "" && sc.ClosesAt == "" && sc.ByDay == "" {
			continue // a note only
		}
		o, ok1 := formClock(sc.OpensAt)
		c, ok2 := formClock(sc.ClosesAt)
		if !ok1 || !ok2 || sc.ByDay == "" {
			return nil, "", false
		}
		for _, d := range strings.Split(sc.ByDay, ",") {
			d = strings.ToUpper(strings.TrimSpace(d))
			known := false
			for _, w := range Weekdays {
				known = known || w.Code == d
			}
			if _, twice := week[d]; twice || !known {
				return nil, "", false
			}
			week[d] = [2]string{o, c}
		}
	}
	return week, note, true
}

// formClock turns a schedule's time into the form's "HH:MM", refusing
// times with an offset or seconds the form would lose.
func formClock(s string) (string, bool) {
	sec, ok, zone := clock(s)
	if !ok || zone != nil || sec%60 != 0 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", sec/3600, sec%3600/60), true
}

// weekSchedules writes hours per weekday code as weekly schedules, one per
// distinct range, days in the form's order.
func weekSchedules(hours map[string][2]string, note string) []hsds.Schedule {
	type key [2]string
	days := map[key][]string{}
	var order []key
	for _, w := range Weekdays {
		h, ok := hours[w.Code]
		if !ok {
			continue
		}
		k := key(h)
		if _, seen := days[k]; !seen {
			order = append(order, k)
		}
		days[k] = append(days[k], w.Code)
	}
	sort.SliceStable(order, func(i, j int) bool { return len(days[order[i]]) > len(days[order[j]]) })
	var out []hsds.Schedule
	for _, k := range order {
		out = append(out, hsds.Schedule{Freq: "WEEKLY", ByDay: strings.Join(days[k], ","), OpensAt: k[0], ClosesAt: k[1], Description: note})
	}
	if len(out) == 0 && note != "" {
		out = append(out, hsds.Schedule{Description: note})
	}
	return out
}
