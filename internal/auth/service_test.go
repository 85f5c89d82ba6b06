package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/valid"
)

var cheap = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

type fixture struct {
	svc   *auth.Service
	log   *audit.Log
	clock *time.Time
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	f := &fixture{clock: &now, ctx: audit.WithIP(context.Background(), "192.0.2.7")}
	f.log = audit.New(d)
	f.svc = auth.NewService(d, f.log, auth.Options{Hash: cheap, Now: func() time.Time { return *f.clock }})
	return f
}

func (f *fixture) register(t *testing.T, name string) (auth.User, []string) {
	t.Helper()
	u, codes, err := f.svc.Register(f.ctx, auth.Registration{Username: name, Password: "a long enough password"})
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return u, codes
}

func fieldKey(err error) string {
	if fe, ok := valid.As(err); ok {
		return fe.Field + ":" + fe.Key
	}
	return ""
}

func TestRegisterWithUsernameOnly(t *testing.T) {
	f := newFixture(t)
	u, codes := f.register(t, "  Bunga.Senja ")
	if u.Username != "bunga.senja" || u.Email != "" {
		t.Fatalf("user %+v", u)
	}
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
	}
	_, _, err := f.svc.Register(f.ctx, auth.Registration{Username: "BUNGA.senja", Password: "another long password"})
	if got := fieldKey(err); got != "username:auth.username_taken" {
		t.Fatalf("duplicate username: %v", err)
	}
}

func TestRegisterRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		reg  auth.Registration
		want string
	}{
		{auth.Registration{Username: "", Password: "a long enough password"}, "username:form.required"},
		{auth.Registration{Username: "ab", Password: "a long enough password"}, "username:form.too_short"},
		{auth.Registration{Username: strings.Repeat("a", 33), Password: "a long enough password"}, "username:form.too_long"},
		{auth.Registration{Username: "<script>", Password: "a long enough password"}, "username:form.username_chars"},
		{auth.Registration{Username: "x'; DROP TABLE users;--", Password: "a long enough password"}, "username:form.username_chars"},
		{auth.Registration{Username: "bad\xffname", Password: "a long enough password"}, "username:form.invalid_text"},
		{auth.Registration{Username: "sari", Password: "short"}, "password:form.too_short"},
		{auth.Registration{Username: "sari", Password: strings.Repeat("p", 201)}, "password:form.too_long"},
		{auth.Registration{Username: "sari", Password: "a long enough password", Email: "not-an-email"}, "email:form.email"},
	}
	for _, c := range cases {
		_, _, err := f.svc.Register(f.ctx, c.reg)
		if got := fieldKey(err); got != c.want {
			t.Errorf("Register(%q, email %q) = %v, want %s", c.reg.Username, c.reg.Email, err, c.want)
		}
	}
	// Nothing was stored by the refused attempts.
	if _, err := f.svc.PersonByName(auth.System(f.ctx), "sari"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("refused registration stored an account: %v", err)
	}
}

func TestLoginAnswersAlikeForUnknownAndWrong(t *testing.T) {
	f := newFixture(t)
	f.register(t, "sari")
	_, _, errWrong := f.svc.Login(f.ctx, "sari", "wrong password!", "test")
	_, _, errUnknown := f.svc.Login(f.ctx, "nobody", "wrong password!", "test")
	if !errors.Is(errWrong, auth.ErrBadCredentials) || !errors.Is(errUnknown, auth.ErrBadCredentials) {
		t.Fatalf("wrong: %v, unknown: %v", errWrong, errUnknown)
	}
	token, u, err := f.svc.Login(f.ctx, "SARI", "a long enough password", "test")
	if err != nil || token == "" || u.Username != "sari" {
		t.Fatalf("login: %v", err)
	}
	p, err := f.svc.Authenticate(f.ctx, token)
	if err != nil || p == nil || p.Username != "sari" {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	if p, _ := f.svc.Authenticate(f.ctx, token+"x"); p != nil {
		t.Fatal("a changed token authenticated")
	}
	entries, _ := f.log.List(f.ctx, audit.Filter{Action: "auth.login"})
	var ok, failed int
	for _, e := range entries {
		switch e.Action {
		case "auth.login":
			ok++
		case "auth.login_failed":
			failed++
			if e.IP != "192.0.2.7" {
				t.Errorf("failed sign-in logged without address: %+v", e)
			}
		}
	}
	if ok != 1 || failed != 2 {
		t.Fatalf("audit: %d sign-ins, %d failures; want 1, 2", ok, failed)
	}
}

func TestLoginRateLimitBacksOffWithoutRevealingAccounts(t *testing.T) {
	f := newFixture(t)
	f.register(t, "sari")
	for _, name := range []string{"sari", "nobody"} {
		ctx := audit.WithIP(context.Background(), "198.51.100."+map[string]string{"sari": "1", "nobody": "2"}[name])
		var limited *auth.RateLimitedError
		for i := 0; i < 5; i++ {
			if _, _, err := f.svc.Login(ctx, name, "wrong password!", ""); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("%s try %d: %v", name, i, err)
			}
		}
		// The sixth failure starts the wait; the next try is refused unread.
		_, _, _ = f.svc.Login(ctx, name, "wrong password!", "")
		_, _, err := f.svc.Login(ctx, name, "a long enough password", "")
		if !errors.As(err, &limited) {
			t.Fatalf("%s: want rate limit, got %v", name, err)
		}
	}
	// Waiting long enough lets the right password in.
	*f.clock = f.clock.Add(10 * time.Minute)
	if _, _, err := f.svc.Login(audit.WithIP(context.Background(), "198.51.100.1"), "sari", "a long enough password", ""); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	f := newFixture(t)
	_, codes := f.register(t, "sari")
	old, _, _ := f.svc.Login(f.ctx, "sari", "a long enough password", "")
	messy := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	token, _, err := f.svc.Recover(f.ctx, "sari", messy, "a brand new password", "")
	if err != nil || token == "" {
		t.Fatalf("recover: %v", err)
	}
	if p, _ := f.svc.Authenticate(f.ctx, old); p != nil {
		t.Fatal("recovery must end earlier sessions")
	}
	if _, _, err := f.svc.Recover(f.ctx, "sari", codes[3], "yet another password", ""); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("reused code: %v", err)
	}
	if _, _, err := f.svc.Login(f.ctx, "sari", "a brand new password", ""); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, _, err := f.svc.Recover(f.ctx, "nobody", codes[4], "yet another password", ""); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	f := newFixture(t)
	f.register(t, "sari")
	keep, _, _ := f.svc.Login(f.ctx, "sari", "a long enough password", "")
	other, _, _ := f.svc.Login(f.ctx, "sari", "a long enough password", "")
	p, _ := f.svc.Authenticate(f.ctx, keep)
	ctx := auth.WithPrincipal(f.ctx, p)
	if err := f.svc.ChangePassword(ctx, "wrong", "a brand new password", keep); fieldKey(err) != "current:auth.current_wrong" {
		t.Fatalf("wrong current: %v", err)
	}
	if err := f.svc.ChangePassword(ctx, "a long enough password", "a brand new password", keep); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.svc.Authenticate(f.ctx, keep); p == nil {
		t.Fatal("the session that changed the password must stay")
	}
	if p, _ := f.svc.Authenticate(f.ctx, other); p != nil {
		t.Fatal("other sessions must end")
	}
	if err := f.svc.ChangePassword(f.ctx, "x", "y", ""); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("stranger: %v", err)
	}
}

func TestSessionsExpire(t *testing.T) {
	f := newFixture(t)
	f.register(t, "sari")
	token, _, _ := f.svc.Login(f.ctx, "sari", "a long enough password", "")
	*f.clock = f.clock.Add(f.svc.SessionTTL + time.Minute)
	if p, _ := f.svc.Authenticate(f.ctx, token); p != nil {
		t.Fatal("expired session authenticated")
	}
}

func TestRolesAreScopedToOrganisations(t *testing.T) {
	f := newFixture(t)
	sys := auth.System(f.ctx)
	a, err := f.svc.CreateOrg(sys, auth.OrgInput{Slug: "yayasan-a", Name: "Yayasan A", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.svc.CreateOrg(sys, auth.OrgInput{Slug: "klinik-b", Name: "Klinik B", Kind: "clinic"})
	boss, _ := f.register(t, "boss")
	member, _ := f.register(t, "member")
	if err := f.svc.GrantRole(sys, boss.ID, a.ID, auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	token, _, _ := f.svc.Login(f.ctx, "boss", "a long enough password", "")
	p, _ := f.svc.Authenticate(f.ctx, token)
	ctx := auth.WithPrincipal(f.ctx, p)
	if err := f.svc.GrantRole(ctx, member.ID, a.ID, auth.RoleFacilitator); err != nil {
		t.Fatalf("admin of A granting in A: %v", err)
	}
	if err := f.svc.GrantRole(ctx, member.ID, b.ID, auth.RoleFacilitator); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("admin of A granting in B: %v", err)
	}
	if _, err := f.svc.CreateOrg(ctx, auth.OrgInput{Slug: "c", Name: "C", Kind: "ngo"}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("org admin creating an organisation: %v", err)
	}
	if _, err := f.svc.AuditLog(ctx, audit.Filter{}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("org admin reading the network's audit log: %v", err)
	}
	people, total, err := f.svc.People(ctx, auth.PeopleFilter{})
	if err != nil || total != 2 || len(people) != 2 {
		t.Fatalf("org admin sees %d people (%v), want boss and member", total, err)
	}
	if err := f.svc.GrantRole(sys, member.ID, a.ID, "wizard"); fieldKey(err) != "role:form.choose" {
		t.Fatalf("unknown role: %v", err)
	}
	if err := f.svc.GrantRole(sys, 99999, a.ID, auth.RoleMember); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	entries, _ := f.log.List(f.ctx, audit.Filter{Action: "admin.role.grant"})
	if len(entries) != 2 || entries[0].ActorName != "boss" {
		t.Fatalf("role grants in the audit log: %+v", entries)
	}
	// Org admins' people search is confined to their organisations.
	outsider, _ := f.register(t, "outsider")
	if _, err := f.svc.PersonByID(ctx, outsider.ID); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("org admin opening an outsider: %v", err)
	}
}

func TestLastNetworkAdminStays(t *testing.T) {
	f := newFixture(t)
	sys := auth.System(f.ctx)
	u, _ := f.register(t, "root")
	if err := f.svc.SetSiteAdmin(sys, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSiteAdmin(sys, u.ID, false); !errors.Is(err, auth.ErrLastAdmin) {
		t.Fatalf("removing the last admin: %v", err)
	}
}

func TestDisabledAccountCannotSignIn(t *testing.T) {
	f := newFixture(t)
	sys := auth.System(f.ctx)
	u, _ := f.register(t, "sari")
	token, _, _ := f.svc.Login(f.ctx, "sari", "a long enough password", "")
	if err := f.svc.SetDisabled(sys, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.svc.Authenticate(f.ctx, token); p != nil {
		t.Fatal("disabled account kept its session")
	}
	if _, _, err := f.svc.Login(f.ctx, "sari", "a long enough password", ""); !errors.Is(err, auth.ErrDisabled) {
		t.Fatalf("disabled login: %v", err)
	}
}
