package outcomes

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestLibrary(t *testing.T) {
	want := []string{"phq9", "gad7", "who5", "k10", "ucla3", "osss3"}
	if got := strings.Join(Codes(), ","); got != strings.Join(want, ",") {
		t.Fatalf("codes %s", got)
	}
	list := Instruments()
	list[0] = nil // a caller's copy must not change the library
	if in, ok := Lookup("phq9"); !ok || in == nil || Instruments()[0] != in {
		t.Fatal("Instruments returned the library itself")
	}
	if _, ok := Lookup("PHQ9"); ok {
		t.Fatal("codes are exact")
	}
	statuses := map[string]bool{WordingVerified: true, WordingSecondary: true, WordingUnverified: true}
	for _, in := range Instruments() {
		t.Run(in.Code, func(t *testing.T) {
			for _, lang := range []string{"en", "id"} {
				if in.Name[lang] == "" || !statuses[in.Wording[lang]] {
					t.Errorf("%s: name %q wording status %q", lang, in.Name[lang], in.Wording[lang])
				}
				if in.Stem != nil && in.Stem[lang] == "" {
					t.Errorf("%s: stem missing", lang)
				}
			}
			if in.Citation == "" || in.Terms == "" {
				t.Error("citation or terms missing")
			}
			seen := map[string]bool{}
			for i, it := range in.Items {
				if it.LinkID == "" || seen[it.LinkID] || it.LinkID == "total" || it.LinkID == "band" || it.LinkID == "stem" {
					t.Errorf("item %d: link id %q", i+1, it.LinkID)
				}
				seen[it.LinkID] = true
				if it.Text["en"] == "" || it.Text["id"] == "" || it.Text["en"] == it.Text["id"] {
					t.Errorf("item %d: wording %q / %q", i+1, it.Text["en"], it.Text["id"])
				}
				cs := in.ChoicesOf(i)
				if len(cs) < 2 {
					t.Fatalf("item %d: %d choices", i+1, len(cs))
				}
				for _, c := range cs {
					if c.Label["en"] == "" || c.Label["id"] == "" {
						t.Errorf("item %d choice %d: label %v", i+1, c.Value, c.Label)
					}
				}
			}
			// Bands are ordered, do not overlap, and span Min..Max.
			if in.Bands[0].Min != in.Min || in.Bands[len(in.Bands)-1].Max != in.Max {
				t.Errorf("bands span %v..%v, range %v..%v", in.Bands[0].Min, in.Bands[len(in.Bands)-1].Max, in.Min, in.Max)
			}
			for i, b := range in.Bands {
				if b.Min > b.Max || b.Label["en"] == "" || b.Label["id"] == "" {
					t.Errorf("band %s: %v..%v %v", b.Code, b.Min, b.Max, b.Label)
				}
				if i > 0 && b.Min != in.Bands[i-1].Max+1 {
					t.Errorf("band %s starts at %v after %v", b.Code, b.Min, in.Bands[i-1].Max)
				}
			}
			// The range follows from the answer codes.
			lo, hi := 0, 0
			for i, it := range in.Items {
				if it.Scored {
					lo += lowest(in.ChoicesOf(i))
					hi += highest(in.ChoicesOf(i))
				}
			}
			if float64(lo)*in.factor() != in.Min || float64(hi)*in.factor() != in.Max {
				t.Errorf("answer codes give %v..%v, range says %v..%v", float64(lo)*in.factor(), float64(hi)*in.factor(), in.Min, in.Max)
			}
			if (in.Reliability > 0) != (in.ReliabilitySource != "") || in.Reliability < 0 || in.Reliability >= 1 {
				t.Errorf("reliability %v from %q", in.Reliability, in.ReliabilitySource)
			}
		})
	}
}

func highest(cs []Choice) int {
	hi := cs[0].Value
	for _, c := range cs {
		hi = max(hi, c.Value)
	}
	return hi
}

// TestWordingTraps: the fact sheet warns that the FHIR examples misword
// GAD-7 item 7 and PHQ-9 item 8; ours follow the fact sheet, and the
// Indonesian text it gives is used as given.
func TestWordingTraps(t *testing.T) {
	phq, _ := Lookup("phq9")
	gad, _ := Lookup("gad7")
	if got := gad.Items[6].Text["en"]; got != "Feeling afraid, as if something awful might happen" {
		t.Errorf("GAD-7 item 7: %q", got)
	}
	if got := phq.Items[7].Text["en"]; !strings.Contains(got, "could have noticed") {
		t.Errorf("PHQ-9 item 8: %q", got)
	}
	if got := gad.Items[0].Text["id"]; got != "Merasa gelisah, cemas atau amat tegang" {
		t.Errorf("GAD-7 item 1 (id): %q", got)
	}
	if got := phq.Items[4].Text["id"]; got != "Kurang nafsu makan atau terlalu banyak makan" {
		t.Errorf("PHQ-9 item 5 (id): %q", got)
	}
	// The examples in testdata carry the traps; make sure they still differ.
	for file, item := range map[string]int{"testdata/GAD-7.json": 6, "testdata/PHQ-9.json": 7} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var q struct {
			Item []struct {
				Item []struct{ Text string }
			}
		}
		if err := json.Unmarshal(raw, &q); err != nil {
			t.Fatal(err)
		}
		theirs := q.Item[0].Item[item].Text
		in := gad
		if strings.Contains(file, "PHQ") {
			in = phq
		}
		if theirs == in.Items[item].Text["en"] || (!strings.Contains(theirs, "gave noticed") && in == phq) || (strings.Contains(theirs, "afraid") && in == gad) {
			t.Errorf("%s item %d: %q", file, item+1, theirs)
		}
	}
	if phq.Items[9].Scored || !phq.Items[8].Safety {
		t.Error("PHQ-9: item 10 is unscored, item 9 raises the safety flag")
	}
	if phq.LOINC != "44249-1" || gad.LOINC != "69737-5" || gad.Items[6].LOINC != "69736-7" || phq.Choices[0].LOINC != "LA6568-5" {
		t.Error("LOINC codes of the fact sheet")
	}
}

func TestTextIn(t *testing.T) {
	tx := Text{"en": "Hello", "id": "Halo"}
	if tx.In("id") != "Halo" || tx.In("fr") != "Hello" || Text(nil).In("id") != "" {
		t.Fatal(tx.In("id"), tx.In("fr"))
	}
}
