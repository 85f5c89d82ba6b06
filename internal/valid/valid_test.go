package valid_test

import (
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/valid"
)

func TestText(t *testing.T) {
	cases := []struct {
		in, key string
	}{
		{"  hello  ", ""},
		{"", "form.required"},
		{"   ", "form.required"},
		{"a", "form.too_short"},
		{strings.Repeat("é", 41), "form.too_long"},
		{strings.Repeat("é", 40), ""},
		{"bad\xff", "form.invalid_text"},
		{"bell\a", "form.invalid_text"},
		{"two\nlines", "form.invalid_text"},
	}
	for _, c := range cases {
		_, err := valid.Text("f", c.in, 2, 40, false)
		got := ""
		if err != nil {
			got = err.Key
		}
		if got != c.key {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.key)
		}
	}
	if _, err := valid.Text("f", "two\nlines", 2, 40, true); err != nil {
		t.Errorf("multiline refused: %v", err)
	}
}

func TestNameRefusesMarkup(t *testing.T) {
	if _, err := valid.Name("name", "<script>alert(1)</script>", 1, 80); err == nil || err.Key != "form.no_markup" {
		t.Fatalf("markup accepted: %v", err)
	}
	if v, err := valid.Name("name", "Yayasan Pulih & Kawan", 1, 80); err != nil || v != "Yayasan Pulih & Kawan" {
		t.Fatalf("plain name refused: %v", err)
	}
}

func TestSlugAndEmail(t *testing.T) {
	if _, err := valid.Slug("s", "Yayasan-Pulih", 40); err != nil {
		t.Errorf("slug lower-cased should pass: %v", err)
	}
	for _, bad := range []string{"a--b", "-a", "a b", "a'; DROP TABLE users;--"} {
		if _, err := valid.Slug("s", bad, 40); err == nil {
			t.Errorf("slug %q accepted", bad)
		}
	}
	if v, err := valid.Email("e", " Sari@Example.ORG "); err != nil || v != "sari@example.org" {
		t.Errorf("email: %q %v", v, err)
	}
	for _, bad := range []string{"sari", "sari@", "a@b", "<a@b.org>", "a b@c.org"} {
		if _, err := valid.Email("e", bad); err == nil {
			t.Errorf("email %q accepted", bad)
		}
	}
	if v, err := valid.Email("e", ""); err != nil || v != "" {
		t.Errorf("empty email must be allowed")
	}
}
