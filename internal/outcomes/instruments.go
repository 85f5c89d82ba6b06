// Package outcomes measures how members fare over time: the validated
// questionnaires (PHQ-9, GAD-7, WHO-5, K10, UCLA-3, OSSS-3) with their
// scoring and bands, the statistics of paired change, generalisation of
// quasi-identifiers for research exports, and FHIR R4 Questionnaire and
// QuestionnaireResponse resources.
//
// The instrument definitions follow the project's fact sheet
// (QUESTIONNAIRES_AND_HELPLINES.md): item wording, answer codes, scoring rules,
// bands, cut-offs and the status of each wording. Wording is shown to
// administrators with that status, because the fact sheet asks that every
// item be checked against its owner's official text before use.
package outcomes

import "strconv"

// Text is a piece of wording by language ("en", "id").
type Text map[string]string

// In returns the wording in lang, or the English wording when there is none.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Choice is one answer to an item: the code it is recorded and scored as,
// its label, and its LOINC answer code where the fact sheet gives one.
type Choice struct {
	Value int
	Label Text
	LOINC string
}

// Skip is a skip rule: when item Item (1-based) is answered Value, this item
// is not asked and scores Scores.
type Skip struct {
	Item, Value, Scores int
}

// Item is one question of an instrument.
type Item struct {
	LinkID  string
	Text    Text
	Choices []Choice // nil: the instrument's Choices
	Scored  bool     // counts towards the total; an unscored item is optional
	LOINC   string
	Skip    *Skip // K10 items 3 and 6
	Safety  bool  // any answer above the lowest code raises FlagSafety (PHQ-9 item 9)
}

// Band is a named range of totals, inclusive, on the Total scale.
type Band struct {
	Code     string
	Min, Max float64
	Label    Text
}

// Wording statuses, as the fact sheet labels its sources.
const (
	WordingVerified   = "verified"   // seen in a primary or official source
	WordingSecondary  = "secondary"  // seen only on third-party pages
	WordingUnverified = "unverified" // not found, or written for this project: check before use
)

// Instrument is a validated questionnaire with its scoring.
type Instrument struct {
	Code       string // "phq9", "gad7", "who5", "k10", "ucla3", "osss3"
	Name, Stem Text   // Stem is nil when the questions stand on their own
	Items      []Item
	Choices    []Choice
	// Wording is the status of the wording in each language: the weakest
	// status of any text in it (stem, items, answers). See the Wording*
	// constants.
	Wording           map[string]string
	Citation, Terms   string
	LOINC             string // panel code
	TotalLOINC        string // code of the total score item
	Min, Max          float64
	Factor            float64 // Total = sum of the scored items x Factor (WHO-5: 4); 0 means 1
	HigherIsBetter    bool
	Cutoff            float64
	Reliability       float64 // 0 when no coefficient from a checked source is at hand
	ReliabilitySource string
	// MinChange is a change on the Total scale that the fact sheet calls
	// meaningful (WHO-5: 10 points). PairedChange uses it to classify change
	// only when there is no Reliability to compute the reliable change index.
	MinChange float64
	Bands     []Band
}

// Instruments returns every instrument, in a stable order.
func Instruments() []*Instrument {
	out := make([]*Instrument, len(library))
	copy(out, library)
	return out
}

// Lookup finds an instrument by its code.
func Lookup(code string) (*Instrument, bool) {
	for _, in := range library {
		if in.Code == code {
			return in, true
		}
	}
	return nil, false
}

// Codes lists the instruments' codes in order.
func Codes() []string {
	out := make([]string, len(library))
	for i, in := range library {
		out[i] = in.Code
	}
	return out
}

// ChoicesOf returns the answers of item i (0-based).
func (in *Instrument) ChoicesOf(i int) []Choice {
	if i >= 0 && i < len(in.Items) && in.Items[i].Choices != nil {
		return in.Items[i].Choices
	}
	return in.Choices
}

// Clinical tells whether a total is in the clinical range: at or above the
// cut-off, or at or below it when higher is better.
func (in *Instrument) Clinical(total float64) bool {
	if in.HigherIsBetter {
		return total <= in.Cutoff
	}
	return total >= in.Cutoff
}

// BandOf returns the band a total falls in. Totals between two bands (a mean,
// say 4.5 on the PHQ-9) go the way the cut-off rule goes: for lower-is-better
// instruments a band starts at its Min ("10 or more"), for higher-is-better
// ones it ends at its Max ("50 or less"). Totals outside the range take the
// nearest band.
func (in *Instrument) BandOf(total float64) Band {
	bands := in.Bands
	if len(bands) == 0 {
		return Band{}
	}
	if in.HigherIsBetter {
		for _, b := range bands {
			if total <= b.Max {
				return b
			}
		}
		return bands[len(bands)-1]
	}
	for i := len(bands) - 1; i >= 0; i-- {
		if total >= bands[i].Min {
			return bands[i]
		}
	}
	return bands[0]
}

// requiredItems is the number of answers an answer vector must have: up to
// the last scored item (the PHQ-9's unscored tenth item may be left off).
func (in *Instrument) requiredItems() int {
	n := 0
	for i, it := range in.Items {
		if it.Scored {
			n = i + 1
		}
	}
	return n
}

func (in *Instrument) factor() float64 {
	if in.Factor == 0 {
		return 1
	}
	return in.Factor
}

// choiceRange describes the codes of a choice list, e.g. "0-3".
func choiceRange(cs []Choice) string {
	if len(cs) == 0 {
		return ""
	}
	lo, hi := cs[0].Value, cs[0].Value
	for _, c := range cs {
		lo, hi = min(lo, c.Value), max(hi, c.Value)
	}
	return itoa(lo) + "-" + itoa(hi)
}

// words builds numbered items (LinkIDs "1", "2", ...) from parallel wording.
func words(en, id []string) []Item {
	items := make([]Item, len(en))
	for i := range en {
		items[i] = Item{LinkID: itoa(i + 1), Text: Text{"en": en[i], "id": id[i]}, Scored: true}
	}
	return items
}

// choices builds a choice list from values and parallel labels.
func choices(values []int, en, id []string, loinc ...string) []Choice {
	out := make([]Choice, len(values))
	for i, v := range values {
		out[i] = Choice{Value: v, Label: Text{"en": en[i], "id": id[i]}}
		if i < len(loinc) {
			out[i].LOINC = loinc[i]
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// The library. Wording, codes, scoring and bands are those of the fact sheet
// (QUESTIONNAIRES_AND_HELPLINES.md). English wording is marked "secondary":
// the fact sheet compiled it from public pages and asks that it be checked
// against the owners' official texts (the K10's is "unverified", because the
// sheet gives only fragments and the full questions and answer labels were
// completed here). All Indonesian wording is "unverified": the sheet gives
// Indonesian only for the PHQ-9 stem, answers and items 1-5 and the GAD-7
// items (all secondary); the rest was translated for this project.
//
// Reliability (Cronbach's alpha, for the Jacobson-Truax reliable change
// index):
//   - GAD-7 0.867: the fact sheet, Indonesian version (Budikayanti et al.
//     2019, verified abstract), preferred to the original paper's 0.92
//     (Spitzer et al. 2006) because members answer the Indonesian version.
//   - PHQ-9 0.89: the original paper (Kroenke et al. 2001). The fact sheet's
//     Indonesian alpha 0.718 is from a secondary summary only, so it is not
//     used.
//   - UCLA-3 0.72: the original paper (Hughes et al. 2004).
//   - OSSS-3 0.640: the German norm study (Kocalevent et al. 2018).
//   - WHO-5 and K10: none. No coefficient from a source checked for this
//     project is at hand, and a figure from memory would be invented. Their
//     change is not classified by the reliable change index; the WHO-5 uses
//     the fact sheet's "a change of 10 percentage points is significant"
//     (MinChange) instead, and the K10 leaves change unclassified.
var library = []*Instrument{phq9, gad7, who5, k10, ucla3, osss3}

// frequency is the answer scale of the PHQ-9 and GAD-7, with the LOINC
// answer codes of the fact sheet (LA6570-1 is marked unverified there).
var frequency = choices([]int{0, 1, 2, 3},
	[]string{"Not at all", "Several days", "More than half the days", "Nearly every day"},
	[]string{"Tidak Pernah", "Beberapa hari", "Lebih dari separuh waktu yang dimaksud", "Hampir setiap hari"},
	"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")

const pfizerTerms = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, " +
	"with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."

var phq9 = func() *Instrument {
	items := words([]string{
		"Little interest or pleasure in doing things",
		"Feeling down, depressed, or hopeless",
		"Trouble falling or staying asleep, or sleeping too much",
		"Feeling tired or having little energy",
		"Poor appetite or overeating",
		"Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
		"Trouble concentrating on things, such as reading the newspaper or watching television",
		"Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
		"Thoughts that you would be better off dead or of hurting yourself in some way",
		"If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
	}, []string{
		"Kurang berminat atau bergairah dalam melakukan apapun",
		"Merasa murung, sedih, atau putus asa",
		"Sulit tidur/mudah terbangun, atau terlalu banyak tidur",
		"Merasa lelah atau kurang bertenaga",
		"Kurang nafsu makan atau terlalu banyak makan",
		"Merasa buruk tentang diri sendiri — atau merasa bahwa Anda gagal atau telah mengecewakan diri sendiri atau keluarga",
		"Sulit berkonsentrasi pada sesuatu, misalnya membaca koran atau menonton televisi",
		"Bergerak atau berbicara sangat lambat sehingga orang lain dapat memperhatikannya? Atau sebaliknya — merasa begitu gelisah atau tidak bisa diam sehingga Anda lebih banyak bergerak dari biasanya",
		"Pikiran bahwa Anda lebih baik mati atau ingin melukai diri sendiri dengan suatu cara",
		"Jika Anda mengalami masalah-masalah di atas, seberapa sulit masalah tersebut membuat Anda melakukan pekerjaan, mengurus urusan di rumah, atau bergaul dengan orang lain?",
	})
	items[8].Safety = true
	items[9].Scored = false
	items[9].Choices = choices([]int{0, 1, 2, 3},
		[]string{"Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"},
		[]string{"Tidak sulit sama sekali", "Agak sulit", "Sangat sulit", "Amat sangat sulit"})
	return &Instrument{
		Code: "phq9",
		Name: Text{"en": "PHQ-9 (Patient Health Questionnaire)", "id": "PHQ-9 (Kuesioner Kesehatan Pasien)"},
		Stem: Text{
			"en": "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
			"id": "Dalam 2 minggu terakhir, seberapa sering Anda terganggu oleh masalah-masalah berikut?",
		},
		Items:    items,
		Choices:  frequency,
		Wording:  map[string]string{"en": WordingSecondary, "id": WordingUnverified},
		Citation: "Kroenke K, Spitzer RL, Williams JBW (2001) The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med 16(9):606-613, doi:10.1046/j.1525-1497.2001.016009606.x",
		Terms:    pfizerTerms,
		LOINC:    "44249-1",
		// 44261-6 is marked unverified in the fact sheet.
		TotalLOINC:        "44261-6",
		Min:               0,
		Max:               27,
		Cutoff:            10,
		Reliability:       0.89,
		ReliabilitySource: "Kroenke K, Spitzer RL, Williams JBW (2001) J Gen Intern Med 16(9):606-613: Cronbach's alpha 0.89 (PHQ Primary Care Study)",
		Bands: []Band{
			{"minimal", 0, 4, Text{"en": "Minimal", "id": "Minimal"}},
			{"mild", 5, 9, Text{"en": "Mild", "id": "Ringan"}},
			{"moderate", 10, 14, Text{"en": "Moderate", "id": "Sedang"}},
			{"moderately-severe", 15, 19, Text{"en": "Moderately severe", "id": "Cukup berat"}},
			{"severe", 20, 27, Text{"en": "Severe", "id": "Berat"}},
		},
	}
}()

var gad7 = func() *Instrument {
	items := words([]string{
		"Feeling nervous, anxious, or on edge",
		"Not being able to stop or control worrying",
		"Worrying too much about different things",
		"Trouble relaxing",
		"Being so restless that it is hard to sit still",
		"Becoming easily annoyed or irritable",
		"Feeling afraid, as if something awful might happen",
	}, []string{
		"Merasa gelisah, cemas atau amat tegang",
		"Tidak mampu menghentikan atau mengendalikan rasa khawatir",
		"Terlalu mengkhawatirkan berbagai hal",
		"Sulit untuk santai",
		"Sangat gelisah sehingga sulit untuk duduk diam",
		"Menjadi mudah jengkel atau lekas marah",
		"Merasa takut seolah-olah sesuatu yang mengerikan mungkin terjadi",
	})
	for i, code := range []string{"69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"} {
		items[i].LOINC = code
	}
	return &Instrument{
		Code: "gad7",
		Name: Text{"en": "GAD-7 (Generalized Anxiety Disorder 7-item)", "id": "GAD-7 (Gangguan Kecemasan Menyeluruh, 7 butir)"},
		Stem: Text{
			"en": "Over the last 2 weeks, how often have you been bothered by the following problems?",
			"id": "Dalam 2 minggu terakhir, seberapa sering Anda terganggu oleh masalah-masalah berikut?",
		},
		Items:    items,
		Choices:  frequency,
		Wording:  map[string]string{"en": WordingSecondary, "id": WordingUnverified},
		Citation: "Spitzer RL, Kroenke K, Williams JBW, Löwe B (2006) A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 166(10):1092-1097",
		Terms:    pfizerTerms,
		LOINC:    "69737-5",
		// 70274-6 is marked unverified in the fact sheet.
		TotalLOINC:        "70274-6",
		Min:               0,
		Max:               21,
		Cutoff:            10,
		Reliability:       0.867,
		ReliabilitySource: "Budikayanti A, et al. (2019) Screening of Generalized Anxiety Disorder in Patients with Epilepsy: Using a Valid and Reliable Indonesian Version of GAD-7. Behavioural Neurology, doi:10.1155/2019/5902610: Cronbach's alpha 0.867",
		Bands: []Band{
			{"minimal", 0, 4, Text{"en": "Minimal", "id": "Minimal"}},
			{"mild", 5, 9, Text{"en": "Mild", "id": "Ringan"}},
			{"moderate", 10, 14, Text{"en": "Moderate", "id": "Sedang"}},
			{"severe", 15, 21, Text{"en": "Severe", "id": "Berat"}},
		},
	}
}()

var who5 = &Instrument{
	Code: "who5",
	Name: Text{"en": "WHO-5 Well-Being Index", "id": "Indeks Kesejahteraan WHO-5"},
	Stem: Text{
		"en": "Please indicate for each of the five statements which is closest to how you have been feeling over the last two weeks.",
		"id": "Untuk masing-masing dari lima pernyataan berikut, pilihlah jawaban yang paling mendekati perasaan Anda selama dua minggu terakhir.",
	},
	Items: words([]string{
		"I have felt cheerful and in good spirits",
		"I have felt calm and relaxed",
		"I have felt active and vigorous",
		"I woke up feeling fresh and rested",
		"My daily life has been filled with things that interest me",
	}, []string{
		"Saya merasa ceria dan bersemangat",
		"Saya merasa tenang dan santai",
		"Saya merasa aktif dan bertenaga",
		"Saya bangun tidur dengan perasaan segar dan cukup istirahat",
		"Kehidupan sehari-hari saya dipenuhi hal-hal yang menarik minat saya",
	}),
	Choices: choices([]int{5, 4, 3, 2, 1, 0},
		[]string{"All of the time", "Most of the time", "More than half of the time", "Less than half of the time", "Some of the time", "At no time"},
		[]string{"Sepanjang waktu", "Sebagian besar waktu", "Lebih dari separuh waktu", "Kurang dari separuh waktu", "Sesekali", "Tidak pernah"}),
	Wording:        map[string]string{"en": WordingSecondary, "id": WordingUnverified},
	Citation:       "Psychiatric Research Unit, Mental Health Centre North Zealand: WHO-5 Well-Being Index (https://www.psykiatri-regionh.dk/who-5/). Review: Topp CW, et al. (2015) Psychother Psychosom 84:167-176",
	Terms:          "Free to use; no permission needed. Altered wording must be clearly marked and back-translated.",
	Min:            0,
	Max:            100,
	Factor:         4,
	HigherIsBetter: true,
	Cutoff:         50,
	MinChange:      10,
	Bands: []Band{
		{"likely-depression", 0, 28, Text{"en": "Very low well-being (worth talking to someone)", "id": "Kesejahteraan sangat rendah (baik dibicarakan dengan seseorang)"}},
		{"poor", 29, 50, Text{"en": "Poor well-being", "id": "Kesejahteraan rendah"}},
		{"good", 51, 100, Text{"en": "Good well-being", "id": "Kesejahteraan baik"}},
	},
}

// k10 uses the Australian convention (codes 1-5, total 10-50) with the
// Andrews & Slade (2001) bands, and the Australian skip rule: when item 2 or
// 5 is "None of the time", item 3 or 6 is not asked and scores 1.
var k10 = func() *Instrument {
	items := words([]string{
		"… tired out for no good reason?",
		"… nervous?",
		"… so nervous that nothing could calm you down?",
		"… hopeless?",
		"… restless or fidgety?",
		"… so restless you could not sit still?",
		"… depressed?",
		"… that everything was an effort?",
		"… so sad that nothing could cheer you up?",
		"… worthless?",
	}, []string{
		"… lelah tanpa alasan yang jelas?",
		"… gugup?",
		"… begitu gugup sehingga tidak ada yang dapat menenangkan Anda?",
		"… putus asa?",
		"… resah atau tidak bisa diam?",
		"… begitu resah sehingga Anda tidak dapat duduk diam?",
		"… tertekan atau depresi?",
		"… bahwa segala sesuatu terasa berat untuk dilakukan?",
		"… begitu sedih sehingga tidak ada yang dapat menghibur Anda?",
		"… tidak berharga?",
	})
	items[2].Skip = &Skip{Item: 2, Value: 1, Scores: 1}
	items[5].Skip = &Skip{Item: 5, Value: 1, Scores: 1}
	return &Instrument{
		Code: "k10",
		Name: Text{"en": "Kessler Psychological Distress Scale (K10)", "id": "Skala Distres Psikologis Kessler (K10)"},
		Stem: Text{
			"en": "During the last 30 days, about how often did you feel …",
			"id": "Selama 30 hari terakhir, kira-kira seberapa sering Anda merasa …",
		},
		Items: items,
		Choices: choices([]int{1, 2, 3, 4, 5},
			[]string{"None of the time", "A little of the time", "Some of the time", "Most of the time", "All of the time"},
			[]string{"Tidak pernah", "Sesekali", "Kadang-kadang", "Sebagian besar waktu", "Sepanjang waktu"}),
		Wording:  map[string]string{"en": WordingUnverified, "id": WordingUnverified},
		Citation: "Kessler RC, et al. (2002) Psychol Med 32(6):959-976; Kessler RC, et al. (2003) Arch Gen Psychiatry 60(2):184-189. Bands: Andrews G, Slade T (2001). Scored by the Australian convention (1-5 per item, total 10-50)",
		Terms:    "Widely used without fee in national surveys; no explicit licence text was found (unverified).",
		Min:      10,
		Max:      50,
		Cutoff:   22,
		Bands: []Band{
			{"low", 10, 15, Text{"en": "Low", "id": "Rendah"}},
			{"moderate", 16, 21, Text{"en": "Moderate", "id": "Sedang"}},
			{"high", 22, 29, Text{"en": "High", "id": "Tinggi"}},
			{"very-high", 30, 50, Text{"en": "Very high", "id": "Sangat tinggi"}},
		},
	}
}()

var ucla3 = &Instrument{
	Code: "ucla3",
	Name: Text{"en": "UCLA 3-item Loneliness Scale", "id": "Skala Kesepian UCLA 3 butir"},
	Items: words([]string{
		"How often do you feel that you lack companionship?",
		"How often do you feel left out?",
		"How often do you feel isolated from others?",
	}, []string{
		"Seberapa sering Anda merasa kurang memiliki teman atau kebersamaan?",
		"Seberapa sering Anda merasa tersisih?",
		"Seberapa sering Anda merasa terasing dari orang lain?",
	}),
	Choices: choices([]int{1, 2, 3},
		[]string{"Hardly ever", "Some of the time", "Often"},
		[]string{"Hampir tidak pernah", "Kadang-kadang", "Sering"}),
	Wording:           map[string]string{"en": WordingSecondary, "id": WordingUnverified},
	Citation:          "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT (2004) A short scale for measuring loneliness in large surveys. Research on Aging 26(6):655-672",
	Terms:             "No explicit licence found; used freely in public surveys (unverified).",
	Min:               3,
	Max:               9,
	Cutoff:            6,
	Reliability:       0.72,
	ReliabilitySource: "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT (2004) Research on Aging 26(6):655-672: Cronbach's alpha 0.72",
	Bands: []Band{
		{"not-lonely", 3, 5, Text{"en": "Not lonely", "id": "Tidak kesepian"}},
		{"lonely", 6, 9, Text{"en": "Lonely", "id": "Kesepian"}},
	},
}

var osss3 = func() *Instrument {
	items := words([]string{
		"How many people are so close to you that you can count on them if you have great personal problems?",
		"How much interest and concern do people show in what you do?",
		"How easy is it to get practical help from neighbours if you should need it?",
	}, []string{
		"Berapa banyak orang yang begitu dekat dengan Anda sehingga Anda dapat mengandalkan mereka jika Anda menghadapi masalah pribadi yang berat?",
		"Seberapa besar minat dan kepedulian yang ditunjukkan orang lain terhadap apa yang Anda lakukan?",
		"Seberapa mudah mendapatkan bantuan nyata dari tetangga jika Anda membutuhkannya?",
	})
	items[0].Choices = choices([]int{1, 2, 3, 4},
		[]string{"None", "1-2", "3-5", "5+"},
		[]string{"Tidak ada", "1-2", "3-5", "5+"})
	items[1].Choices = choices([]int{1, 2, 3, 4, 5},
		[]string{"None", "Little", "Uncertain", "Some", "A lot"},
		[]string{"Tidak ada", "Sedikit", "Tidak yakin", "Cukup", "Banyak"})
	items[2].Choices = choices([]int{1, 2, 3, 4, 5},
		[]string{"Very difficult", "Difficult", "Possible", "Easy", "Very easy"},
		[]string{"Sangat sulit", "Sulit", "Mungkin", "Mudah", "Sangat mudah"})
	return &Instrument{
		Code:              "osss3",
		Name:              Text{"en": "Oslo Social Support Scale (OSSS-3)", "id": "Skala Dukungan Sosial Oslo (OSSS-3)"},
		Items:             items,
		Wording:           map[string]string{"en": WordingSecondary, "id": WordingUnverified},
		Citation:          "Dalgard OS, et al. (2006) Soc Psychiatry Psychiatr Epidemiol 41:444-451; norms: Kocalevent R-D, et al. (2018) BMC Psychology 6:31, doi:10.1186/s40359-018-0249-9",
		Terms:             "No licence stated; free to use with citation.",
		Min:               3,
		Max:               14,
		HigherIsBetter:    true,
		Cutoff:            8,
		Reliability:       0.640,
		ReliabilitySource: "Kocalevent R-D, et al. (2018) BMC Psychology 6:31, doi:10.1186/s40359-018-0249-9: Cronbach's alpha 0.640",
		Bands: []Band{
			{"poor", 3, 8, Text{"en": "Poor support", "id": "Dukungan lemah"}},
			{"moderate", 9, 11, Text{"en": "Moderate support", "id": "Dukungan sedang"}},
			{"strong", 12, 14, Text{"en": "Strong support", "id": "Dukungan kuat"}},
		},
	}
}()
