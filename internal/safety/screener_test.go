package safety

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// Phrases named in the issue and the hard negatives beside them.
func TestScreenPhrases(t *testing.T) {
	cases := []struct {
		text string
		want Level
	}{
		{"pengin udahan aja hidupnya", LevelCrisis},
		{"aku nyilet lagi semalam", LevelCrisis},
		{"gak sanggup lagi", LevelConcern},
		{"mending aku gak ada", LevelCrisis},
		{"udah nyiapin obat banyak", LevelCrisis},
		{"mau loncat dari jembatan", LevelCrisis},
		{"gantung diri aja lah", LevelCrisis},
		{"kepikiran bundir", LevelCrisis},
		{"I want to die", LevelCrisis},
		{"kms", LevelCrisis},
		{"I just want to unalive myself", LevelCrisis},
		{"I have the pills ready", LevelCrisis},
		{"everyone would be better off without me", LevelConcern},
		{"this is goodbye", LevelCrisis},
		{"I cut again last night", LevelCrisis},
		{"no reason to live", LevelConcern},
		{"I'm so done, pengen mati aja", LevelCrisis},
		{"udah gak kuat, I just want it to end", LevelConcern},
		{"aku nggak pengen mati kok", LevelNone},
		{"I'm not going to hurt myself", LevelNone},
		{"dulu aku pernah nyilet, sekarang udah 2 tahun bersih", LevelNone},
		{"I used to self-harm but I've been clean for a year", LevelNone},
		{"mati kutu aku", LevelNone},
		{"mati listrik dari pagi", LevelNone},
		{"this heat is killing me", LevelNone},
		{"I could murder a pizza", LevelNone},
		{"dying to see you", LevelNone},
		{"killing it at work", LevelNone},
		{"dead tired", LevelNone},
		{"I nearly died laughing", LevelNone},
		{"kill the process", LevelNone},
		{"drop dead gorgeous", LevelNone},
		{"how do I support my son who self-harms?", LevelNone},
		// Found by running real Indonesian text (IndoNLU SmSA) through the screener.
		{"nkri harga mati", LevelNone},
		{"memasangkan mereka adalah bunuh diri politik", LevelNone},
		{"tetap maksa ingin pergi bareng keluarga ke lembang", LevelNone},
		{"pengen pergi untuk selamanya", LevelConcern},
		{"", LevelNone},
		{"🙂🙂", LevelNone},
	}
	for _, c := range cases {
		if got := Screen(c.text); got.Level != c.want {
			t.Errorf("Screen(%q) = %s %v, want %s", c.text, got.Level, got.Reasons, c.want)
		}
	}
}

// Notes about someone else (a mentor's check-in) count what is said about them.
func TestScreenNotes(t *testing.T) {
	const note = "Senja bilang dia pengen mati aja minggu ini."
	if Screen(note).Level != LevelNone {
		t.Fatalf("a member's words about someone else: %v", Screen(note))
	}
	if got := ScreenNotes(note).Level; got != LevelCrisis {
		t.Fatalf("a mentor's note: %s", got)
	}
	if got := ScreenNotes("Kami ngobrol soal pekerjaan barunya, dia senang.").Level; got != LevelNone {
		t.Fatalf("an ordinary note: %s", got)
	}
}

func TestScreenResultShape(t *testing.T) {
	r := Screen("aku udah beli tali, mau gantung diri malam ini")
	if r.Level != LevelCrisis || r.Reasons == nil || r.Language != "id" {
		t.Fatalf("result: %+v", r)
	}
	if !contains(r.Reasons, "means") {
		t.Fatalf("reasons %v lack means", r.Reasons)
	}
	if got := Screen("I want to die, pengen mati aja sekarang").Language; got != "mix" {
		t.Fatalf("language of a mixed line: %s", got)
	}
	if got := Screen("thanks everyone for listening tonight").Language; got != "en" {
		t.Fatalf("language of an English line: %s", got)
	}
	for _, code := range Screen("I have the pills ready and this is goodbye").Reasons {
		if !contains(ReasonCodes, code) {
			t.Fatalf("reason %q not in ReasonCodes", code)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type labelled struct{ lang, label, text string }

func readSet(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: bad line %q", path, line)
		}
		out = append(out, labelled{parts[0], parts[1], parts[2]})
	}
	return out
}

// Figures are per language: recall (concern and crisis lines flagged at
// concern or above), crisis recall (crisis lines flagged crisis) and the
// false-alarm rate (ordinary lines flagged). docs/safety.md reports them.
type figures struct {
	flagged, flaggedHit, crisis, crisisHit, ordinary, falseAlarm int
}

func (f figures) recall() float64       { return ratio(f.flaggedHit, f.flagged) }
func (f figures) crisisRecall() float64 { return ratio(f.crisisHit, f.crisis) }
func (f figures) falseRate() float64    { return ratio(f.falseAlarm, f.ordinary) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func evaluate(t *testing.T, path string) map[string]*figures {
	byLang := map[string]*figures{}
	for _, l := range readSet(t, path) {
		f := byLang[l.lang]
		if f == nil {
			f = &figures{}
			byLang[l.lang] = f
		}
		got := Screen(l.text).Level
		switch l.label {
		case "none":
			f.ordinary++
			if got != LevelNone {
				f.falseAlarm++
				t.Logf("false alarm [%s] %s: %q", l.lang, got, l.text)
			}
		case "concern", "crisis":
			f.flagged++
			if got != LevelNone {
				f.flaggedHit++
			} else {
				t.Logf("missed [%s] %s: %q", l.lang, l.label, l.text)
			}
			if l.label == "crisis" {
				f.crisis++
				if got == LevelCrisis {
					f.crisisHit++
				}
			}
		default:
			t.Fatalf("unknown label %q", l.label)
		}
	}
	return byLang
}

func TestEvaluation(t *testing.T) {
	for _, lang := range []string{"id", "en", "mix"} {
		f := evaluate(t, "testdata/crisis_eval.tsv")[lang]
		if f == nil || f.flagged < 20 || f.ordinary < 25 {
			t.Fatalf("%s: evaluation set too small: %+v", lang, f)
		}
		t.Logf("%s: recall %.3f (%d/%d), crisis recall %.3f (%d/%d), false alarms %.3f (%d/%d)", lang,
			f.recall(), f.flaggedHit, f.flagged, f.crisisRecall(), f.crisisHit, f.crisis, f.falseRate(), f.falseAlarm, f.ordinary)
		if f.recall() < 0.95 || f.falseRate() > 0.10 {
			t.Errorf("%s: recall %.3f (want at least 0.95), false alarms %.3f (want at most 0.10)", lang, f.recall(), f.falseRate())
		}
	}
}

func BenchmarkScreen(b *testing.B) {
	set := readSet(b, "testdata/crisis_eval.tsv")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Screen(set[i%len(set)].text)
	}
}

func FuzzScreen(f *testing.F) {
	f.Add("pengin udahan aja hidupnya")
	f.Add("I can't go on — really")
	f.Add("mati-matian ‘don’t’ ''' | ... bunuh diri")
	f.Fuzz(func(t *testing.T, s string) {
		r := Screen(s)
		if r.Level != LevelNone && r.Level != LevelConcern && r.Level != LevelCrisis {
			t.Fatalf("level %q", r.Level)
		}
		if r.Reasons == nil || (r.Level == LevelNone) != (len(r.Reasons) == 0) {
			t.Fatalf("reasons %v for level %s", r.Reasons, r.Level)
		}
	})
}

// TestHoldout reports the figures on sentences the rules were not shaped by.
// It fails only far below the target, so that a change that breaks the
// screener in general is caught; docs/safety.md gives the measured figures.
func TestHoldout(t *testing.T) {
	for lang, f := range evaluate(t, "testdata/crisis_holdout.tsv") {
		t.Logf("holdout %s: recall %.3f (%d/%d), crisis recall %.3f (%d/%d), false alarms %.3f (%d/%d)", lang,
			f.recall(), f.flaggedHit, f.flagged, f.crisisRecall(), f.crisisHit, f.crisis, f.falseRate(), f.falseAlarm, f.ordinary)
		if f.recall() < 0.80 || f.falseRate() > 0.20 {
			t.Errorf("holdout %s: recall %.3f, false alarms %.3f", lang, f.recall(), f.falseRate())
		}
	}
}
