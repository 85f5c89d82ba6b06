package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db/dbtest"
)

// benchGet measures GET path through the whole handler (every middleware,
// rendering and gzip), as a browser asking for compression would see it.
func benchGet(b *testing.B, path string) {
	env := apptest.New(b)
	h := env.App.Handler
	warm := httptest.NewRequest(http.MethodGet, path, nil)
	warm.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, warm)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		b.Fatalf("%s: status %d, encoding %q", path, rec.Code, rec.Header().Get("Content-Encoding"))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkHomePage(b *testing.B)  { benchGet(b, "/") }
func BenchmarkHelpPage(b *testing.B)  { benchGet(b, "/help") }
func BenchmarkLoginPage(b *testing.B) { benchGet(b, "/login") }

// BenchmarkSignIn posts the sign-in form through the whole stack. The test
// instance uses cheap password hashing, so this measures everything but the
// hash; BenchmarkPasswordHashDefault measures the hash at production cost.
func BenchmarkSignIn(b *testing.B) {
	env := apptest.New(b)
	h := env.App.Handler
	body := url.Values{"username": {"demo-member"}, "password": {"rangkul-demo"}}.Encode()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			b.Fatalf("sign-in: %d", rec.Code)
		}
	}
}

// BenchmarkPasswordHashDefault signs in with production argon2id parameters
// (19 MiB, two passes), the cost that bounds sign-ins per core.
func BenchmarkPasswordHashDefault(b *testing.B) {
	d := dbtest.Open(b)
	svc := auth.NewService(d, audit.New(d), auth.Options{})
	ctx := context.Background()
	if _, _, err := svc.Register(ctx, auth.Registration{Username: "bench", Password: "a long enough password"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := svc.Login(ctx, "bench", "a long enough password", ""); err != nil {
			b.Fatal(err)
		}
	}
}
