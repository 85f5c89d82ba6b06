package library

import (
	"html/template"
	"net/url"
	"time"
)

// Kinds of resource, in the order forms and filters list them.
var Kinds = []string{KindArticle, KindGuide, KindWebinar, KindLink}

// The kinds. Articles and guides are read here; webinars and links point
// elsewhere and carry an address.
const (
	KindArticle = "article"
	KindGuide   = "guide"
	KindWebinar = "webinar"
	KindLink    = "link"
)

// Languages a resource is written in.
var Languages = []string{"id", "en"}

// States of a resource: written, waiting for a colleague's review, public,
// or put away.
const (
	StateDraft     = "draft"
	StateInReview  = "in_review"
	StatePublished = "published"
	StateArchived  = "archived"
)

// States lists them in the manage page's order.
var States = []string{StateDraft, StateInReview, StatePublished, StateArchived}

// Limits of what one resource may hold, in characters.
const (
	MaxTitle   = 160
	MaxSummary = 300
	MaxBody    = 40000
	MaxURL     = 500
	MaxName    = 60
	MaxNote    = 2000
)

// Resource is one item of the library.
type Resource struct {
	ID           int64
	OrgID        int64
	OrgName      string
	Kind         string
	Language     string
	Topic        string
	Title        string
	Summary      string
	Body         string        // Markdown, as written
	HTML         template.HTML // Body rendered and sanitised when saved
	URL          string        // the webinar's or link's address; optional for articles and guides
	State        string
	AuthorName   string // the name the author chose to be shown; "" after erasure
	ReviewerName string // the name the approving colleague chose; "" until approved
	ReviewedAt   *time.Time
	SubmittedAt  *time.Time
	PublishedAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NeedsURL reports whether the kind points elsewhere.
func NeedsURL(kind string) bool { return kind == KindWebinar || kind == KindLink }

// Host is the site the resource's address leads to, shown beside the link so
// a reader knows where they are going.
func (r Resource) Host() string {
	u, err := url.Parse(r.URL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// Input is the resource form.
type Input struct {
	Kind, Language, Topic, Title, Summary, Body, URL, AuthorName string
}

// Review is one decision on a resource.
type Review struct {
	Reviewer string // the reviewer's username, for colleagues; "" after erasure
	Decision string // approved or returned
	Note     string
	At       time.Time
}

// Filter chooses the public list's page.
type Filter struct {
	Query, Kind, Language, Topic string
	Page, PerPage                int
}

// Org is an organisation the caller writes for.
type Org struct {
	ID   int64
	Name string
}
