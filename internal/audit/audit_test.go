package audit_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/db/dbtest"
)

func TestRecordAndList(t *testing.T) {
	ctx := context.Background()
	log := audit.New(dbtest.Open(t))
	for _, a := range []string{"auth.login", "auth.login_failed", "admin.role.grant", "auth.login"} {
		if err := log.Record(ctx, nil, audit.Entry{ActorName: "sari", Action: a, IP: "10.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := log.List(ctx, audit.Filter{})
	if err != nil || len(all) != 4 || all[0].Action != "auth.login" || all[0].ID < all[1].ID {
		t.Fatalf("list all: %v %+v", err, all)
	}
	auth, _ := log.List(ctx, audit.Filter{Action: "auth."})
	if len(auth) != 3 {
		t.Fatalf("prefix filter: got %d, want 3", len(auth))
	}
	page, _ := log.List(ctx, audit.Filter{Before: all[1].ID, Limit: 10})
	if len(page) != 2 {
		t.Fatalf("keyset page: got %d, want 2", len(page))
	}
	under, _ := log.List(ctx, audit.Filter{Action: "auth_"})
	if len(under) != 0 {
		t.Fatalf("underscore must match literally, got %d", len(under))
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	if got := audit.ClientIP(r); got != "203.0.113.9" {
		t.Fatalf("behind loopback proxy: %q", got)
	}
	r.RemoteAddr = "198.51.100.2:5000"
	if got := audit.ClientIP(r); got != "198.51.100.2" {
		t.Fatalf("direct: %q", got)
	}
}
