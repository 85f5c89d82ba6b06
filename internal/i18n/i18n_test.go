package i18n_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rangkul/rangkul/internal/i18n"
)

// Every key must exist in every language: a missing translation fails here.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	b, err := i18n.Load("id")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Langs()) < 2 {
		t.Fatalf("want at least id and en, have %v", b.Langs())
	}
	for _, l := range b.Langs() {
		for _, other := range b.Langs() {
			for _, k := range b.Keys(l.Code) {
				base := strings.TrimSuffix(strings.TrimSuffix(k, ".one"), ".other")
				if !b.Has(other.Code, base) {
					t.Errorf("key %q is in %s but missing in %s", k, l.Code, other.Code)
				}
			}
		}
	}
	for _, l := range b.Langs() {
		for _, k := range b.Keys(l.Code) {
			msg, _ := b.T(l.Code, k)
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: key %q is empty", l.Code, k)
			}
		}
	}
}

func TestTranslateFillsArguments(t *testing.T) {
	b := mustFS(t)
	got, err := b.T("en", "hello", "name", "Sari")
	if err != nil || got != "Hello, Sari" {
		t.Fatalf("T = %q, %v", got, err)
	}
	if _, err := b.T("en", "nope"); err == nil {
		t.Fatal("missing key must be an error")
	}
	one, _ := b.Plural("en", "items", 1)
	many, _ := b.Plural("en", "items", 3)
	id, _ := b.Plural("id", "items", 1)
	if one != "1 item" || many != "3 items" || id != "1 butir" {
		t.Fatalf("plural: %q %q %q", one, many, id)
	}
}

func TestNegotiate(t *testing.T) {
	b := mustFS(t)
	cases := map[string]string{
		"":                        "id",
		"en-GB,en;q=0.9":          "en",
		"fr-FR,fr;q=0.9,en;q=0.5": "en",
		"en;q=0.4,id-ID;q=0.8":    "id",
		"in-ID":                   "id",
		"de":                      "id",
		"en;q=0":                  "id",
		";;;,,q=,en-US;q=abc":     "en",
	}
	for h, want := range cases {
		if got := b.Negotiate(h); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", h, got, want)
		}
	}
}

func mustFS(t *testing.T) *i18n.Bundle {
	t.Helper()
	fsys := fstest.MapFS{
		"locales/en/a.json": {Data: []byte(`{"lang.name":"English","hello":"Hello, {name}","items.one":"{n} item","items.other":"{n} items"}`)},
		"locales/id/a.json": {Data: []byte(`{"lang.name":"Bahasa Indonesia","hello":"Halo, {name}","items.other":"{n} butir"}`)},
	}
	b, err := i18n.LoadFS(fsys, "id")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
