package textkit

import (
	"reflect"
	"strings"
	"testing"
)

func TestFoldAndWords(t *testing.T) {
	if got := Fold("Café KECEMASAN Ñ"); got != "cafe kecemasan n" {
		t.Fatalf("Fold = %q", got)
	}
	got := Words("Anak-anak & teman-temannya: self-help, (Gangguan) Bipolar!! 2026")
	want := []string{"anak", "teman", "self", "help", "gangguan", "bipolar", "2026"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q, want %q", got, want)
	}
	if len(Words("")) != 0 || len(Words(" -- ")) != 0 {
		t.Fatal("empty input gave words")
	}
}

func TestStemID(t *testing.T) {
	cases := map[string]string{
		"kecemasan": "cemas", "cemas": "cemas", "kesehatan": "sehat", "kesepian": "sepi",
		"pendampingan": "damping", "pendamping": "damping", "mendampingi": "damping", "didampingi": "damping",
		"pengobatan": "obat", "berobat": "obat", "penyintas": "sintas", "perasaan": "rasa", "merasa": "rasa",
		"dukungan": "dukung", "pendukung": "dukung", "mendukung": "dukung", "didukung": "dukung",
		"perawatan": "rawat", "dirawat": "rawat", "merawat": "rawat", "menulis": "tulis", "memukul": "pukul",
		"membaca": "baca", "mencari": "cari", "layanan": "layan", "pelayanan": "layan", "terganggu": "ganggu",
		"gangguan": "ganggu", "belajar": "ajar", "keluarganya": "keluarga", "bukumu": "buku", "bisakah": "bisa",
		// Roots that look affixed are kept.
		"makan": "makan", "jalan": "jalan", "terapi": "terapi", "diskusi": "diskusi", "depresi": "depresi",
		"keluarga": "keluarga", "bipolar": "bipolar", "diri": "diri", "teman": "teman", "psikosis": "psikosis",
	}
	for in, want := range cases {
		if got := StemID(in); got != want {
			t.Errorf("StemID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStemEN(t *testing.T) {
	cases := map[string]string{
		"carers": "carer", "carer": "carer", "families": "family", "classes": "class", "supporting": "support",
		"supported": "support", "running": "run", "feeling": "feel", "needed": "need", "groups": "group",
		"anxious": "anxious", "crisis": "crisis", "bus": "bus", "is": "is", "ing": "ing", "sing": "sing",
	}
	for in, want := range cases {
		if got := StemEN(in); got != want {
			t.Errorf("StemEN(%q) = %q, want %q", in, got, want)
		}
	}
}

// The searches the groups directory promises, as term matches.
func TestSearchFindsWordForms(t *testing.T) {
	cases := []struct{ query, text string }{
		{"cemas", "Kelompok dukungan untuk kecemasan"},
		{"kecemasan", "Saya sering cemas"},
		{"bipolar", "Gangguan Bipolar: saling dukung"},
		{"carers", "Support circle for carer families"},
		{"carer", "Carers' evening"},
		{"pendamping keluarga", "Mendampingi keluarga dengan skizofrenia"},
		{"supporting", "Peer support"},
	}
	for _, c := range cases {
		if !matches(Query(c.query), SearchTerms(c.text)) {
			t.Errorf("%q does not find %q (terms %q, query %q)", c.query, c.text, SearchTerms(c.text), Query(c.query))
		}
	}
	if matches(Query("psikosis"), SearchTerms("Kelompok kecemasan")) {
		t.Error("unrelated word matched")
	}
}

func matches(q [][]string, terms string) bool {
	have := map[string]bool{}
	for _, t := range strings.Fields(terms) {
		have[t] = true
	}
	for _, group := range q {
		ok := false
		for _, t := range group {
			ok = ok || have[t]
		}
		if !ok {
			return false
		}
	}
	return len(q) > 0
}

func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"kecemasan", "Anak-anak", "café", "a-b-c-", "\xff\xfe", "meng", "ter-ter"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range strings.Fields(SearchTerms(s)) {
			for _, r := range term {
				if r == '"' || r == '\'' || r == '*' || r == '(' || r == ')' || r == ':' || r == '&' || r == '|' || r == '!' {
					t.Fatalf("term %q carries query syntax", term)
				}
			}
		}
	})
}
