package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
)

func TestRegisterWithUsernameOnlyShowsCodesAndSignsIn(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	// Without the consent to taking part, nothing is created.
	res := c.Post("/register", url.Values{"username": {"pelangi-pagi"}, "password": {"langit cerah sekali"}, "confirm": {"langit cerah sekali"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-consent"`) {
		t.Fatalf("register without consent: %d", res.StatusCode)
	}
	if _, _, err := env.App.Auth.Lookup(auth.System(context.Background()), "pelangi-pagi"); err == nil {
		t.Fatal("an account was created without consent")
	}
	res = c.Post("/register", url.Values{"username": {"pelangi-pagi"}, "password": {"langit cerah sekali"}, "confirm": {"langit cerah sekali"},
		"consent": {"1"}, "consent_version": {"1"}, "consent_lang": {"id"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("register: %d %s", res.StatusCode, res.Body)
	}
	codes := regexp.MustCompile(`<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>`).FindAllStringSubmatch(res.Body, -1)
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("codes page shows %d codes", len(codes))
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("codes page may be cached: %q", res.Header.Get("Cache-Control"))
	}
	if acc := c.Get("/account"); acc.StatusCode != http.StatusOK || !strings.Contains(acc.Body, "pelangi-pagi") {
		t.Fatalf("account after register: %d", acc.StatusCode)
	}
	// The code works for recovery.
	res = env.Stranger().Post("/recover", url.Values{"username": {"pelangi-pagi"}, "code": {codes[0][1]},
		"password": {"hujan turun pelan"}, "confirm": {"hujan turun pelan"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recover: %d", res.StatusCode)
	}
	// The consent was recorded with the text version and language shown.
	var version int
	var lang string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT c.version, c.lang FROM consents c JOIN users u ON u.id = c.user_id
		WHERE u.username = 'pelangi-pagi' AND c.purpose = 'participation' AND c.withdrawn_at IS NULL`).Scan(&version, &lang); err != nil || version != 1 || lang != "id" {
		t.Fatalf("participation consent: v%d %s %v", version, lang, err)
	}
	env.As("pelangi-pagi", "hujan turun pelan")
}

// Hostile and malformed values get a message beside the field and store nothing.
func TestBadInputIsAnsweredBesideTheField(t *testing.T) {
	env := apptest.New(t)
	cases := []struct {
		name, username, password, email, wantField string
	}{
		{"empty", "", "", "", "username"},
		{"script tag", "<script>alert(1)</script>", "cukup panjang sekali", "", "username"},
		{"sql fragment", "x' OR '1'='1", "cukup panjang sekali", "", "username"},
		{"over-long", strings.Repeat("a", 500), "cukup panjang sekali", "", "username"},
		{"short password", "sarinah-uji", "pendek", "", "password"},
		{"bad email", "sarinah-uji", "cukup panjang sekali", "<b>@x", "email"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := env.Stranger().Post("/register", url.Values{"username": {c.username}, "password": {c.password},
				"confirm": {c.password}, "email": {c.email}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			if !strings.Contains(res.Body, `id="e-`+c.wantField+`"`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
				t.Fatalf("no message beside %s", c.wantField)
			}
			if strings.Contains(res.Body, "<script>alert(1)</script>") {
				t.Fatal("hostile value echoed unescaped")
			}
		})
	}
	// Invalid UTF-8 in the raw body.
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/register", strings.NewReader("username=ab%FF%FEcd&password=cukup+panjang+sekali&confirm=cukup+panjang+sekali"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := env.Stranger().Do(req); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-username"`) {
		t.Fatalf("invalid UTF-8: %d", res.StatusCode)
	}
	people, total, err := env.App.Auth.People(auth.System(context.Background()), auth.PeopleFilter{Query: "sarinah"})
	if err != nil || total != 0 {
		t.Fatalf("refused input stored accounts: %d %v %+v", total, err, people)
	}
	// A body over the limit gets 413, not a crash.
	big := strings.NewReader("username=" + strings.Repeat("a", 2<<20))
	req, _ = http.NewRequest(http.MethodPost, env.Server.URL+"/login", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := env.Stranger().Do(req); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge body: %d", res.StatusCode)
	}
}

func TestLanguageFollowsChoiceThenBrowser(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	if res := c.Get("/"); !strings.Contains(res.Body, `<html lang="id">`) {
		t.Fatal("default language is not Indonesian")
	}
	c.Lang = "en-GB,en;q=0.9"
	if res := c.Get("/"); !strings.Contains(res.Body, `<html lang="en">`) || !strings.Contains(res.Body, "Need help now?") {
		t.Fatal("Accept-Language en not honoured")
	}
	res := c.Post("/lang", url.Values{"lang": {"id"}, "next": {"/help"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/help" {
		t.Fatalf("switch: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.Get("/help"); !strings.Contains(res.Body, `<html lang="id">`) || !strings.Contains(res.Body, "Butuh bantuan sekarang?") {
		t.Fatal("chosen language does not beat the browser's")
	}
	// Open redirects through next are refused.
	res = c.Post("/lang", url.Values{"lang": {"en"}, "next": {"//evil.example/x"}})
	if res.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %s", res.Header.Get("Location"))
	}
	// A signed-in person's choice is saved to the account.
	m := env.AsDemo("demo-member")
	m.Post("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	fresh := env.AsDemo("demo-member")
	if res := fresh.Get("/account"); !strings.Contains(res.Body, `<html lang="en">`) {
		t.Fatal("saved language not used at the next sign-in")
	}
}

func TestSecurityHeadersAndErrorPages(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	res := c.Get("/")
	csp := res.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP: %q", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if regexp.MustCompile(`(?i)<script>|\sstyle=|\son[a-z]+=`).MatchString(res.Body) {
		t.Fatal("inline script, style or handler in the page")
	}
	for lang, want := range map[string]string{"en": "We could not find that page", "id": "Halaman itu tidak kami temukan"} {
		c.Lang = lang
		res := c.Get("/no/such/page")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, want) || !strings.Contains(res.Body, `href="/help"`) {
			t.Errorf("404 in %s: %d", lang, res.StatusCode)
		}
	}
	c.Lang = "en"
	if res := c.Get("/admin"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("stranger to admin: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	m := env.AsDemo("demo-member")
	m.Lang = "en"
	if res := m.Get("/admin"); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "This page is not open to you") {
		t.Fatalf("member to admin: %d", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if res := c.Do(req); res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("pages are not compressed")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	env := apptest.New(t)
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/login", strings.NewReader("username=demo-admin&password=rangkul-demo"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := env.Stranger().Do(req); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", res.StatusCode)
	}
}

func TestSignInRedirectsSafelyAndFlashes(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	c.Lang = "en"
	res := c.Post("/login", url.Values{"username": {"demo-admin"}, "password": {"rangkul-demo"}, "next": {"https://evil.example/"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login redirect: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if home := c.Get("/"); !strings.Contains(home.Body, "You are signed in") {
		t.Fatal("no flash after sign-in")
	}
	if home := c.Get("/"); strings.Contains(home.Body, "You are signed in") {
		t.Fatal("flash shown twice")
	}
	res = env.Stranger().Post("/login", url.Values{"username": {"demo-admin"}, "password": {"wrong"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-password"`) {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
}

func TestOperationsEndpoints(t *testing.T) {
	env := apptest.New(t)
	c := env.Stranger()
	c.Get("/")
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": `rangkul_http_requests_total{code="200",route="GET /{$}"}`} {
		res := c.Get(path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, want) {
			t.Errorf("%s: %d, want %q in body", path, res.StatusCode, want)
		}
	}
}
