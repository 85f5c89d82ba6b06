package hsds

import "time"

// Filter is a directory search. Zero values mean "any".
type Filter struct {
	Text           string // words, matched with Indonesian and English word forms
	TaxonomyTermID string // services carrying this term (through attributes)
	TaxonomyID     string // services carrying any term of this taxonomy
	OrganizationID string
	Cost           string // CostFree: free only; CostLow: free or low cost
	Language       string // language code ("id", "en", "ind") or name ("Indonesian")
	Delivery       string // DeliveryOnline or DeliveryInPerson
	// OpenAt keeps services open at that instant by their schedules, read in
	// TimeZone (the deployment's zone; UTC when nil).
	OpenAt   *time.Time
	TimeZone *time.Location
	// Near and RadiusKm keep services with a location within RadiusKm of
	// Near (0: no limit) and sort them nearest first.
	Near          *Point
	RadiusKm      float64
	Postcode      string // services at a location with this postal code
	ModifiedAfter *time.Time
	ActiveOnly    bool // hide services whose status is not "active"
	Page          int  // 1-based; 0 means 1
	PerPage       int  // 0 means DefaultPerPage; at most MaxPerPage
}

// Point is a place in WGS84 decimal degrees.
type Point struct {
	Lat, Lon float64
}

// Delivery modes for Filter.Delivery.
const (
	DeliveryOnline   = "online"
	DeliveryInPerson = "in_person"
)

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// Page is one page of search results, with HSDS paging facts.
type Page struct {
	Services   []Service // one-to-one fields plus Organization; Distance set when Near was given
	TotalItems int
	TotalPages int
	PageNumber int
	PerPage    int // services per page asked for
	Size       int // services on this page
	FirstPage  bool
	LastPage   bool
	Empty      bool
}
