package directory

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/hsds"
)

// formatKm writes a distance in the reader's language: one decimal under
// 10 km ("2,4" in Indonesian, "2.4" in English), whole km above.
func formatKm(km float64, lang string) string {
	s := strconv.FormatFloat(math.Round(km), 'f', 0, 64)
	if km < 10 {
		s = strconv.FormatFloat(math.Round(km*10)/10, 'f', 1, 64)
	}
	if lang == "id" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// formatAmount writes a price with thousands separators in the reader's
// language: "Rp 50.000" in Indonesian, "IDR 50,000" in English.
func formatAmount(amount float64, currency, lang string) string {
	whole := strconv.FormatFloat(math.Abs(math.Round(amount)), 'f', 0, 64)
	sep := ","
	if lang == "id" {
		sep = "."
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	num := b.String()
	if amount < 0 {
		num = "-" + num
	}
	cur := strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case cur == "IDR" && lang == "id":
		return "Rp " + num
	case cur == "":
		return num
	}
	return cur + " " + num
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// telURL is a tel: link for a phone number: its digits and a leading +.
// html/template refuses tel: URLs it did not make safe, and this one is
// built from digits only.
func telURL(number string) template.URL {
	var b strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' || r == '+' && b.Len() == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

type phoneView struct {
	hsds.Phone
	Tel       template.URL
	Extension string
}

type placeView struct {
	hsds.Location
	Lines   []string // the address, line by line
	MapURL  string   // OpenStreetMap, a plain link the person may follow
	LatLon  string
	Address *hsds.Address
}

type costView struct {
	Option, Amount, Description string
}

type listingView struct {
	*Listing
	Phones    []phoneView
	Places    []placeView
	Costs     []costView
	Languages []string
	Website   string // the service's, else its organisation's
	Ages      string // "18+", "12–25"
	StatusKey string
}

// StatusKey is the translation key of an HSDS service status.
func StatusKey(status string) string {
	for _, st := range Statuses {
		if st == status {
			return "directory.status." + strings.ReplaceAll(status, " ", "_")
		}
	}
	return "directory.status.other"
}

func newListingView(l *Listing, lang string, languages []string) listingView {
	v := listingView{Listing: l, Languages: languages, Ages: ageRange(l.S.MinimumAge, l.S.MaximumAge),
		StatusKey: StatusKey(l.S.Status)}
	for _, p := range l.Phones {
		pv := phoneView{Phone: p, Tel: telURL(p.Number)}
		if p.Extension != nil {
			pv.Extension = strconv.FormatFloat(*p.Extension, 'f', -1, 64)
		}
		v.Phones = append(v.Phones, pv)
	}
	for _, loc := range l.Places {
		pv := placeView{Location: loc}
		for i := range loc.Addresses {
			a := &loc.Addresses[i]
			if pv.Address == nil || a.AddressType == hsds.LocationPhysical {
				pv.Address = a
			}
		}
		if a := pv.Address; a != nil {
			pv.Lines = []string{joinNonEmpty(", ", a.Attention), a.Address1, a.Address2,
				joinNonEmpty(", ", a.City, a.Region), joinNonEmpty(" ", a.StateProvince, a.PostalCode), a.Country}
			pv.Lines = nonEmpty(pv.Lines)
		}
		if loc.Latitude != nil && loc.Longitude != nil && (hsds.Point{Lat: *loc.Latitude, Lon: *loc.Longitude}).Valid() {
			lat := strconv.FormatFloat(*loc.Latitude, 'f', 5, 64)
			lon := strconv.FormatFloat(*loc.Longitude, 'f', 5, 64)
			pv.LatLon = lat + ", " + lon
			pv.MapURL = "https://www.openstreetmap.org/?mlat=" + url.QueryEscape(lat) + "&mlon=" + url.QueryEscape(lon) + "#map=17/" + lat + "/" + lon
		}
		v.Places = append(v.Places, pv)
	}
	for _, c := range l.S.CostOptions {
		cv := costView{Option: c.Option, Description: c.AmountDescription}
		if c.Amount != nil {
			cv.Amount = formatAmount(*c.Amount, c.Currency, lang)
		}
		v.Costs = append(v.Costs, cv)
	}
	v.Website = l.S.URL
	if v.Website == "" && l.S.Organization != nil {
		v.Website = l.S.Organization.Website
	}
	return v
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// ageRange writes the ages a service is for, or "".
func ageRange(min, max *float64) string {
	switch {
	case min != nil && max != nil:
		return fmt.Sprintf("%g–%g", *min, *max)
	case min != nil:
		return fmt.Sprintf("%g+", *min)
	case max != nil:
		return fmt.Sprintf("0–%g", *max)
	}
	return ""
}
