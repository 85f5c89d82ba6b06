package directory

import (
	"context"
	"strings"

	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/valid"
)

// apply writes the checked form onto a listing (loaded, or new), keeping
// the records the form does not show and the ids of those it does.
func (s *Service) apply(ctx context.Context, sv *hsds.Service, c *checked, hoursEditable bool) error {
	orgID, err := s.organizationFor(ctx, sv, c.Organization)
	if err != nil {
		return err
	}
	locs := make([]*hsds.Location, len(sv.ServiceAtLocations))
	for i, sal := range sv.ServiceAtLocations {
		locs[i] = sal.Location
	}
	keepAsIs(sv)
	if orgID == "" {
		if c.OrganizationDescription == "" {
			return valid.Field("organization_description", "directory.edit.org_description_required")
		}
		orgID = hsds.NewID()
		sv.Organization = &hsds.Organization{ID: orgID, Name: c.Organization, Description: c.OrganizationDescription}
	}
	sv.OrganizationID = orgID
	sv.Name, sv.Status, sv.Description, sv.URL, sv.Email = c.Name, c.Status, c.Description, c.URL, c.Email
	sv.ApplicationProcess, sv.EligibilityDescription, sv.WaitTime, sv.Alert = c.ApplicationProcess, c.Eligibility, c.WaitTime, c.Alert
	sv.FeesDescription = c.Fees
	applyCost(sv, c.Cost)
	applyLanguages(sv, c.languages, c.others)
	applyPhones(sv, c.phones)
	if hoursEditable {
		sv.Schedules = weekSchedules(c.week, c.HoursNote)
	}
	applyPlaces(sv, locs, c)
	applyTerms(sv, c.Terms)
	return nil
}

// organizationFor finds the organization a curator named: the listing's
// own when the name is unchanged, else one of that exact name; "" means a
// new organization is needed.
func (s *Service) organizationFor(ctx context.Context, sv *hsds.Service, name string) (string, error) {
	if sv.Organization != nil && strings.EqualFold(strings.TrimSpace(sv.Organization.Name), name) {
		return sv.OrganizationID, nil
	}
	found, err := s.store.Organizations(ctx, hsds.ListFilter{Search: name, PerPage: hsds.MaxPerPage})
	if err != nil {
		return "", err
	}
	for _, o := range found.Items {
		if strings.EqualFold(strings.TrimSpace(o.Name), name) {
			return o.ID, nil
		}
	}
	return "", nil
}

// applyCost replaces the cost options when the curator chose another cost
// class than the listing has; the same class keeps the options as they are.
func applyCost(sv *hsds.Service, cost string) {
	if cost == sv.Curation.CostClass && (cost != "" || len(sv.CostOptions) == 0) {
		return
	}
	zero := 0.0
	switch cost {
	case hsds.CostFree:
		sv.CostOptions = []hsds.CostOption{{Option: "Gratis (free)", Amount: &zero, Currency: "IDR"}}
	case hsds.CostLow:
		sv.CostOptions = []hsds.CostOption{{Option: "Biaya terjangkau (low cost)"}}
	case hsds.CostPaid:
		sv.CostOptions = []hsds.CostOption{{Option: "Berbayar (paid)"}}
	default:
		sv.CostOptions = nil
	}
}

// applyLanguages keeps the language records still chosen and adds new ones.
func applyLanguages(sv *hsds.Service, codes, others []string) {
	old := sv.Languages
	sv.Languages = nil
	take := func(match func(hsds.Language) bool, fresh hsds.Language) {
		for i, l := range old {
			if l.ID != "" && match(l) {
				sv.Languages = append(sv.Languages, l)
				old[i].ID = "" // used
				return
			}
		}
		sv.Languages = append(sv.Languages, fresh)
	}
	for _, code := range codes {
		for _, lc := range LanguageChoices {
			if lc.Code != code {
				continue
			}
			take(func(l hsds.Language) bool { c, ok := choiceFor(l); return ok && c.Code == code }, hsds.Language{Name: lc.Name, Code: lc.Code})
		}
	}
	for _, name := range others {
		take(func(l hsds.Language) bool { return strings.EqualFold(l.Name, name) }, hsds.Language{Name: name})
	}
}

// applyPhones keeps the listing's phone records by id and adds new ones.
func applyPhones(sv *hsds.Service, rows []PhoneRow) {
	byID := map[string]hsds.Phone{}
	for _, p := range sv.Phones {
		byID[p.ID] = p
	}
	sv.Phones = nil
	for _, r := range rows {
		p, ok := byID[r.ID]
		if !ok {
			p = hsds.Phone{Type: "voice"}
		}
		delete(byID, r.ID)
		p.Number, p.Description = r.Number, r.Description
		sv.Phones = append(sv.Phones, p)
	}
}

// applyPlaces writes delivery: the first online and the first physical
// place are edited or added; unticking a kind removes every place of it.
// locs are the listing's locations, one per service at location.
func applyPlaces(sv *hsds.Service, locs []*hsds.Location, c *checked) {
	var kept []hsds.ServiceAtLocation
	doneOnline, donePhysical := false, false
	for i, sal := range sv.ServiceAtLocations {
		loc := locs[i]
		typ := ""
		if loc != nil {
			typ = loc.LocationType
		}
		switch {
		case typ == hsds.LocationVirtual && !c.Online, typ == hsds.LocationPhysical && !c.InPerson:
			continue
		case typ == hsds.LocationVirtual && !doneOnline:
			doneOnline = true
			ownedBy(loc, sv.ID)
			loc.URL = c.OnlineURL
			sal.Location = loc
		case typ == hsds.LocationPhysical && !donePhysical:
			donePhysical = true
			ownedBy(loc, sv.ID)
			setPhysical(loc, c)
			sal.Location = loc
		}
		kept = append(kept, sal)
	}
	if c.Online && !doneOnline {
		kept = append(kept, hsds.ServiceAtLocation{Location: &hsds.Location{LocationType: hsds.LocationVirtual, URL: c.OnlineURL,
			Name: "Online", OrganizationID: sv.OrganizationID}})
	}
	if c.InPerson && !donePhysical {
		loc := &hsds.Location{LocationType: hsds.LocationPhysical, Name: c.Organization, OrganizationID: sv.OrganizationID}
		setPhysical(loc, c)
		kept = append(kept, hsds.ServiceAtLocation{Location: loc})
	}
	sv.ServiceAtLocations = kept
}

// setPhysical writes the form's address, coordinates, transport and
// accessibility onto a physical location.
func setPhysical(loc *hsds.Location, c *checked) {
	if len(loc.Addresses) == 0 {
		loc.Addresses = []hsds.Address{{AddressType: "physical", Country: "ID"}}
	}
	a := &loc.Addresses[0]
	a.Address1, a.City, a.StateProvince, a.PostalCode = c.Address, c.City, c.Province, c.PostalCode
	if a.Country == "" {
		a.Country = "ID"
	}
	if a.AddressType == "" {
		a.AddressType = "physical"
	}
	loc.Latitude, loc.Longitude = c.lat, c.lon
	loc.Transportation = c.Transportation
	switch {
	case c.Accessibility == "":
		loc.Accessibility = nil
	case len(loc.Accessibility) == 0:
		loc.Accessibility = []hsds.Accessibility{{Description: c.Accessibility}}
	default:
		loc.Accessibility[0].Description = c.Accessibility
	}
}

// applyTerms keeps the term attributes still chosen and adds new ones;
// attributes without a term are kept.
func applyTerms(sv *hsds.Service, ids []string) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []hsds.Attribute
	for _, a := range sv.Attributes {
		if a.TaxonomyTermID == "" || want[a.TaxonomyTermID] {
			out = append(out, a)
			delete(want, a.TaxonomyTermID)
		}
	}
	for _, id := range ids {
		if want[id] {
			out = append(out, hsds.Attribute{TaxonomyTermID: id, LinkEntity: "service"})
			delete(want, id)
		}
	}
	sv.Attributes = out
}
