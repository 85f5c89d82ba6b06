package referrals

import "time"

// Statuses of a referral. A referral moves forward one step at a time:
// sent, received (a receiver opened it), accepted or declined, first
// attended, closed; a referral nobody answered becomes no_response.
const (
	StatusSent       = "sent"
	StatusReceived   = "received"
	StatusAccepted   = "accepted"
	StatusDeclined   = "declined"
	StatusAttended   = "first_attended"
	StatusClosed     = "closed"
	StatusNoResponse = "no_response"
)

// Statuses lists them in the order of the loop, for filters and reports.
var Statuses = []string{StatusSent, StatusReceived, StatusAccepted, StatusAttended, StatusClosed, StatusDeclined, StatusNoResponse}

// Kinds of destination.
const (
	KindGroup   = "group"
	KindService = "service"
)

// ConsentMethods are how a patient's consent to the referral was given.
var ConsentMethods = []string{"verbal", "written"}

// DeclineReasons are the answers a receiver may give when declining; they
// are choices, not free text, so nothing about the patient is written there.
var DeclineReasons = []string{"full", "not_suitable", "better_elsewhere", "other"}

// InviteLangs are the languages an invitation can be written in.
var InviteLangs = []string{"id", "en"}

// moves lists the steps a referral may take from each status. Anything else
// skips a step or goes back, and is refused.
var moves = map[string][]string{
	StatusSent:     {StatusReceived, StatusNoResponse},
	StatusReceived: {StatusAccepted, StatusDeclined, StatusNoResponse},
	StatusAccepted: {StatusAttended},
	StatusAttended: {StatusClosed},
}

// CanMove reports whether a referral in status from may move to status to.
func CanMove(from, to string) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// timeColumn names the column that records when a referral entered a
// status. The names are constants, never input, so building SQL with them is
// safe.
var timeColumn = map[string]string{
	StatusReceived:   "received_at",
	StatusAccepted:   "accepted_at",
	StatusDeclined:   "declined_at",
	StatusAttended:   "first_attended_at",
	StatusClosed:     "closed_at",
	StatusNoResponse: "no_response_at",
}

// NoResponseAfter is how long a referral waits for an answer before the
// daily job marks it as having had no response.
const NoResponseAfter = 14 * 24 * time.Hour

// CodeLife is how long an invitation code can be used.
const CodeLife = 30 * 24 * time.Hour

// Referral is one referral as a referrer or a receiver sees it.
type Referral struct {
	ID            int64
	ReferrerID    int64 // 0 once the referrer's account is erased
	ReferrerOrgID int64
	ReferrerOrg   string
	Kind          string
	GroupID       int64
	ServiceID     string
	DestOrgID     int64
	DestOrg       string
	Destination   string // the group's or the service's name (the service's id until the directory names it)
	GroupOpen     bool   // a group that people join at once (closed groups approve requests)
	Status        string
	InviteLang    string
	HasEmail      bool
	ConsentMethod string
	ConsentOn     time.Time
	DeclineReason string
	PatientID     int64 // the account that used the invitation, 0 before
	SentAt        time.Time
	ReceivedAt    *time.Time
	AcceptedAt    *time.Time
	DeclinedAt    *time.Time
	ClaimedAt     *time.Time
	AttendedAt    *time.Time
	ClosedAt      *time.Time
	NoResponseAt  *time.Time
	CodeExpires   *time.Time
	UpdatedAt     time.Time

	// The patient's details, filled only for those who may read them; each
	// read is written to the audit log.
	Name, Contact, Email, Reason string

	// How the caller relates to it.
	IsReferrer, IsReceiver bool
}

// Attended reports whether the person has come to the group or service.
func (r Referral) Attended() bool { return r.AttendedAt != nil }

// Claimed reports whether the patient has used the invitation.
func (r Referral) Claimed() bool { return r.ClaimedAt != nil }

// Step is one dated step of a referral's timeline.
type Step struct {
	Key string // a status, or "joined" when the invitation was used
	At  time.Time
}

// Timeline lists the steps the referral has taken, in order.
func (r Referral) Timeline() []Step {
	out := []Step{{StatusSent, r.SentAt}}
	for _, s := range []struct {
		key string
		at  *time.Time
	}{{StatusReceived, r.ReceivedAt}, {StatusAccepted, r.AcceptedAt}, {StatusDeclined, r.DeclinedAt}, {"joined", r.ClaimedAt},
		{StatusAttended, r.AttendedAt}, {StatusClosed, r.ClosedAt}, {StatusNoResponse, r.NoResponseAt}} {
		if s.at != nil {
			out = append(out, Step{s.key, *s.at})
		}
	}
	return out
}

// Input is the referral form.
type Input struct {
	OrgID         int64  // the referrer's organisation
	Kind          string // KindGroup or KindService
	GroupID       int64
	ServiceID     string
	DestOrgID     int64 // the organisation that receives a service referral
	Name          string
	Contact       string
	Email         string
	Reason        string
	InviteLang    string
	Consent       bool
	ConsentMethod string
	ConsentOn     string // YYYY-MM-DD
}
