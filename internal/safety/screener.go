package safety

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/rangkul/rangkul/internal/textkit"
)

// Level is how worried the screener is about a text.
type Level string

// The levels, from none to crisis.
const (
	LevelNone    Level = "none"
	LevelConcern Level = "concern"
	LevelCrisis  Level = "crisis"
)

// Result is what the screener says about one text. It is the JSON that
// `rangkul screen` prints, one object per line.
type Result struct {
	Level    Level    `json:"level"`
	Reasons  []string `json:"reasons"`
	Language string   `json:"language"` // "id", "en" or "mix": the screener's best guess
}

// ReasonCodes lists every reason Screen gives, crisis reasons first.
var ReasonCodes = []string{
	"ideation", "plan", "means", "self_harm", "farewell", // crisis
	"passive_wish", "hopelessness", "burden", "cant_go_on", "self_harm_urge", "other_at_risk", // concern
}

var crisisReason = map[string]bool{"ideation": true, "plan": true, "means": true, "self_harm": true, "farewell": true}

// Screen reads a text as a member wrote it and says whether it shows
// suicidal thinking, a plan, means, self-harm or a farewell (crisis), or a
// wish to be gone, hopelessness, feeling a burden, not coping or an urge to
// self-harm (concern). It is a fixed set of rules over normalised words, the
// same for Indonesian, English and both mixed, so it is fast and its answers
// can be explained. See docs/safety.md for how it was measured.
func Screen(text string) Result { return screen(text, false) }

// ScreenNotes screens what a helper writes about the person they support (a
// mentor's check-in): there, words about someone else are the point, so a
// match is not set aside for naming another person.
func ScreenNotes(text string) Result { return screen(text, true) }

func screen(text string, aboutOther bool) Result {
	norm, lang := normalise(text)
	r := Result{Level: LevelNone, Reasons: []string{}, Language: lang}
	if norm == "" {
		return r
	}
	norm = idioms.ReplaceAllString(" "+norm+" ", " ~ ")
	found := map[string]bool{}
	for _, clause := range splitClauses(norm) {
		padded := " " + clause + " "
		for i := range rules {
			ru := &rules[i]
			for _, m := range ru.re.FindAllStringIndex(padded, -1) {
				if ru.negatable && negated(padded[:m[0]]) {
					continue
				}
				if next := firstWord(padded[m[1]:]); ru.notFollowed != nil && ru.notFollowed[next] {
					continue
				}
				who := "self"
				if !ru.anyone && !aboutOther {
					who = subject(padded[:m[0]])
				}
				if ru.past && isPast(padded) {
					continue
				}
				if who == "other" {
					if imminent.MatchString(padded) && crisisReason[ru.reason] {
						found["other_at_risk"] = true
					}
					continue
				}
				found[ru.reason] = true
				if ru.reason == "ideation" && imminent.MatchString(padded) {
					found["plan"] = true
				}
			}
		}
	}
	for _, code := range ReasonCodes {
		if !found[code] {
			continue
		}
		r.Reasons = append(r.Reasons, code)
		if crisisReason[code] {
			r.Level = LevelCrisis
		} else if r.Level == LevelNone {
			r.Level = LevelConcern
		}
	}
	return r
}

type rule struct {
	reason    string
	re        *regexp.Regexp
	negatable bool // "tidak"/"not" just before it turns it off
	past      bool // distant-past or recovery talk in the clause turns it off
	anyone    bool // about oneself whoever else is named ("they'd be happier without me")
	// notFollowed lists words that, right after a match, make it about a way
	// of living rather than life itself ("I don't want to live in fear").
	notFollowed map[string]bool
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

var wayOfLiving = set("dalam", "dengan", "di", "seperti", "kayak", "begini", "begitu", "tanpa", "in", "with", "like", "without", "on", "under")

func way(r rule) rule { r.notFollowed = wayOfLiving; return r }

func anyone(r rule) rule { r.anyone = true; return r }

func newRule(reason string, negatable, past bool, patterns ...string) rule {
	return rule{reason: reason, negatable: negatable, past: past,
		re: regexp.MustCompile(` (?:` + strings.Join(patterns, "|") + `) `)}
}

// The rules work on canonical words (see canon): "ingin" stands for pengen,
// pengin, mau, want...; "tidak" for gak, nggak, not...; "aku" for gue, saya...
var rules = []rule{
	// Crisis: thoughts of ending one's life.
	way(newRule("ideation", true, true,
		`ingin (saja |banget |sekali )?(mati|bunuhdiri)`, `(aku|rasanya) (ingin )?bunuhdiri`, `kepikiran (terus )?(untuk |buat )?(mati|bunuhdiri)`,
		`bunuhdiri`, `akhiri (saja )?(hidup|nyawa|semua|semuanya|semuanya saja)`, `(ingin|mau|akan) akhiri( saja)? hidup`,
		`hidup (aku )?(ingin |mau )?(aku )?akhiri`, `tidak (ingin|mau) hidup`, `(mending|lebih baik) (aku )?(mati|tidak ada)`,
		`hidup.{0,30}ingin mati`)),
	way(newRule("ideation", true, true,
		`(want|wanna|going|planning|plan|ready|need|decided|about|gonna|trying) to (die|kill myself|end (it all|my life|everything|things)|take my (own )?life|be dead|not be alive|end it)`,
		`kill(ing)? myself`, `suicide`, `suicidal`, `take my (own )?life`, `end(ing)? my life`, `end(ing)? it all`,
		`i should (just )?die`, `i deserve to die`, `do not want to (live|be alive)`, `better off dead`, `i will be gone`)),
	// Crisis: a plan, or the means at hand.
	newRule("plan", false, true,
		`suicide note`, `surat (perpisahan|terakhir|wasiat)`, `(sudah|punya) (bikin |buat )?rencana (untuk |buat )?(bunuhdiri|mati)`,
		`(have|made|got) a plan to`, `know what i am going to do`),
	newRule("means", true, true,
		`(siapin|nyiapin|siapkan|menyiapkan|kumpulin|ngumpulin|nimbun|nyimpen|simpan) obat`, `obat (banyak|sebanyak|numpuk)`,
		`minum (semua |seluruh )?obat (sekaligus|semua|banyak)`, `overdosis`, `gantung diri`, `(minum|pakai) (racun|baygon|pestisida)`,
		`racun tikus`, `(beli|sudah ada|siapin) tali`, `loncat (dari|dari atas) (jembatan|gedung|atap|rooftop|lantai|tebing|balkon)`,
		`(di atap|di rooftop).{0,20}ingin loncat`, `potong nadi`, `sayat nadi`,
		`(saving|saved|stockpiling|stockpiled|hoarding|collecting) (up )?(my |all my |the )?(obat|tablets|meds|medication|paracetamol)`,
		`(obat|tablets|meds) (are |is )?(ready|saved|stockpiled)`, `ingin (loncat|terjun)( saja)?( dari [a-z]+)?`, `(bought|got|have) (a )?(rope|gun|razor blades)`, `overdose`,
		`(jump|jumping|jumped) (off|from|in front of) (the |a )?(bridge|roof|building|train|balcony|cliff|rooftop)`,
		`hang(ing)? myself`, `take all (my|the) (obat|tablets|meds)`, `siapin pills`),
	// Crisis: self-harm happening now.
	newRule("self_harm", true, true,
		`(aku |tadi |semalam |barusan |kemarin )?sayat( [a-z]+)? (lagi|tangan|lengan|paha|pergelangan)`, `aku sayat`,
		`(sayat|lukai|lukain|sakitin|sakiti) (diri|tangan|lengan)`, `(melukai|menyakiti|nyakitin|ngelukain) diri`,
		`(cut|cutting|burned|burning|burnt|hurt|hurting|harmed|harming|scratched|scratching) (myself|my (arm|arms|wrist|wrists|legs|leg|thigh|thighs))`,
		`cut again`, `self harm(ed|ing)? (again|last night|today|tonight)`, `relapsed`),
	// Crisis: a farewell.
	anyone(newRule("farewell", false, false,
		`selamat tinggal (semua|semuanya|dunia|kalian)`, `pesan terakhir`, `pamit (untuk )?selamanya`,
		`maafin aku (ya )?semua(nya)?,? aku pamit`,
		`this is goodbye`, `goodbye (everyone|all|forever|world)`, `my last (message|post)`, `by the time you read this`,
		`(will not|not) be (here|around) (tomorrow|much longer)`)),
	// Concern: wishing to be gone, without a stated intent.
	newRule("passive_wish", true, false,
		`ingin (hilang|lenyap)( saja)?( dari dunia| selamanya)?`, `ingin pergi( saja)? (dari dunia|selamanya|untuk selamanya)`, `ingin tidur (terus|selamanya)`, `tidur (terus |selamanya )?(terus )?tidak bangun`,
		`tidak (ingin|mau) bangun`, `semoga (besok )?(aku )?tidak bangun`, `(andai|seandainya|kalau saja) aku tidak (pernah )?lahir`,
		`(wish|hope) i (would not|do not|never|could just go to sleep and never) wake up`, `never wake up`, `sleep forever`,
		`wish i (was|were|had) (dead|never been born|never born)`, `never been born`, `(want|wanna) to (disappear|vanish)`, `wish i could (just )?(disappear|vanish)`,
		`do not want to (wake up|exist|be here)`),
	// Concern: hopelessness.
	newRule("hopelessness", true, true,
		`tidak ada (guna|gunanya|artinya|arti) (aku |lagi )?(hidup|ada)`, `(buat|untuk) apa (sih )?(aku )?hidup`, `tidak ada harapan`,
		`putus asa`, `tidak ada jalan keluar`, `hidup (aku )?(tidak ada (guna|artinya|arti)|sia sia|tidak berarti)`, `tidak ada gunanya`,
		`no (point|reason) (in |to )?(living|live|go on|going on)`, `point (in |of )?(living|life|going on)`, `nothing to live for`, `(life|living) is (pointless|meaningless|not worth)`,
		`hopeless`, `no way out`, `give up on (life|everything)`),
	// Concern: feeling a burden.
	anyone(newRule("burden", true, false,
		`(cuma|hanya|jadi) (jadi )?beban`, `beban (buat|bagi|untuk) (semua|keluarga)`,
		`(lebih bahagia|lebih baik|lebih tenang) (tanpa aku|kalau aku tidak ada)`,
		`better off without me`, `(a|such a) burden`, `nobody would (even )?(notice|care|miss me)`)),
	// Concern: not coping, wanting it to stop.
	newRule("cant_go_on", true, false,
		`(sudah )?tidak (kuat|tahan)( [a-z]+)?( lagi| hidup)`, `sudah tidak (kuat|tahan)`, `tidak kuat lagi`, `capek (banget )?hidup`,
		`capek (banget )?(sama|dengan) hidup`, `capek jadi manusia`, `(lelah|capek) jadi manusia`,
		`ingin menyerah`, `menyerah( saja)? (sama|dengan|pada) hidup`, `tidak kuat (sama|dengan) hidup`,
		`can not (go on|take (it|this) anymore|take (it|this) any more|do this anymore|keep going|cope anymore|anymore)`,
		`(tired|sick) of (living|life|being alive)`, `done with (life|everything|it all)`, `want (it|this|everything|the pain)( all)? to (end|stop)`),
	// Concern: an urge to self-harm, not acted on.
	newRule("self_harm_urge", false, false,
		`ingin sayat( lagi)?`, `(urge|urges|want|wanting|tempted) to (cut|hurt myself|self harm)`, `(really )?want to cut`),
}

// idioms are everyday phrases with death words that do not mean harm; they
// are blanked out before the rules run.
var idioms = regexp.MustCompile(` (?:` + strings.Join([]string{
	`mati (kutu|listrik|lampu|gaya|suri|penasaran|bosan|kelaparan)`, `mati matian`, `setengah mati`, `sampai mati`,
	`(ketawa|ngakak|tertawa) (sampai )?mati`, `(hp|hpku|handphone|baterai|batre|laptop|motor|mobil|mesin|wifi|sinyal|jam|lampu|listrik|tv|kulkas|tanaman|kucing|kucingku|anjing|ikan|aki|ac) ( hp| aku| ku| nya)? ?(sudah |tiba tiba |lagi |ingin |hampir )?mati`,
	`(bunuh|membunuh) waktu`, `harga mati`, `bunuhdiri (politik|massal)`, `(kayak|kaya|kek|seperti|serasa) ingin mati`,
	`ingin hilang (dari|ke) (kampus|kantor|kelas|sekolah|rumah|kota|grup|sini)`, `kill(ing)? time`, `kill the (process|weeds|app|lights|engine|music)`,
	`(panas|malu|lapar|gerah|ngantuk|bosan) (banget |sekali )?(ingin|kayak ingin|rasanya ingin|sampai ingin)? ?mati( rasanya)?`,
	`(is|are|was) killing me`, `(could|would) murder (a|some|the)`, `dying (to|for)`, `kill(ed|ing)? it`, `dead (tired|on my feet)`,
	`(nearly |almost )?(died|dying) laughing`, `i am dead`, `drop dead`, `to die for`, `(bored|scared|sick|worked|worried) to death`,
	`would die for`, `death of (me|him|her)`, `(phone|battery|laptop|car) (is |was )?(died|dead)`, `(phone|battery|laptop|car) died`,
	`(berita|kasus|pencegahan|angka|tingkat|layanan|film|artikel|materi|seminar|webinar|pelatihan|training) (tentang )?bunuhdiri`,
	`suicide (prevention|rates?|awareness|hotline|helpline|line|statistics|bombing|squad|training)`,
	`(about|on) suicide (rates?|prevention)`,
}, "|") + `) `)

// imminent marks a time or act that makes thoughts a plan.
var imminent = regexp.MustCompile(` (nanti malam|malam ini|besok|tonight|tomorrow|after work|this weekend|right now|sekarang juga) `)

// splitClauses cuts at sentence ends and at words that turn a sentence
// ("but", "tapi", "now"), so "I used to cut, now I'm clean" is two clauses.
func splitClauses(s string) []string {
	var out []string
	for _, part := range strings.Split(s, " | ") {
		for _, sub := range clauseBreak.Split(part, -1) {
			if sub = strings.TrimSpace(sub); sub != "" {
				out = append(out, sub)
			}
		}
	}
	return out
}

var clauseBreak = regexp.MustCompile(` (?:tapi|but|namun|sekarang|now|though|although|padahal) `)

// negated reports whether the words just before a match negate it.
func negated(before string) bool {
	w := strings.Fields(before)
	for i := len(w) - 1; i >= 0 && i >= len(w)-3; i-- {
		switch w[i] {
		case "tidak", "bukan", "jangan", "never", "not", "no", "belum":
			return true
		}
	}
	return false
}

// subject guesses who a match is about from the nearest person word before
// it: "self" (or nobody named: people write about themselves), or "other".
func subject(before string) string {
	w := strings.Fields(before)
	for i := len(w) - 1; i >= 0; i-- {
		if firstPerson[w[i]] {
			return "self"
		}
		if thirdPerson[w[i]] {
			return "other"
		}
	}
	return "self"
}

var firstPerson = set("aku", "i", "me", "myself", "diriku", "we")

var thirdPerson = set("dia", "beliau", "mereka", "anak", "anakku", "anaknya", "adik", "adikku", "kakakku", "teman", "temanku", "temen",
	"temenku", "sahabat", "sahabatku", "suami", "suamiku", "istri", "istriku", "ibuku", "ayahku", "bapakku", "mamaku", "papaku", "pacar",
	"pacarku", "seseorang", "orang", "anggota", "klien", "pasien",
	"he", "she", "they", "him", "her", "them", "his", "son", "daughter", "friend", "brother", "sister", "mum", "mom", "mother", "dad",
	"father", "husband", "wife", "partner", "boyfriend", "girlfriend", "child", "kid", "someone", "somebody", "people", "who", "patient",
	"client", "member", "yourself")

// isPast reports whether a clause is about a distant past or recovery, with
// nothing recent in it: "dulu aku pernah nyilet" and "I used to self-harm"
// are past; "semalam aku nyilet lagi" and "I cut again last night" are not.
func isPast(clause string) bool {
	return pastWords.MatchString(clause) && !recentWords.MatchString(clause)
}

var pastWords = regexp.MustCompile(` (dulu|dahulu|pernah|dulunya|bersih|pulih|sembuh|used to|ago|in the past|when i was|clean for|been clean|recovered|recovery|survived|no longer|have not|did not|sejak|since) `)

var recentWords = regexp.MustCompile(` (semalam|tadi|barusan|again|tonight|last night|today|right now|kambuh|relapsed?) `)

// normalise folds text to canonical words separated by single spaces, with
// " | " between sentences, and guesses its language.
func normalise(text string) (string, string) {
	s := textkit.Fold(text)
	s = strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(s)
	var words []string
	var idScore, enScore int
	sentenceEnd := func() {
		if len(words) > 0 && words[len(words)-1] != "|" {
			words = append(words, "|")
		}
	}
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		tok := s[start:end]
		start = -1
		if idWords[tok] {
			idScore++
		}
		if enWords[tok] {
			enScore++
		}
		words = append(words, canon(tok)...)
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if start < 0 {
				start = i
			}
		case r == '-' && start >= 0:
			// "mati-matian", "self-harm": keep the parts as separate words
			flush(i)
		default:
			flush(i)
			if r == '.' || r == '!' || r == '?' || r == ';' || r == ',' || r == '\n' || r == ':' {
				sentenceEnd()
			}
		}
	}
	flush(len(s))
	out := strings.Join(words, " ")
	out = strings.ReplaceAll(out+" ", "bunuh diri ", "bunuhdiri ")
	out = strings.Trim(out, " |")
	lang := "id"
	switch {
	case idScore > 0 && enScore > 0 && min(idScore, enScore)*4 >= max(idScore, enScore):
		lang = "mix"
	case enScore > idScore:
		lang = "en"
	}
	return out, lang
}

// canon maps one folded word to its canonical word or words.
func canon(tok string) []string {
	tok = strings.Trim(tok, "'")
	if tok == "" {
		return nil
	}
	if c, ok := canonical[tok]; ok {
		if c == "" {
			return nil
		}
		return strings.Fields(c)
	}
	if strings.Contains(tok, "'") {
		base, suffix, _ := strings.Cut(tok, "'")
		switch suffix {
		case "t": // don't, can't, won't
			switch base {
			case "won":
				return []string{"will", "not"}
			case "can":
				return []string{"can", "not"}
			}
			return append(canon(strings.TrimSuffix(base, "n")), "not")
		case "m":
			return append(canon(base), "am")
		case "re":
			return append(canon(base), "are")
		case "ve":
			return append(canon(base), "have")
		case "ll":
			return append(canon(base), "will")
		case "d":
			return append(canon(base), "would")
		case "s":
			return canon(base)
		}
		return canon(base)
	}
	// Indonesian possessive endings on the words the rules look at.
	for _, suf := range []string{"ku", "nya", "mu"} {
		if b, ok := strings.CutSuffix(tok, suf); ok && possessable[b] {
			return []string{b}
		}
	}
	return []string{tok}
}

var possessable = set("hidup", "nyawa", "tangan", "lengan", "paha", "nadi", "obat", "diri")

// canonical maps spellings, slang and short forms to the words the rules use.
var canonical = func() map[string]string {
	m := map[string]string{}
	add := func(to string, from ...string) {
		for _, f := range from {
			m[f] = to
		}
	}
	// Indonesian.
	add("tidak", "tidak", "gak", "ga", "gk", "nggak", "ngga", "nggk", "enggak", "engga", "ndak", "nda", "tak", "kagak", "kaga", "g", "gaada")
	add("ingin", "ingin", "pengen", "pengin", "pingin", "kepengen", "kepingin", "pgn", "pen", "mau", "mo", "mw", "hendak", "berniat", "pengennya")
	add("sudah", "sudah", "udah", "udh", "dah", "sdh", "uda")
	add("saja", "aja", "saja", "ajah", "aj")
	add("aku", "aku", "gue", "gua", "gw", "saya", "ak", "aq", "sy")
	add("banget", "banget", "bgt", "bngt", "bener")
	add("mati", "mati", "modar", "mampus", "meninggal")
	add("bunuhdiri", "bundir", "bunuhdiri")
	add("akhiri", "akhiri", "mengakhiri", "akhirin", "ngakhirin", "ngakhiri", "udahin", "udahan", "sudahi", "menyudahi", "nyudahin", "sudahan")
	add("hilang", "hilang", "ngilang", "menghilang", "lenyap")
	add("capek", "capek", "cape", "capai", "lelah", "cpk")
	add("kuat", "kuat", "sanggup", "tahan", "bertahan", "kuat2")
	add("sayat", "nyilet", "silet", "menyilet", "sayat", "nyayat", "menyayat", "ngiris", "mengiris", "gores", "ngegores", "menggores", "ngesilet", "cutter")
	add("lagi", "lagi", "lg")
	add("semua", "semua", "smua", "semuanya")
	add("hidup", "hidup", "idup")
	add("tidur", "tidur", "bobo", "bobok")
	add("guna", "guna", "gunanya")
	add("beban", "beban", "ngerepotin", "merepotkan", "nyusahin", "menyusahkan")
	add("mending", "mending", "mendingan")
	add("obat", "obat", "obatan", "pil", "pills")
	add("loncat", "loncat", "lompat", "terjun", "nyebur")
	add("semalam", "semalam", "semalem")
	add("tadi", "tadi", "td")
	add("menyerah", "menyerah", "nyerah")
	add("kepikiran", "kepikiran", "terpikir", "kepikir", "mikirin")
	add("sudah tidak", "udahgak")
	// English.
	add("want to", "wanna")
	add("going to", "gonna")
	add("got to", "gotta")
	add("kill myself", "kms", "ctb")
	add("kill", "unalive")
	add("do not", "dont")
	add("can not", "cant", "cannot")
	add("i am", "im")
	add("i have", "ive")
	add("does not", "doesnt")
	add("did not", "didnt")
	add("is not", "isnt")
	add("you", "u")
	add("right now", "rn")
	add("tonight", "tonight", "tonite", "2nite", "tn")
	add("because", "cuz", "coz", "cos")
	add("self harm", "selfharm", "sh")
	add("", "tbh", "honestly", "seriously", "literally", "lol", "kok", "sih", "deh", "dong", "ya", "yah", "kak", "kakak", "guys", "loh", "lho", "nih", "tuh")
	return m
}()

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Words that tell the languages apart, for Result.Language.
var idWords = set("aku", "gue", "saya", "yang", "tidak", "gak", "nggak", "ga", "ingin", "pengen", "pengin", "mau", "saja", "aja", "sudah",
	"udah", "banget", "bgt", "dan", "di", "ini", "itu", "ya", "kok", "sih", "dong", "lagi", "buat", "untuk", "sama", "dari", "kalau", "kalian",
	"semua", "hidup", "mati", "capek", "rasanya", "tadi", "semalem", "semalam", "kak", "deh", "dulu", "sekarang", "gimana", "ada", "juga", "jadi",
	"pas", "lebih", "baik", "makasih", "terima", "kasih", "lagi", "bareng", "besok", "hari")
var enWords = set("i", "im", "i'm", "the", "to", "and", "is", "am", "not", "you", "my", "it", "of", "a", "so", "just", "want", "with", "this",
	"that", "for", "me", "can't", "don't", "dont", "cant", "have", "be", "at", "on", "in", "feel", "feeling", "really", "anymore", "tonight",
	"everyone", "would", "going", "life", "what", "how", "been", "was", "all", "no", "thanks", "today")
