package browser

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

const goodPage = `<!doctype html><html lang="en"><head><title>Good</title></head><body>
<main><h1>Good page</h1><form><label for="n">Name</label><input id="n" name="n"><button>Send</button></form></main></body></html>`

const badPage = `<!doctype html><html lang="en"><head><title>Bad</title></head><body>
<main><h1>Bad page</h1><img src="/x.png"><input name="nolabel"></main></body></html>`

// The kit must find violations where they are and none where there are none,
// even under a strict Content-Security-Policy.
func TestAxeFindsViolationsUnderCSP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/bad" {
			w.Write([]byte(badPage))
			return
		}
		w.Write([]byte(goodPage))
	}))
	defer srv.Close()
	ctx := Start(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	if vs, err := AxeViolations(t, ctx); err != nil || len(vs) != 0 {
		t.Fatalf("good page: %v %+v", err, vs)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	vs, err := AxeViolations(t, ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	if !ids["image-alt"] || !ids["label"] {
		t.Fatalf("bad page: want image-alt and label violations, got %v", ids)
	}
}
