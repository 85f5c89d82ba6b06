package directory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/hsds"
)

// newListing is a complete form for a new in-person and online listing.
func newListing() directory.Input {
	return directory.Input{Name: "Konseling Remaja Harapan", Organization: "Yayasan Harapan Baru", Status: "active",
		OrganizationDescription: "Yayasan contoh untuk remaja.",
		Description:             "Konseling untuk remaja yang cemas menjelang ujian.", URL: "https://harapan.example", Email: "Halo@Harapan.example",
		ApplicationProcess: "Telepon dulu untuk membuat janji.", Cost: hsds.CostFree, Languages: []string{"id", "jv"}, OtherLanguages: "Batak",
		Phones: []directory.PhoneRow{{Number: "+62 000 0000 0199", Description: "Pendaftaran"}, {}},
		Opens:  map[string]string{"MO": "08:00", "TU": "08:00", "SA": "09:00"}, Closes: map[string]string{"MO": "15:00", "TU": "15:00", "SA": "12:00"},
		HoursNote: "Tutup pada hari libur nasional.", Online: true, OnlineURL: "https://harapan.example/daring",
		InPerson: true, Address: "Jl. Contoh Raya No. 5", City: "Semarang", Province: "Jawa Tengah", PostalCode: "50132",
		Latitude: "-6.9932", Longitude: "110.4203", Accessibility: "Pintu masuk tanpa tangga.", Terms: []string{termID}}
}

func TestCreateAndEditListing(t *testing.T) {
	f := newFixture(t)
	coord, coordID := f.person(t, "koordinator", auth.RoleCoordinator)
	id, err := f.dir.Save(coord, "", newListing())
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.dir.Listing(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	sv := l.S
	if sv.Name != "Konseling Remaja Harapan" || sv.Organization == nil || sv.Organization.Name != "Yayasan Harapan Baru" ||
		sv.Email != "halo@harapan.example" || sv.Curation.CostClass != hsds.CostFree || !sv.Curation.Online || !sv.Curation.InPerson ||
		sv.Curation.CuratedBy != coordID || sv.Curation.LastVerifiedAt != nil {
		t.Fatalf("new listing: %+v %+v", sv, sv.Curation)
	}
	if len(sv.Languages) != 3 || len(sv.Phones) != 1 || len(l.Places) != 1 || len(l.Online) != 1 || len(l.Terms) != 1 {
		t.Fatalf("nested records: %d languages, %d phones, %d places, %d online, %d terms", len(sv.Languages), len(sv.Phones), len(l.Places), len(l.Online), len(l.Terms))
	}
	// Its hours are open on Monday at 10:00 and it is found near Semarang,
	// by its word forms and its filters.
	if !l.Hours.Open || l.Hours.Until.Format("15:04") != "15:00" {
		t.Errorf("hours: %+v", l.Hours)
	}
	if got := search(t, f, directory.Query{Text: "kecemasan", Place: "Semarang", Radius: 5, Cost: hsds.CostFree, Language: "jv", OpenNow: true}); !same(got, "Konseling Remaja Harapan") {
		t.Errorf("found as %v", got)
	}
	if e, _ := f.log.List(context.Background(), audit.Filter{Action: "directory.service.create"}); len(e) != 1 || e[0].Target != "service:"+id {
		t.Errorf("create audited: %+v", e)
	}

	// The form shows what was saved; saving it back with changes keeps the
	// ids of the records it still holds.
	ed, values, err := f.dir.Edit(coord, id)
	if err != nil || !ed.HoursEditable || ed.OtherPlaces != 0 {
		t.Fatalf("edit: %+v %v", ed, err)
	}
	in := directory.InputFromValues(values)
	if in.Name != "Konseling Remaja Harapan" || in.Opens["SA"] != "09:00" || in.Closes["MO"] != "15:00" || in.HoursNote != "Tutup pada hari libur nasional." ||
		in.Cost != hsds.CostFree || strings.Join(in.Languages, ",") != "id,jv" || in.OtherLanguages != "Batak" || len(in.Phones) != 1 ||
		!in.Online || !in.InPerson || in.City != "Semarang" || in.Latitude != "-6.9932" || len(in.Terms) != 1 {
		t.Fatalf("form values: %+v", in)
	}
	phoneID := in.Phones[0].ID
	in.Phones[0].Description = "Pendaftaran dan informasi"
	in.Phones = append(in.Phones, directory.PhoneRow{Number: "(024) 000-0000"})
	in.Cost = hsds.CostLow
	in.Languages = []string{"id"}
	in.OtherLanguages = ""
	in.Online = false
	in.Opens["SA"], in.Closes["SA"] = "", ""
	in.Opens["FR"], in.Closes["FR"] = "20:00", "02:00"
	in.Terms = nil
	if _, err := f.dir.Save(coord, id, in); err != nil {
		t.Fatal(err)
	}
	l, _ = f.dir.Listing(context.Background(), id)
	sv = l.S
	if len(sv.Phones) != 2 || sv.Phones[0].ID != phoneID && sv.Phones[1].ID != phoneID {
		t.Errorf("phones: %+v (kept id %s)", sv.Phones, phoneID)
	}
	if sv.Curation.CostClass != hsds.CostLow || sv.Curation.Online || !sv.Curation.InPerson || len(sv.Languages) != 1 || len(l.Terms) != 0 {
		t.Errorf("after the edit: %+v, %d languages, %d terms", sv.Curation, len(sv.Languages), len(l.Terms))
	}
	var days []string
	for _, d := range l.Hours.Week {
		days = append(days, d.Date.Format("Mon")+"="+strings.Join(d.Ranges, ","))
	}
	if got := strings.Join(days, " "); got != "Mon=08:00–15:00 Tue=08:00–15:00 Wed= Thu= Fri=20:00–24:00 Sat=00:00–02:00 Sun=" {
		t.Errorf("week after the edit: %s", got)
	}
	if got := search(t, f, directory.Query{Delivery: hsds.DeliveryOnline, Text: "remaja"}); len(got) != 0 {
		t.Errorf("no longer online: %v", got)
	}
	// The organisation was matched by name, not duplicated.
	orgs, _ := f.store.Organizations(context.Background(), hsds.ListFilter{Search: "Harapan Baru"})
	if orgs.TotalItems != 1 {
		t.Errorf("%d organisations named Harapan Baru", orgs.TotalItems)
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	coord, _ := f.person(t, "koordinator", auth.RoleCoordinator)
	for _, c := range []struct {
		change func(*directory.Input)
		want   string
	}{
		{func(in *directory.Input) { in.Name = "" }, "name:form.required"},
		{func(in *directory.Input) { in.Name = "<b>x</b>" }, "name:form.no_markup"},
		{func(in *directory.Input) { in.Organization = "" }, "organization:form.required"},
		{func(in *directory.Input) { in.OrganizationDescription = "" }, "organization_description:directory.edit.org_description_required"},
		{func(in *directory.Input) { in.Status = "open" }, "status:form.choose"},
		{func(in *directory.Input) { in.URL = "javascript:alert(1)" }, "url:form.url"},
		{func(in *directory.Input) { in.Email = "not an address" }, "email:form.email"},
		{func(in *directory.Input) { in.Cost = "cheap" }, "cost:form.choose"},
		{func(in *directory.Input) { in.Languages = []string{"xx"} }, "languages:form.choose"},
		{func(in *directory.Input) { in.Phones = []directory.PhoneRow{{Number: "call us"}} }, "phones:directory.edit.phone_invalid"},
		{func(in *directory.Input) { in.Phones = []directory.PhoneRow{{Description: "no number"}} }, "phones:directory.edit.phone_invalid"},
		{func(in *directory.Input) { in.Closes["MO"] = "" }, "hours:directory.edit.hours_both"},
		{func(in *directory.Input) { in.Opens["MO"] = "8 pagi" }, "hours:directory.edit.hours_time"},
		{func(in *directory.Input) { in.OnlineURL = "" }, "online_url:directory.edit.online_url_required"},
		{func(in *directory.Input) { in.PostalCode = "" }, "postal_code:form.required"},
		{func(in *directory.Input) { in.Latitude = "-96.1" }, "latitude:directory.place.latitude"},
		{func(in *directory.Input) { in.Longitude = "200" }, "longitude:directory.place.longitude"},
		{func(in *directory.Input) { in.Longitude = "" }, "longitude:directory.edit.longitude"},
		{func(in *directory.Input) { in.Latitude = "utara" }, "latitude:directory.edit.latitude"},
		{func(in *directory.Input) { in.Terms = []string{"no-such-term"} }, "terms:form.choose"},
	} {
		in := newListing()
		c.change(&in)
		if _, err := f.dir.Save(coord, "", in); field(err) != c.want {
			t.Errorf("want %s, got %s", c.want, field(err))
		}
		if _, err := f.dir.Save(coord, idA, in); field(err) != c.want {
			t.Errorf("editing A: want %s, got %s", c.want, field(err))
		}
	}
	if got := search(t, f, directory.Query{}); len(got) != 4 {
		t.Fatalf("a refused form changed the directory: %v", got)
	}
	if sv, _ := f.store.Service(context.Background(), idA); sv.Name != "Konseling Pelita" {
		t.Fatalf("A changed: %s", sv.Name)
	}
	if _, err := f.dir.Save(coord, "no-such-id", newListing()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("editing an unknown listing: %v", err)
	}
}

// Hours the form cannot show are kept as they are when a listing is saved.
func TestSaveKeepsHoursTheFormCannotShow(t *testing.T) {
	f := newFixture(t)
	coord, _ := f.person(t, "koordinator", auth.RoleCoordinator)
	in := newListing()
	id, err := f.dir.Save(coord, "", in)
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := f.store.Service(context.Background(), id)
	sv.Schedules = append(sv.Schedules, hsds.Schedule{Freq: "MONTHLY", ByDay: "1SA", OpensAt: "09:00", ClosesAt: "11:00"})
	sv.Organization, sv.Program = nil, nil
	for i := range sv.ServiceAtLocations {
		sv.ServiceAtLocations[i].Location = nil
	}
	for i := range sv.Attributes {
		sv.Attributes[i].TaxonomyTerm = nil
	}
	if err := f.store.UpsertService(context.Background(), sv, 0); err != nil {
		t.Fatal(err)
	}
	ed, values, err := f.dir.Edit(coord, id)
	if err != nil || ed.HoursEditable || values["opens_mo"] != nil {
		t.Fatalf("a monthly schedule is not editable here: %+v %v", ed, err)
	}
	in = directory.InputFromValues(values)
	in.Description = "Deskripsi baru."
	if _, err := f.dir.Save(coord, id, in); err != nil {
		t.Fatal(err)
	}
	after, _ := f.store.Service(context.Background(), id)
	monthly := 0
	for _, sc := range after.Schedules {
		if sc.Freq == "MONTHLY" && sc.ByDay == "1SA" {
			monthly++
		}
	}
	if len(after.Schedules) != 3 || monthly != 1 || after.Description != "Deskripsi baru." {
		t.Fatalf("schedules after saving: %+v, %q", after.Schedules, after.Description)
	}
}

func TestDeactivateAndDelete(t *testing.T) {
	f := newFixture(t)
	coord, _ := f.person(t, "koordinator", auth.RoleCoordinator)
	if err := f.dir.Deactivate(coord, idA); err != nil {
		t.Fatal(err)
	}
	if got := search(t, f, directory.Query{Text: "pelita"}); len(got) != 0 {
		t.Errorf("deactivated but found: %v", got)
	}
	l, err := f.dir.Listing(context.Background(), idA)
	if err != nil || !l.Inactive || len(l.Phones) != 1 || len(l.Places) != 1 || len(l.Terms) != 1 {
		t.Fatalf("the deactivated page keeps its details: %+v %v", l, err)
	}
	if err := f.dir.ReportProblem(context.Background(), idD, directory.ReportInput{Reason: directory.ReasonClosed}); err != nil {
		t.Fatal(err)
	}
	if err := f.dir.Delete(coord, idD); err != nil {
		t.Fatal(err)
	}
	if _, err := f.dir.Listing(context.Background(), idD); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleted listing: %v", err)
	}
	if err := f.dir.Delete(coord, idD); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	open, _, _ := f.dir.Reports(coord, directory.ReportOpen, 1)
	handled, _, _ := f.dir.Reports(coord, "handled", 1)
	if len(open) != 0 || len(handled) != 1 || handled[0].ServiceName != "Sebaya Bogor" || handled[0].Status != directory.ReportDismissed {
		t.Errorf("reports of the deleted listing: open %+v handled %+v", open, handled)
	}
	for _, action := range []string{"directory.service.deactivate", "directory.service.delete"} {
		if e, _ := f.log.List(context.Background(), audit.Filter{Action: action}); len(e) != 1 {
			t.Errorf("%s audited %d times", action, len(e))
		}
	}
}
