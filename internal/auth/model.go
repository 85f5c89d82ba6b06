package auth

import (
	"context"
	"errors"
	"time"
)

// Role is what a person does in one organisation.
type Role string

// The roles of the network, from PRODUCT.md.
const (
	RoleMember       Role = "member"
	RoleFacilitator  Role = "facilitator"
	RoleMentor       Role = "mentor"
	RoleCoordinator  Role = "coordinator"
	RoleProfessional Role = "professional"
	RoleModerator    Role = "moderator"
	RoleAnalyst      Role = "analyst"
	RoleAdmin        Role = "admin"
)

// Roles lists every role in a stable order, for forms and checks.
var Roles = []Role{RoleMember, RoleFacilitator, RoleMentor, RoleCoordinator, RoleProfessional, RoleModerator, RoleAnalyst, RoleAdmin}

// ValidRole reports whether r is one of Roles.
func ValidRole(r Role) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// OrgKinds are the kinds of organisation a network has.
var OrgKinds = []string{"ngo", "clinic", "puskesmas", "health_board", "hospital", "community", "university", "donor", "private"}

// ValidOrgKind reports whether k is one of OrgKinds.
func ValidOrgKind(k string) bool {
	for _, x := range OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Permission names something a person may do.
type Permission string

// Permissions of the foundation; features add their own.
const (
	// PermAdminArea opens the admin area at all.
	PermAdminArea Permission = "admin.area"
	// PermManageOrgs creates and edits organisations (network administrators).
	PermManageOrgs Permission = "admin.orgs"
	// PermManagePeople grants and revokes roles within an organisation.
	PermManagePeople Permission = "admin.people"
	// PermViewAudit reads the audit log.
	PermViewAudit Permission = "admin.audit"
	// PermEditHelp edits the crisis lines on /help.
	PermEditHelp Permission = "admin.help"
	// PermManageGroups creates an organisation's support groups and assigns
	// their facilitators.
	PermManageGroups Permission = "groups.manage"
	// PermModerate is the safety lead's: escalations, reports, sanctions and
	// conflict cases in the organisation's groups, and trying the screener.
	PermModerate Permission = "safety.moderate"
	// PermViewOutcomes opens an organisation's evaluation: dashboards,
	// sponsor reports and research exports of its groups.
	PermViewOutcomes Permission = "outcomes.view"
	// PermViewNetworkOutcomes opens the evaluation of the whole network
	// (analysts; network administrators hold every permission).
	PermViewNetworkOutcomes Permission = "outcomes.network"
	// PermWriteLibrary writes an organisation's resources in the library
	// and reviews its colleagues' before they are published.
	PermWriteLibrary Permission = "library.write"
	// PermCurateDirectory edits the services directory's listings, marks
	// them verified and answers the problems people report. Listings are
	// the whole network's (HSDS organisations are not Rangkul's), so holding
	// it in any organisation curates every listing.
	PermCurateDirectory Permission = "directory.curate"
)

// rolePerms says which permissions each role holds within its organisation.
// Network administrators (User.SiteAdmin) hold every permission everywhere.
var rolePerms = map[Role][]Permission{
	// An organisation's administrators manage its people. The audit log spans
	// the whole network, so only network administrators read it.
	RoleAdmin:       {PermAdminArea, PermManagePeople, PermManageGroups, PermModerate, PermViewOutcomes, PermWriteLibrary, PermCurateDirectory},
	RoleCoordinator: {PermManageGroups, PermViewOutcomes, PermWriteLibrary, PermCurateDirectory},
	RoleAnalyst:     {PermViewOutcomes, PermViewNetworkOutcomes},
	RoleModerator:   {PermModerate},
}

// User is an account. Username is the sign-in name, never shown in groups.
type User struct {
	ID        int64
	Username  string
	Email     string // optional
	Locale    string // preferred interface language, "" for the browser's
	SiteAdmin bool   // a network administrator
	Disabled  bool
	CreatedAt time.Time
	LastLogin time.Time
}

// Organisation is an NGO, clinic, community health centre, health board or
// other body that takes part in the network.
type Organisation struct {
	ID        int64
	Slug      string
	Name      string
	Kind      string
	Region    string
	CreatedAt time.Time
	People    int // people with any role here, when listed
}

// Grant is one role held in one organisation.
type Grant struct {
	OrgID   int64
	OrgName string
	Role    Role
}

// Principal is who is making a request: the signed-in user and their roles.
// A nil *Principal is a stranger.
type Principal struct {
	UserID    int64
	Username  string
	Locale    string
	SiteAdmin bool
	Grants    []Grant
}

// Can reports whether p holds perm in organisation orgID.
func (p *Principal) Can(perm Permission, orgID int64) bool {
	if p == nil {
		return false
	}
	if p.SiteAdmin {
		return true
	}
	for _, g := range p.Grants {
		if g.OrgID == orgID && roleHas(g.Role, perm) {
			return true
		}
	}
	return false
}

// CanAny reports whether p holds perm in at least one organisation.
func (p *Principal) CanAny(perm Permission) bool {
	if p == nil {
		return false
	}
	if p.SiteAdmin {
		return true
	}
	for _, g := range p.Grants {
		if roleHas(g.Role, perm) {
			return true
		}
	}
	return false
}

// HasRole reports whether p holds role r in any organisation.
func (p *Principal) HasRole(r Role) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// OrgsWith lists the organisations where p holds perm.
func (p *Principal) OrgsWith(perm Permission) []int64 {
	var out []int64
	if p == nil {
		return out
	}
	seen := map[int64]bool{}
	for _, g := range p.Grants {
		if roleHas(g.Role, perm) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			out = append(out, g.OrgID)
		}
	}
	return out
}

func roleHas(r Role, perm Permission) bool {
	for _, x := range rolePerms[r] {
		if x == perm {
			return true
		}
	}
	return false
}

// Errors every service method may return; the web kit maps them to responses.
var (
	// ErrUnauthenticated means the action needs a signed-in person.
	ErrUnauthenticated = errors.New("sign-in required")
	// ErrForbidden means the signed-in person may not do this.
	ErrForbidden = errors.New("forbidden")
)

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of ctx, or nil for a stranger.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// Require returns the principal of ctx if it holds perm in orgID (orgID 0:
// in any organisation), ErrUnauthenticated for a stranger, else ErrForbidden.
func Require(ctx context.Context, perm Permission, orgID int64) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, ErrUnauthenticated
	}
	ok := p.Can(perm, orgID)
	if orgID == 0 {
		ok = p.CanAny(perm)
	}
	if !ok {
		return nil, ErrForbidden
	}
	return p, nil
}

// RequireUser returns the principal of ctx, or ErrUnauthenticated.
func RequireUser(ctx context.Context) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, ErrUnauthenticated
	}
	return p, nil
}
