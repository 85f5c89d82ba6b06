package groups_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
)

type fixture struct {
	db     *db.DB
	log    *audit.Log
	auth   *auth.Service
	groups *groups.Service
	sys    context.Context
	org    int64
}

func newFixture(t *testing.T) *fixture { return newFixtureTB(t) }

func newFixtureTB(t testing.TB) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	log := audit.New(d)
	a := auth.NewService(d, log, auth.Options{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	f := &fixture{db: d, log: log, auth: a, groups: groups.NewService(d, log, a), sys: auth.System(context.Background())}
	o, err := a.CreateOrg(f.sys, auth.OrgInput{Slug: "yayasan", Name: "Yayasan Pulih", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	f.org = o.ID
	return f
}

func (f *fixture) person(t *testing.T, name string, role auth.Role) context.Context {
	t.Helper()
	u, _, err := f.auth.Register(f.sys, auth.Registration{Username: name, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	var grants []auth.Grant
	if role != "" {
		if err := f.auth.GrantRole(f.sys, u.ID, f.org, role); err != nil {
			t.Fatal(err)
		}
		grants = []auth.Grant{{OrgID: f.org, Role: role}}
	}
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
}

func input(name string, open bool, capacity int) groups.Input {
	return groups.Input{Name: name, Description: "Kelompok dukungan untuk kecemasan", Topic: "anxiety", Language: "id",
		Region: "DKI Jakarta", Mode: "online", Capacity: strconv.Itoa(capacity), Open: open, Listed: true,
		HouseRules: "Saling menghargai."}
}

func fieldKey(err error) string {
	if fe, ok := valid.As(err); ok {
		return fe.Field + ":" + fe.Key
	}
	return ""
}

func TestOnlyCoordinatorsCreateGroups(t *testing.T) {
	f := newFixture(t)
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	member := f.person(t, "anggota", auth.RoleMember)
	if _, err := f.groups.Create(member, f.org, input("Ruang Tenang", true, 10)); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member creating a group: %v", err)
	}
	if _, err := f.groups.Create(context.Background(), f.org, input("Ruang Tenang", true, 10)); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("stranger creating a group: %v", err)
	}
	bad := []struct {
		in   groups.Input
		want string
	}{
		{input("", true, 10), "name:form.required"},
		{input("<script>x</script>", true, 10), "name:form.no_markup"},
		{func() groups.Input { i := input("Ok name", true, 10); i.Topic = "astrology"; return i }(), "topic:form.choose"},
		{input("Ok name", true, 1), "capacity:form.number"},
		{input("Ok name", true, 201), "capacity:form.number"},
		{func() groups.Input { i := input("Ok name", true, 10); i.Capacity = "ten"; return i }(), "capacity:form.number"},
	}
	for _, c := range bad {
		if _, err := f.groups.Create(coord, f.org, c.in); fieldKey(err) != c.want {
			t.Errorf("Create(%+v) = %v, want %s", c.in.Name, err, c.want)
		}
	}
	id, err := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	if err != nil || id == 0 {
		t.Fatal(err)
	}
	found, total, err := f.groups.Directory(context.Background(), groups.Filter{Query: "cemas"})
	if err != nil || total != 1 || found[0].ID != id {
		t.Fatalf("search for cemas: %v %d", err, total)
	}
}

func TestJoiningUnderAPseudonym(t *testing.T) {
	f := newFixture(t)
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	sari := f.person(t, "sari", "")
	budi := f.person(t, "budi", "")
	if _, err := f.groups.Join(sari, id, groups.JoinInput{DisplayName: "Senja"}); fieldKey(err) != "accept_rules:groups.accept_rules_required" {
		t.Fatalf("without accepting rules: %v", err)
	}
	if _, err := f.groups.Join(sari, id, groups.JoinInput{DisplayName: "SARI", AcceptRules: true}); fieldKey(err) != "display_name:groups.pseudonym_is_username" {
		t.Fatalf("username as pseudonym: %v", err)
	}
	status, err := f.groups.Join(sari, id, groups.JoinInput{DisplayName: "Senja", AcceptRules: true})
	if err != nil || status != groups.StatusActive {
		t.Fatalf("join open group: %v %s", err, status)
	}
	if _, err := f.groups.Join(sari, id, groups.JoinInput{DisplayName: "Senja Lagi", AcceptRules: true}); fieldKey(err) != "display_name:groups.already_member" {
		t.Fatalf("joining twice: %v", err)
	}
	// Pseudonyms are unique within a group, whatever their case.
	if _, err := f.groups.Join(budi, id, groups.JoinInput{DisplayName: "senja", AcceptRules: true}); fieldKey(err) != "display_name:groups.name_taken" {
		t.Fatalf("same pseudonym in other case: %v", err)
	}
	members, err := f.groups.Members(sari, id)
	if err != nil || len(members) == 0 || members[0].DisplayName == "sari" {
		t.Fatalf("members: %v %+v", err, members)
	}
	outsider := f.person(t, "tamu", "")
	if _, err := f.groups.Members(outsider, id); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("outsider reading members: %v", err)
	}
	if err := f.groups.Leave(sari, id); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.Leave(sari, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("leaving twice: %v", err)
	}
}

func TestClosedGroupRequestsAndDecisions(t *testing.T) {
	f := newFixture(t)
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Sahabat Bipolar", false, 2))
	facil := f.person(t, "fasilitator", auth.RoleFacilitator)
	if err := f.groups.AssignFacilitator(coord, id, "fasilitator", "Kak Rani"); err != nil {
		t.Fatal(err)
	}
	f.person(t, "bukan", auth.RoleMember)
	if err := f.groups.AssignFacilitator(coord, id, "bukan", "Bukan"); fieldKey(err) != "username:groups.not_a_facilitator" {
		t.Fatalf("assigning a non-facilitator: %v", err)
	}
	a := f.person(t, "anggota-a", "")
	status, err := f.groups.Join(a, id, groups.JoinInput{DisplayName: "Arif", AcceptRules: true, Message: "Halo"})
	if err != nil || status != groups.StatusPending {
		t.Fatalf("closed group join: %v %s", err, status)
	}
	if _, err := f.groups.Requests(a, id); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member reading requests: %v", err)
	}
	reqs, err := f.groups.Requests(facil, id)
	if err != nil || len(reqs) != 1 || reqs[0].RequestMessage != "Halo" {
		t.Fatalf("requests: %v %+v", err, reqs)
	}
	if err := f.groups.Decide(facil, id, reqs[0].ID, true, "Selamat datang"); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.Decide(facil, id, reqs[0].ID, true, ""); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("deciding twice: %v", err)
	}
	// Another group's facilitator cannot manage this one.
	other, _ := f.groups.Create(coord, f.org, input("Lain", true, 5))
	otherFacil := f.person(t, "fasilitator-lain", auth.RoleFacilitator)
	if err := f.groups.AssignFacilitator(coord, other, "fasilitator-lain", "Kak Lain"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.Requests(otherFacil, id); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("another group's facilitator: %v", err)
	}
	// Capacity cannot go below the members there are.
	in := input("Sahabat Bipolar", false, 0)
	in.Capacity = "1"
	if err := f.groups.Update(facil, id, in); fieldKey(err) != "capacity:form.number" {
		t.Fatalf("capacity 1: %v", err)
	}
}

// Many people taking the last places at once never overfill a group, on
// either engine.
func TestConcurrentJoinsNeverExceedCapacity(t *testing.T) {
	f := newFixture(t)
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Kecil", true, 3))
	var ctxs []context.Context
	for i := 0; i < 12; i++ {
		ctxs = append(ctxs, f.person(t, "orang-"+strconv.Itoa(i), ""))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	joined, full := 0, 0
	for i, ctx := range ctxs {
		wg.Add(1)
		go func(i int, ctx context.Context) {
			defer wg.Done()
			_, err := f.groups.Join(ctx, id, groups.JoinInput{DisplayName: "Nama " + strconv.Itoa(i), AcceptRules: true})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				joined++
			case fieldKey(err) == "display_name:groups.full":
				full++
			default:
				t.Errorf("join %d: %v", i, err)
			}
		}(i, ctx)
	}
	wg.Wait()
	if joined != 3 || full != 9 {
		t.Fatalf("joined %d, refused as full %d; want 3 and 9", joined, full)
	}
	v, _ := f.groups.Group(context.Background(), id)
	if v.Group.Members != 3 || v.Group.FreePlaces() != 0 {
		t.Fatalf("group shows %d members", v.Group.Members)
	}
}
