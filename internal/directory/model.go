package directory

import (
	"time"

	"github.com/rangkul/rangkul/internal/hsds"
)

// Query is a search of the directory as a person asks it.
type Query struct {
	Text     string
	Cost     string // "", hsds.CostFree or hsds.CostLow
	Language string // a language code, e.g. "id"
	Delivery string // "", hsds.DeliveryOnline or hsds.DeliveryInPerson
	OpenNow  bool
	Term     string // a taxonomy term id
	Place    string // a place name from Places, or "latitude, longitude"
	Radius   int    // km around Place; 0 for any distance
	Page     int
}

// Radii are the distances a search near a place offers, in km.
var Radii = []int{5, 10, 25, 50, 100, 250}

// DefaultRadius is the distance used when a place is given without one.
const DefaultRadius = 25

// PerPage is how many services a page of results shows.
const PerPage = 10

// Results is one page of a search.
type Results struct {
	Query     Query
	PlaceName string      // the known place searched near, "" for coordinates
	Near      *hsds.Point // the point searched near
	Items     []Result
	Total     int
	Page      int
	Pages     int
}

// Result is one service found, with what the results list shows of it.
type Result struct {
	S        hsds.Service
	Hours    Hours
	Distance *float64 // km, when a place was given
}

// Menus are the choices of the search form drawn from the data: the
// languages services are offered in and the taxonomy terms they carry.
type Menus struct {
	Languages []hsds.LanguageCount
	Terms     []hsds.TermCount
}

// Listing is a service's public page.
type Listing struct {
	S            *hsds.Service
	Hours        Hours
	Phones       []hsds.Phone // the service's, its places', then its organisation's
	Places       []hsds.Location
	Online       []hsds.Location
	Terms        []hsds.TaxonomyTerm
	Inactive     bool // status is not active: say so above everything
	CanCurate    bool
	CanRefer     bool // the viewer is a professional: offer a referral here
	OpenProblems int  // shown to curators
}

// Report reasons.
const (
	ReasonClosed  = "closed"
	ReasonPhone   = "phone"
	ReasonAddress = "address"
	ReasonHours   = "hours"
	ReasonOther   = "other"
)

// Reasons lists the reasons a person can give, in the form's order.
var Reasons = []string{ReasonClosed, ReasonPhone, ReasonAddress, ReasonHours, ReasonOther}

// Report states.
const (
	ReportOpen      = "open"
	ReportResolved  = "resolved"
	ReportDismissed = "dismissed"
)

// Report is a problem someone reported with a listing.
type Report struct {
	ID          int64
	ServiceID   string
	ServiceName string
	Reason      string
	Note        string
	Signed      bool // sent by a signed-in person
	Status      string
	Answer      string
	HandledBy   string // the curator's username
	HandledAt   *time.Time
	CreatedAt   time.Time
}

// ReportInput is the "report a problem" form.
type ReportInput struct {
	Reason, Note string
}

// RateLimitedError says a person has sent as many reports as they may for
// now, and how long to wait.
type RateLimitedError struct{ Wait time.Duration }

func (e *RateLimitedError) Error() string {
	return "directory: too many reports, wait " + e.Wait.String()
}

// Minutes is the wait rounded up to whole minutes, for messages.
func (e *RateLimitedError) Minutes() int { return int((e.Wait + time.Minute - 1) / time.Minute) }

// ManageQuery filters the curators' list of listings.
type ManageQuery struct {
	Text string
	Show string // "", ShowNever, ShowStale or ShowProblems
	Page int
}

// The curators' list filters.
const (
	ShowNever    = "never"
	ShowStale    = "stale"
	ShowProblems = "problems"
)

// StaleAfter is how long after its last verification a listing counts as
// due for another look.
const StaleAfter = 6 // months

// ManageItem is one listing in the curators' list.
type ManageItem struct {
	S            hsds.Service
	Stale        bool
	OpenProblems int
	StatusKey    string
}

// ManagePage is one page of the curators' list.
type ManagePage struct {
	Query       ManageQuery
	Items       []ManageItem
	Total       int
	Page, Pages int
	Problems    int // open reports in all
}
