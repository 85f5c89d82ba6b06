package web

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

func TestDecodeValuesMarksBrokenText(t *testing.T) {
	f := DecodeValues(url.Values{"name": {"ok\xff"}, "city": {"Makassar"}, "\xffkey": {"x"}})
	if f.Get("city") != "Makassar" || f.Get("name") != "" {
		t.Fatalf("values: %v", f.Values)
	}
	if e := f.Errors["name"]; e == nil || e.Key != "form.invalid_text" {
		t.Fatalf("errors: %v", f.Errors)
	}
	if _, ok := f.Values["\xffkey"]; ok {
		t.Fatal("invalid key kept")
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/groups?q=x": "/groups?q=x", "": "/", "//evil.example": "/", "/\\evil.example": "/",
		"https://evil.example/": "/", "javascript:alert(1)": "/", "groups": "/",
	} {
		if got := LocalPath(in, "/"); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecodeValues: whatever a browser or attacker sends, the decoded form holds
// only valid UTF-8, and every field error names a field and a message key.
func FuzzDecodeValues(f *testing.F) {
	for _, seed := range []string{"username=sari&password=x", "a=%FF%FE", "name=<script>alert(1)</script>",
		"q=%27%20OR%201%3D1--", "x=1&x=2&x=%00", "%zz=1", strings100()} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		raw, err := url.ParseQuery(body)
		if err != nil && len(raw) == 0 {
			return
		}
		form := DecodeValues(raw)
		for k, vs := range form.Values {
			if !utf8.ValidString(k) {
				t.Fatalf("invalid key %q kept", k)
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					t.Fatalf("invalid value %q kept for %q", v, k)
				}
			}
		}
		for field, e := range form.Errors {
			if e.Field != field || e.Key == "" {
				t.Fatalf("bad error %+v for %q", e, field)
			}
		}
		_ = form.Int("n")
	})
}

func strings100() string {
	s := "k="
	for i := 0; i < 100; i++ {
		s += "%C3%A9"
	}
	return s
}
