package directory

import (
	"context"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/valid"
)

var phoneRE = regexp.MustCompile(`^[0-9+()\-./ ]+$`)

// checked is the curation form once every field passed its rules.
type checked struct {
	Input
	week      map[string][2]string
	others    []string
	lat, lon  *float64
	phones    []PhoneRow
	languages []string
}

func webAddress(field, v string) (string, *valid.Error) {
	v, fe := valid.Text(field, v, 0, 500, false)
	if fe != nil || v == "" {
		return v, fe
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", valid.Field(field, "form.url")
	}
	return v, nil
}

// check applies the form's rules, field by field in the form's order.
func (s *Service) check(ctx context.Context, in Input) (*checked, error) {
	c := &checked{Input: in}
	var fe *valid.Error
	if c.Name, fe = valid.Name("name", in.Name, 2, 200); fe != nil {
		return nil, fe
	}
	if c.Organization, fe = valid.Name("organization", in.Organization, 2, 200); fe != nil {
		return nil, fe
	}
	if c.OrganizationDescription, fe = valid.Text("organization_description", in.OrganizationDescription, 0, 2000, true); fe != nil {
		return nil, fe
	}
	if c.Status, fe = valid.OneOf("status", in.Status, Statuses); fe != nil {
		return nil, fe
	}
	if c.Description, fe = valid.Text("description", in.Description, 0, 5000, true); fe != nil {
		return nil, fe
	}
	if c.URL, fe = webAddress("url", in.URL); fe != nil {
		return nil, fe
	}
	if c.Email, fe = valid.Email("email", in.Email); fe != nil {
		return nil, fe
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"application_process", &c.ApplicationProcess}, {"eligibility_description", &c.Eligibility},
		{"wait_time", &c.WaitTime}, {"alert", &c.Alert}} {
		if *f.v, fe = valid.Text(f.name, *f.v, 0, 2000, true); fe != nil {
			return nil, fe
		}
	}
	if c.Cost != "" {
		if _, fe = valid.OneOf("cost", c.Cost, Costs); fe != nil {
			return nil, fe
		}
	}
	if c.Fees, fe = valid.Text("fees_description", in.Fees, 0, 2000, true); fe != nil {
		return nil, fe
	}
	for _, code := range in.Languages {
		known := false
		for _, lc := range LanguageChoices {
			known = known || lc.Code == code
		}
		if !known {
			return nil, valid.Field("languages", "form.choose")
		}
		c.languages = append(c.languages, code)
	}
	if other, fe := valid.Text("other_languages", in.OtherLanguages, 0, 300, false); fe != nil {
		return nil, fe
	} else {
		c.others = splitNames(other)
	}
	for _, p := range in.Phones {
		num, fe := valid.Text("phones", p.Number, 0, 40, false)
		if fe != nil {
			return nil, fe
		}
		desc, fe := valid.Text("phones", p.Description, 0, 200, false)
		if fe != nil {
			return nil, fe
		}
		if num == "" && desc == "" {
			continue
		}
		digits := 0
		for _, r := range num {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if num == "" || !phoneRE.MatchString(num) || digits < 3 {
			return nil, valid.Field("phones", "directory.edit.phone_invalid")
		}
		c.phones = append(c.phones, PhoneRow{ID: p.ID, Number: num, Description: desc})
	}
	c.week = map[string][2]string{}
	for _, w := range Weekdays {
		o, cl := strings.TrimSpace(in.Opens[w.Code]), strings.TrimSpace(in.Closes[w.Code])
		if o == "" && cl == "" {
			continue
		}
		if o == "" || cl == "" {
			return nil, valid.Field("hours", "directory.edit.hours_both")
		}
		fo, ok1 := formClock(o)
		fc, ok2 := formClock(cl)
		if !ok1 || !ok2 {
			return nil, valid.Field("hours", "directory.edit.hours_time")
		}
		c.week[w.Code] = [2]string{fo, fc}
	}
	if c.HoursNote, fe = valid.Text("hours_note", in.HoursNote, 0, 500, false); fe != nil {
		return nil, fe
	}
	if in.Online {
		if c.OnlineURL, fe = webAddress("online_url", in.OnlineURL); fe != nil {
			return nil, fe
		}
		if c.OnlineURL == "" {
			return nil, valid.Field("online_url", "directory.edit.online_url_required")
		}
	}
	if in.InPerson {
		if err := c.checkPlace(); err != nil {
			return nil, err
		}
	}
	for _, id := range in.Terms {
		if len(id) > maxID {
			return nil, valid.Field("terms", "form.choose")
		}
		if _, err := s.store.TaxonomyTerm(ctx, id); err != nil {
			return nil, valid.Field("terms", "form.choose")
		}
	}
	return c, nil
}

// checkPlace checks the address and coordinates of an in-person service.
func (c *checked) checkPlace() error {
	var fe *valid.Error
	if c.Address, fe = valid.Text("address_1", c.Address, 3, 200, false); fe != nil {
		return fe
	}
	if c.City, fe = valid.Name("city", c.City, 2, 100); fe != nil {
		return fe
	}
	if c.Province, fe = valid.Name("province", c.Province, 2, 100); fe != nil {
		return fe
	}
	if c.PostalCode, fe = valid.Text("postal_code", c.PostalCode, 3, 12, false); fe != nil {
		return fe
	}
	lat, lon := strings.TrimSpace(c.Latitude), strings.TrimSpace(c.Longitude)
	if lat != "" || lon != "" {
		la, err1 := strconv.ParseFloat(strings.ReplaceAll(lat, ",", "."), 64)
		lo, err2 := strconv.ParseFloat(strings.ReplaceAll(lon, ",", "."), 64)
		switch {
		case lat == "" || err1 != nil || math.IsNaN(la) || math.IsInf(la, 0):
			return valid.Field("latitude", "directory.edit.latitude")
		case la < -90 || la > 90:
			return valid.Field("latitude", "directory.place.latitude")
		case lon == "" || err2 != nil || math.IsNaN(lo) || math.IsInf(lo, 0):
			return valid.Field("longitude", "directory.edit.longitude")
		case lo < -180 || lo > 180:
			return valid.Field("longitude", "directory.place.longitude")
		}
		c.lat, c.lon = &la, &lo
	}
	if c.Transportation, fe = valid.Text("transportation", c.Transportation, 0, 1000, true); fe != nil {
		return fe
	}
	if c.Accessibility, fe = valid.Text("accessibility", c.Accessibility, 0, 1000, true); fe != nil {
		return fe
	}
	return nil
}

// Save writes a listing from the curation form, through HSDS validation,
// and returns its id; id "" creates a new listing. Curators only; audited.
func (s *Service) Save(ctx context.Context, id string, in Input) (string, error) {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return "", err
	}
	sv := &hsds.Service{}
	hoursEditable := true
	if id != "" {
		if err := checkID(id); err != nil {
			return "", err
		}
		if sv, err = s.store.Service(ctx, id); err != nil {
			return "", notFound(err)
		}
		_, _, hoursEditable = simpleWeek(sv.Schedules)
	}
	c, err := s.check(ctx, in)
	if err != nil {
		return "", err
	}
	if err := s.apply(ctx, sv, c, hoursEditable); err != nil {
		return "", err
	}
	if err := s.store.UpsertService(ctx, sv, p.UserID); err != nil {
		if problems := hsds.Problems(err); len(problems) > 0 {
			return "", problemField(problems[0])
		}
		return "", err
	}
	action := "directory.service.update"
	if id == "" {
		action = "directory.service.create"
	}
	return sv.ID, s.record(ctx, nil, action, "service:"+sv.ID, sv.Name)
}

// problemField turns what HSDS validation refused into an error beside the
// nearest field of the form.
func problemField(p hsds.Problem) *valid.Error {
	field := map[string]string{"services.name": "name", "services.url": "url", "services.email": "email", "services.status": "status",
		"organizations.name": "organization", "organizations.description": "organization_description", "phones.number": "phones", "schedules.opens_at": "hours", "schedules.closes_at": "hours",
		"locations.url": "online_url", "locations.latitude": "latitude", "locations.longitude": "longitude",
		"addresses.address_1": "address_1", "addresses.city": "city", "addresses.state_province": "province",
		"addresses.postal_code": "postal_code", "attributes.taxonomy_term_id": "terms"}[p.Table+"."+p.Field]
	if field == "" {
		field = "name"
	}
	return valid.Field(field, "directory.edit.refused", "detail", p.String())
}
