package groups

import "time"

// Topics a group can be about, in directory order.
var Topics = []string{"depression", "anxiety", "bipolar", "psychosis", "grief", "trauma", "substance", "carers", "youth", "general"}

// Languages a group can meet in.
var Languages = []string{"id", "en", "jv", "su"}

// Modes of meeting.
var Modes = []string{"online", "in_person", "hybrid"}

// Group is a peer support group.
type Group struct {
	ID          int64
	OrgID       int64
	OrgName     string
	Name        string
	Description string
	Topic       string
	Language    string
	Region      string
	Mode        string
	Open        bool // open: join at once; closed: a facilitator approves
	Listed      bool // shown in the public directory
	Capacity    int
	Place       string // where it meets in person, or how the online room is reached
	HouseRules  string
	ScreenHold  string // which flagged messages wait for a person: "crisis", "all" or "none"
	Members     int    // active members, when listed
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// FreePlaces is how many more members the group can take.
func (g Group) FreePlaces() int {
	if n := g.Capacity - g.Members; n > 0 {
		return n
	}
	return 0
}

// Membership roles within a group.
const (
	RoleMember      = "member"
	RoleFacilitator = "facilitator"
)

// Membership states.
const (
	StatusActive   = "active"
	StatusPending  = "pending"
	StatusDeclined = "declined"
	StatusLeft     = "left"
)

// Member is a person's place in one group. DisplayName is the pseudonym the
// group knows them by; the account's username never appears in a group.
type Member struct {
	ID              int64
	GroupID         int64
	UserID          int64
	DisplayName     string
	Role            string
	Status          string
	RequestMessage  string
	DecisionMessage string
	JoinedAt        time.Time
	CreatedAt       time.Time
	// CertifiedUntil is when a facilitator's training certification ends
	// (nil when the organisation asks for none, or it is not known).
	CertifiedUntil *time.Time
}

// Filter narrows the directory.
type Filter struct {
	Query    string
	Topic    string
	Language string
	Region   string
	Mode     string
	Open     string // "", "open" or "closed"
	Day      string // "" or a weekday, 0 (Sunday) to 6
	Page     int
	PerPage  int
}
