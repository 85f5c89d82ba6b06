package app

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/hsds"
)

// demoID is a stable HSDS id (a version 5 style UUID) for a demo record, so
// that links and tests can name demo services.
func demoID(key string) string {
	h := sha1.Sum([]byte("rangkul-demo-directory:" + key))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// DemoServiceID is the HSDS id of a demo service by its key, e.g. "pelita".
func DemoServiceID(key string) string { return demoID("service:" + key) }

// The demo taxonomy: a handful of kinds of help, named in both languages.
// It is Rangkul's own small demo vocabulary, not a published taxonomy.
var demoTerms = []struct{ key, name, desc string }{
	{"konseling", "Konseling / Counselling", "Percakapan terjadwal dengan konselor atau psikolog. Talking with a counsellor or psychologist."},
	{"sebaya", "Dukungan sebaya / Peer support", "Kelompok atau pendamping yang punya pengalaman serupa. Groups or companions with lived experience."},
	{"psikiatri", "Layanan psikiatri / Psychiatric care", "Pemeriksaan dan pengobatan oleh dokter spesialis kedokteran jiwa. Assessment and treatment by psychiatrists."},
	{"krisis", "Layanan krisis / Crisis support", "Bantuan segera saat seseorang dalam bahaya atau krisis. Immediate help in a crisis."},
	{"keluarga", "Dukungan keluarga / Family support", "Pendampingan bagi keluarga dan pengasuh. Support for families and carers."},
}

// demoHours are weekly opening patterns: day codes and opening ranges.
var demoHours = map[string][]hsds.Schedule{
	"office":  {{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "08:00", ClosesAt: "16:00"}},
	"clinic":  {{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA", OpensAt: "08:00", ClosesAt: "14:00"}},
	"evening": {{Freq: "WEEKLY", ByDay: "TU,TH", OpensAt: "19:00", ClosesAt: "21:00"}},
	"weekend": {{Freq: "WEEKLY", ByDay: "SA,SU", OpensAt: "09:00", ClosesAt: "13:00"}},
	"late":    {{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA,SU", OpensAt: "16:00", ClosesAt: "23:00"}},
	"always":  {{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA,SU", OpensAt: "00:00", ClosesAt: "00:00", Description: "24 jam, setiap hari."}},
	"night":   {{Freq: "WEEKLY", ByDay: "FR,SA", OpensAt: "20:00", ClosesAt: "02:00", Description: "Lewat tengah malam: Jumat dan Sabtu malam sampai pukul 02.00."}},
	"class":   {{Freq: "WEEKLY", ByDay: "WE", OpensAt: "19:00", ClosesAt: "20:30"}},
	"split": {
		{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "08:00", ClosesAt: "12:00", Description: "Istirahat siang pukul 12.00-13.00."},
		{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "13:00", ClosesAt: "16:00", Description: "Istirahat siang pukul 12.00-13.00."},
	},
	"mixed": {
		{Freq: "WEEKLY", ByDay: "TU,TH", OpensAt: "19:00", ClosesAt: "21:00"},
		{Freq: "WEEKLY", ByDay: "SA", OpensAt: "10:00", ClosesAt: "12:00"},
	},
}

// demoService is one demo listing. Fictional ones carry "(contoh)" in
// their names and say in their descriptions that they are examples; their
// phone numbers follow the pattern "+62 000 0000 01NN", which can never
// ring anyone (no Indonesian number begins with 0 after the country code),
// their e-mail and web addresses end in the reserved .example domain, and
// their streets are "Jl. Contoh ...".
type demoService struct {
	key, name, org, orgDesc string
	city                    string  // a name from directory.Places, "" for none
	dLat, dLon              float64 // offset of the entrance from the city centre
	province, postal        string
	desc, apply, fees       string
	online                  string // the URL where it starts online, "" if not online
	inPerson                bool
	cost                    string // hsds.CostFree, CostLow, CostPaid or ""
	amount                  float64
	langs                   []string // LanguageChoices codes
	hours                   string   // a demoHours key, "" for none given
	terms                   []string
	verifiedDaysAgo         int // 0: never verified
	noPhone                 bool
}

const demoNote = " Ini layanan contoh untuk demo Rangkul, bukan layanan sungguhan."

var demoServices = []demoService{
	{key: "pelita", name: "Ruang Konseling Pelita (contoh)", org: "Yayasan Pelita Jiwa (contoh)", city: "Jakarta", dLat: -0.021, dLon: 0.012,
		province: "DKI Jakarta", postal: "10310", desc: "Konseling gratis dengan psikolog untuk kecemasan, depresi, dan stres sehari-hari, tatap muka atau lewat panggilan video.",
		apply: "Daftar lewat telepon atau formulir daring; sesi pertama dijadwalkan dalam satu minggu.", online: "https://pelitajiwa.example/konseling",
		inPerson: true, cost: hsds.CostFree, langs: []string{"id", "en"}, hours: "office", terms: []string{"konseling"}, verifiedDaysAgo: 20},
	{key: "senja", name: "Kelompok Dukungan Sebaya Senja (contoh)", org: "Komunitas Senja Pulih (contoh)", city: "Jakarta", dLat: 0.012, dLon: -0.018,
		province: "DKI Jakarta", postal: "10160", desc: "Pertemuan kelompok dukungan sebaya dua kali seminggu untuk orang yang sedang pulih dari depresi atau kecemasan.",
		apply: "Datang saja ke pertemuan; tidak perlu mendaftar.", inPerson: true, cost: hsds.CostFree, langs: []string{"id"}, hours: "evening",
		terms: []string{"sebaya"}, verifiedDaysAgo: 250},
	{key: "seroja", name: "Klinik Psikiatri Seroja (contoh)", org: "Klinik Seroja Sehat (contoh)", city: "Jakarta", dLat: -0.045, dLon: 0.031,
		province: "DKI Jakarta", postal: "12950", desc: "Pemeriksaan dan pengobatan oleh dokter spesialis kedokteran jiwa, termasuk kontrol obat.",
		apply: "Buat janji lewat telepon. Bawa hasil pemeriksaan sebelumnya bila ada.", fees: "Konsultasi Rp 350.000 per kunjungan.", inPerson: true,
		cost: hsds.CostPaid, amount: 350000, langs: []string{"id", "en"}, hours: "clinic", terms: []string{"psikiatri"}, verifiedDaysAgo: 400},
	{key: "teduh", name: "Konseling Keluarga Rumah Teduh (contoh)", org: "Rumah Teduh (contoh)", city: "Jakarta", dLat: -0.08, dLon: -0.02,
		province: "DKI Jakarta", postal: "12310", desc: "Konseling untuk keluarga yang mendampingi anggota keluarga dengan gangguan jiwa: cara berkomunikasi, berbagi tugas, dan menjaga diri.",
		fees: "Biaya terjangkau: Rp 25.000 per sesi, bisa dibebaskan.", inPerson: true, cost: hsds.CostLow, amount: 25000, langs: []string{"id"},
		hours: "weekend", terms: []string{"keluarga", "konseling"}, verifiedDaysAgo: 45},
	{key: "english", name: "English-speaking Counselling Service (demo)", org: "Jakarta Expat Wellbeing (demo)", city: "Jakarta", dLat: -0.05, dLon: -0.03,
		province: "DKI Jakarta", postal: "12190", desc: "Counselling in English for people living in Jakarta, in person or by video call, for anxiety, stress, grief and adjustment. This is a demo listing, not a real service.",
		apply: "Book a first appointment by e-mail.", online: "https://expatwellbeing.example/book", inPerson: true, cost: hsds.CostPaid, amount: 600000,
		langs: []string{"en"}, hours: "office", terms: []string{"konseling"}},
	{key: "dengar", name: "Layanan Chat Dengar Aku (contoh)", org: "Yayasan Pelita Jiwa (contoh)", desc: "Teman bicara lewat chat setiap sore dan malam, dijawab relawan pendengar terlatih. Untuk cerita tentang cemas, sedih, atau kesepian.",
		apply: "Buka situsnya dan mulai mengetik; tidak perlu akun.", online: "https://pelitajiwa.example/chat", cost: hsds.CostFree,
		langs: []string{"id"}, hours: "late", terms: []string{"sebaya"}, verifiedDaysAgo: 10, noPhone: true},
	{key: "hujan", name: "Pendampingan Sebaya Kota Hujan (contoh)", org: "Komunitas Kota Hujan Peduli (contoh)", city: "Bogor", dLat: 0.01, dLon: 0.008,
		province: "Jawa Barat", postal: "16121", desc: "Pertemuan pendamping sebaya setiap akhir pekan untuk orang muda yang merasa tertekan atau cemas.",
		inPerson: true, cost: hsds.CostFree, langs: []string{"id", "su"}, hours: "weekend", terms: []string{"sebaya"}},
	{key: "kampus", name: "Layanan Psikologi Kampus Depok (contoh)", org: "Unit Layanan Psikologi Kampus (contoh)", city: "Depok", dLat: -0.02, dLon: 0.03,
		province: "Jawa Barat", postal: "16424", desc: "Konseling psikologi untuk mahasiswa (gratis) dan masyarakat umum (Rp 30.000).",
		fees: "Gratis untuk mahasiswa; masyarakat umum Rp 30.000.", inPerson: true, cost: hsds.CostLow, amount: 30000, langs: []string{"id", "en"},
		hours: "office", terms: []string{"konseling"}, verifiedDaysAgo: 90},
	{key: "cisadane", name: "Posyandu Jiwa Cisadane (contoh)", org: "Kader Jiwa Cisadane (contoh)", city: "Tangerang", dLat: 0.005, dLon: 0.01,
		province: "Banten", postal: "15111", desc: "Pos layanan jiwa berbasis masyarakat: pemantauan, kelompok keluarga, dan rujukan ke puskesmas.",
		inPerson: true, cost: hsds.CostFree, langs: []string{"id"}, hours: "clinic", terms: []string{"keluarga", "sebaya"}},
	{key: "bekasi", name: "Konseling Bekasi Peduli (contoh)", org: "Bekasi Peduli Jiwa (contoh)", city: "Bekasi", dLat: -0.01, dLon: -0.01,
		province: "Jawa Barat", postal: "17141", desc: "Konseling malam hari untuk pekerja, tatap muka atau daring.", online: "https://bekasipeduli.example",
		inPerson: true, cost: hsds.CostLow, amount: 20000, langs: []string{"id"}, hours: "evening", terms: []string{"konseling"}, verifiedDaysAgo: 300},
	{key: "bumi", name: "Klinik Psikologi Bumi Sehat Bandung (contoh)", org: "Bumi Sehat (contoh)", city: "Bandung", dLat: 0.02, dLon: 0.005,
		province: "Jawa Barat", postal: "40115", desc: "Psikolog klinis untuk anak, remaja, dan dewasa. Layanan dalam bahasa Sunda tersedia.",
		fees: "Rp 200.000 per sesi.", inPerson: true, cost: hsds.CostPaid, amount: 200000, langs: []string{"id", "su", "en"}, hours: "office",
		terms: []string{"konseling"}, verifiedDaysAgo: 15},
	{key: "parahyangan", name: "Kelompok Sebaya Parahyangan (contoh)", org: "Komunitas Sebaya Parahyangan (contoh)", city: "Bandung", dLat: -0.01, dLon: -0.015,
		province: "Jawa Barat", postal: "40111", desc: "Kelompok dukungan sebaya berbahasa Sunda dan Indonesia, malam hari dan Sabtu pagi.", inPerson: true,
		cost: hsds.CostFree, langs: []string{"su", "id"}, hours: "mixed", terms: []string{"sebaya"}},
	{key: "dago", name: "Layanan Psikiatri Dago (contoh)", org: "Klinik Dago Sehat Jiwa (contoh)", city: "Bandung", dLat: 0.04, dLon: -0.005,
		province: "Jawa Barat", postal: "40135", desc: "Poli jiwa dengan dokter spesialis kedokteran jiwa; menerima BPJS Kesehatan dengan rujukan.",
		fees: "Peserta BPJS Kesehatan tanpa biaya dengan rujukan puskesmas.", inPerson: true, cost: hsds.CostFree, langs: []string{"id"}, hours: "split",
		terms: []string{"psikiatri"}, verifiedDaysAgo: 190},
	{key: "caruban", name: "Dukungan Keluarga Caruban (contoh)", org: "Paguyuban Keluarga Caruban (contoh)", city: "Cirebon", dLat: 0.005, dLon: 0.004,
		province: "Jawa Barat", postal: "45111", desc: "Pertemuan keluarga dan pengasuh setiap akhir pekan.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id", "jv"}, hours: "weekend", terms: []string{"keluarga"}},
	{key: "tembalang", name: "Pusat Konseling Tembalang (contoh)", org: "Pusat Konseling Tembalang (contoh)", city: "Semarang", dLat: -0.06, dLon: 0.02,
		province: "Jawa Tengah", postal: "50275", desc: "Konseling individu dan pasangan dengan tarif terjangkau.", inPerson: true, cost: hsds.CostLow, amount: 40000,
		langs: []string{"id", "jv"}, hours: "office", terms: []string{"konseling"}, verifiedDaysAgo: 60},
	{key: "bengawan", name: "Sebaya Bengawan (contoh)", org: "Komunitas Sebaya Bengawan (contoh)", city: "Surakarta", dLat: 0.008, dLon: -0.01,
		province: "Jawa Tengah", postal: "57111", desc: "Kelompok sebaya berbahasa Jawa untuk orang dengan pengalaman gangguan jiwa.", inPerson: true,
		cost: hsds.CostFree, langs: []string{"jv", "id"}, hours: "evening", terms: []string{"sebaya"}},
	{key: "cerita", name: "Ruang Cerita Jogja (contoh)", org: "Ruang Cerita (contoh)", city: "Yogyakarta", dLat: 0.01, dLon: 0.004,
		province: "DI Yogyakarta", postal: "55213", desc: "Ruang bercerita sore dan malam dengan pendengar sebaya, tatap muka atau daring. Cocok saat cemas atau kesepian.",
		online: "https://ruangcerita.example", inPerson: true, cost: hsds.CostFree, langs: []string{"jv", "id", "en"}, hours: "late",
		terms: []string{"sebaya", "konseling"}, verifiedDaysAgo: 5},
	{key: "kaliurang", name: "Klinik Psikiatri Kaliurang (contoh)", org: "Klinik Kaliurang Sehat (contoh)", city: "Yogyakarta", dLat: 0.05, dLon: 0.01,
		province: "DI Yogyakarta", postal: "55281", desc: "Dokter spesialis kedokteran jiwa dan perawat jiwa; kontrol rutin dan pengobatan.", fees: "Rp 250.000 per kunjungan.",
		inPerson: true, cost: hsds.CostPaid, amount: 250000, langs: []string{"id", "jv"}, hours: "clinic", terms: []string{"psikiatri"}},
	{key: "sleman", name: "Pendampingan Keluarga Sleman (contoh)", org: "Paguyuban Keluarga Sehat Jiwa Sleman (contoh)", city: "Yogyakarta", dLat: 0.075, dLon: -0.01,
		province: "DI Yogyakarta", postal: "55511", desc: "Pendampingan bagi keluarga yang merawat anggota keluarga dengan skizofrenia.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"jv", "id"}, hours: "weekend", terms: []string{"keluarga"}, verifiedDaysAgo: 120},
	{key: "arek", name: "Konseling Arek Suroboyo (contoh)", org: "Yayasan Arek Sehat Jiwa (contoh)", city: "Surabaya", dLat: -0.02, dLon: 0.01,
		province: "Jawa Timur", postal: "60241", desc: "Konseling dengan psikolog, juga dalam bahasa Jawa dan Madura.", inPerson: true, cost: hsds.CostLow, amount: 35000,
		langs: []string{"id", "jv", "mad"}, hours: "office", terms: []string{"konseling"}, verifiedDaysAgo: 30},
	{key: "tugu", name: "Kelompok Sebaya Tugu (contoh)", org: "Komunitas Sebaya Tugu (contoh)", city: "Malang", dLat: 0.003, dLon: 0.002,
		province: "Jawa Timur", postal: "65111", desc: "Kelompok dukungan sebaya untuk mahasiswa dan pekerja muda.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id", "jv"}, hours: "evening", terms: []string{"sebaya"}},
	{key: "bali", name: "Konseling Bali Sejahtera (contoh)", org: "Bali Sejahtera Jiwa (contoh)", city: "Denpasar", dLat: -0.01, dLon: 0.02,
		province: "Bali", postal: "80234", desc: "Counselling in Balinese, Indonesian and English, in person in Denpasar or online.", online: "https://balisejahtera.example",
		inPerson: true, cost: hsds.CostPaid, amount: 300000, langs: []string{"ban", "id", "en"}, hours: "office", terms: []string{"konseling"}, verifiedDaysAgo: 75},
	{key: "sasak", name: "Layanan Jiwa Sasak (contoh)", org: "Klinik Jiwa Sasak (contoh)", city: "Mataram", dLat: 0.004, dLon: -0.006,
		province: "Nusa Tenggara Barat", postal: "83121", desc: "Poli jiwa untuk pemeriksaan dan pengobatan; peserta BPJS Kesehatan tidak dipungut biaya.", inPerson: true,
		cost: hsds.CostFree, langs: []string{"id"}, hours: "clinic", terms: []string{"psikiatri"}},
	{key: "deli", name: "Konseling Keluarga Deli (contoh)", org: "Yayasan Keluarga Deli (contoh)", city: "Medan", dLat: -0.01, dLon: 0.01,
		province: "Sumatera Utara", postal: "20112", desc: "Konseling keluarga dan pasangan dengan tarif terjangkau.", inPerson: true, cost: hsds.CostLow, amount: 30000,
		langs: []string{"id"}, hours: "office", terms: []string{"keluarga", "konseling"}, verifiedDaysAgo: 210},
	{key: "minang", name: "Sebaya Ranah Minang (contoh)", org: "Komunitas Sebaya Ranah Minang (contoh)", city: "Padang", dLat: 0.006, dLon: 0.003,
		province: "Sumatera Barat", postal: "25111", desc: "Kelompok sebaya berbahasa Minang dan Indonesia setiap akhir pekan.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"min", "id"}, hours: "weekend", terms: []string{"sebaya"}},
	{key: "musi", name: "Klinik Psikologi Musi (contoh)", org: "Klinik Psikologi Musi (contoh)", city: "Palembang", dLat: -0.004, dLon: 0.01,
		province: "Sumatera Selatan", postal: "30111", desc: "Psikolog klinis untuk remaja dan dewasa.", inPerson: true, cost: hsds.CostPaid, amount: 175000,
		langs: []string{"id"}, hours: "office", terms: []string{"konseling"}},
	{key: "losari", name: "Komunitas Sebaya Losari (contoh)", org: "Komunitas Peduli Jiwa Losari (contoh)", city: "Makassar", dLat: -0.01, dLon: -0.008,
		province: "Sulawesi Selatan", postal: "90111", desc: "Pertemuan sebaya dan keluarga dalam bahasa Bugis dan Indonesia.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"bug", "id"}, hours: "evening", terms: []string{"sebaya", "keluarga"}, verifiedDaysAgo: 35},
	{key: "panakkukang", name: "Layanan Psikiatri Panakkukang (contoh)", org: "Klinik Jiwa Panakkukang (contoh)", city: "Makassar", dLat: -0.01, dLon: 0.03,
		province: "Sulawesi Selatan", postal: "90231", desc: "Poli jiwa; peserta BPJS Kesehatan tidak dipungut biaya dengan rujukan.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id", "bug"}, hours: "clinic", terms: []string{"psikiatri"}},
	{key: "malam", name: "Ruang Dengar Malam Manado (contoh)", org: "Komunitas Ruang Dengar (contoh)", city: "Manado", dLat: 0.004, dLon: 0.003,
		province: "Sulawesi Utara", postal: "95111", desc: "Ruang dengar sebaya pada Jumat dan Sabtu malam, sampai lewat tengah malam.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id"}, hours: "night", terms: []string{"sebaya"}},
	{key: "teluk", name: "Konseling Pekerja Teluk (contoh)", org: "Yayasan Pekerja Sehat (contoh)", city: "Balikpapan", dLat: 0.006, dLon: 0.004,
		province: "Kalimantan Timur", postal: "76111", desc: "Konseling bagi pekerja dan keluarganya, malam hari dan Sabtu pagi.", inPerson: true, cost: hsds.CostLow, amount: 25000,
		langs: []string{"id"}, hours: "mixed", terms: []string{"konseling", "keluarga"}},
	{key: "khatulistiwa", name: "Dukungan Sebaya Khatulistiwa (contoh)", org: "Komunitas Khatulistiwa Peduli (contoh)", city: "Pontianak", dLat: -0.004, dLon: 0.004,
		province: "Kalimantan Barat", postal: "78111", desc: "Kelompok sebaya dalam bahasa Indonesia dan Mandarin.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id", "zh"}, hours: "weekend", terms: []string{"sebaya"}},
	{key: "flobamora", name: "Pendampingan Keluarga Flobamora (contoh)", org: "Yayasan Flobamora Peduli (contoh)", city: "Kupang", dLat: 0.01, dLon: 0.004,
		province: "Nusa Tenggara Timur", postal: "85111", desc: "Pendampingan keluarga dan kunjungan rumah.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id"}, hours: "office", terms: []string{"keluarga"}, verifiedDaysAgo: 500},
	{key: "manise", name: "Konseling Manise (contoh)", org: "Yayasan Manise Sehat (contoh)", city: "Ambon", dLat: 0.003, dLon: -0.004,
		province: "Maluku", postal: "97124", desc: "Konseling gratis bagi remaja dan keluarga.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id"}, hours: "office", terms: []string{"konseling", "keluarga"}},
	{key: "papua", name: "Layanan Jiwa Tanah Papua (contoh)", org: "Klinik Jiwa Tanah Papua (contoh)", city: "Jayapura", dLat: 0.005, dLon: -0.004,
		province: "Papua", postal: "99111", desc: "Poli jiwa dan konseling; peserta BPJS Kesehatan tidak dipungut biaya.", inPerson: true, cost: hsds.CostFree,
		langs: []string{"id"}, hours: "clinic", terms: []string{"psikiatri", "konseling"}},
	{key: "kelola-cemas", name: "Kelas Daring Kelola Cemas (contoh)", org: "Yayasan Pelita Jiwa (contoh)", desc: "Kelas daring mingguan tentang mengelola kecemasan: napas, pikiran yang berputar, dan tidur. Dipandu psikolog.",
		apply: "Daftar di situsnya; tautan kelas dikirim lewat surel.", online: "https://pelitajiwa.example/kelas", cost: hsds.CostFree,
		langs: []string{"id"}, hours: "class", terms: []string{"konseling"}, verifiedDaysAgo: 3, noPhone: true},
	{key: "bisindo", name: "Konseling Daring BISINDO (contoh)", org: "Komunitas Tuli Peduli Jiwa (contoh)", desc: "Konseling lewat panggilan video dalam Bahasa Isyarat Indonesia (BISINDO), dengan konselor Tuli.",
		online: "https://tulipeduli.example", cost: hsds.CostLow, amount: 15000, langs: []string{"inl", "id"}, hours: "office",
		terms: []string{"konseling"}, noPhone: true},
}

// The national services the project's fact sheet
// (../shared/data/facts/QUESTIONNAIRES_AND_HELPLINES.md) lists, with only
// the facts it gives. They are real, so they are not marked "(contoh)" and
// nobody has verified them in this demo.
func demoNationalServices() []hsds.Service {
	eight := 8.0
	return []hsds.Service{
		{ID: DemoServiceID("sejiwa"), Name: "SEJIWA (Sehat Jiwa): dukungan psikologis lewat telepon", Status: "active",
			Description:        "Layanan dukungan psikologis lewat telepon 119 ekstensi 8, diluncurkan pada 29 April 2020 oleh Kantor Staf Presiden (KSP) bersama HIMPSI, Kementerian Kesehatan, KPPPA, dan BNPB. Beberapa berita lama menyebut ekstensi 9; sumber terkini menyebut ekstensi 8.",
			ApplicationProcess: "Telepon 119, lalu pilih ekstensi 8.",
			Organization:       &hsds.Organization{ID: demoID("org:sejiwa"), Name: "SEJIWA (KSP, HIMPSI, Kemenkes, KPPPA, BNPB)", Description: "Layanan bersama KSP, HIMPSI, Kementerian Kesehatan, KPPPA, dan BNPB."},
			Phones:             []hsds.Phone{{ID: demoID("phone:sejiwa"), Number: "119", Extension: &eight, Type: "voice", Description: "Pilih ekstensi 8 untuk kesehatan jiwa."}},
			Languages:          []hsds.Language{{ID: demoID("lang:sejiwa"), Name: "Bahasa Indonesia", Code: "id"}},
			ServiceAreas:       []hsds.ServiceArea{{ID: demoID("area:sejiwa"), Name: "Indonesia"}},
			Attributes:         demoAttributes("sejiwa", []string{"konseling", "krisis"}),
		},
		{ID: DemoServiceID("healing119"), Name: "Healing119.id", Status: "active",
			Description:        "Dukungan gratis dan anonim bagi orang yang sedang dalam krisis bunuh diri, dari Kementerian Kesehatan bersama Ikatan Psikolog Klinis; diaktifkan kembali pada 31 Juli 2025.",
			ApplicationProcess: "Buka https://healing119.id.", FeesDescription: "Gratis.", URL: "https://healing119.id",
			Organization:       &hsds.Organization{ID: demoID("org:kemenkes"), Name: "Kementerian Kesehatan Republik Indonesia", Description: "Kementerian Kesehatan (Kemenkes)."},
			ServiceAtLocations: []hsds.ServiceAtLocation{{ID: demoID("sal:healing119"), Location: &hsds.Location{ID: demoID("loc:healing119"), LocationType: hsds.LocationVirtual, Name: "Healing119.id", URL: "https://healing119.id", OrganizationID: demoID("org:kemenkes")}}},
			Languages:          []hsds.Language{{ID: demoID("lang:healing119"), Name: "Bahasa Indonesia", Code: "id"}},
			ServiceAreas:       []hsds.ServiceArea{{ID: demoID("area:healing119"), Name: "Indonesia"}},
			Attributes:         demoAttributes("healing119", []string{"krisis", "konseling"}),
		},
		{ID: DemoServiceID("jakcare"), Name: "JakCare", Status: "active",
			Description:        "Layanan psikolog klinis 24 jam setiap hari untuk warga DKI Jakarta, lewat telepon 0800-1500-119 atau aplikasi JAKI.",
			ApplicationProcess: "Telepon 0800-1500-119 atau buka aplikasi JAKI.",
			Organization:       &hsds.Organization{ID: demoID("org:jakcare"), Name: "JakCare (DKI Jakarta)", Description: "Layanan untuk warga DKI Jakarta."},
			Phones:             []hsds.Phone{{ID: demoID("phone:jakcare"), Number: "0800-1500-119", Type: "voice"}},
			Schedules:          []hsds.Schedule{{ID: demoID("schedule:jakcare"), Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA,SU", OpensAt: "00:00", ClosesAt: "00:00", Description: "24 jam, setiap hari."}},
			Languages:          []hsds.Language{{ID: demoID("lang:jakcare"), Name: "Bahasa Indonesia", Code: "id"}},
			ServiceAreas:       []hsds.ServiceArea{{ID: demoID("area:jakcare"), Name: "DKI Jakarta"}},
			Attributes:         demoAttributes("jakcare", []string{"krisis", "konseling"}),
		},
	}
}

func demoTerm(key string) *hsds.TaxonomyTerm {
	for _, t := range demoTerms {
		if t.key == key {
			return &hsds.TaxonomyTerm{ID: demoID("term:" + key), Name: t.name, Description: t.desc, Code: key, Language: "id",
				TaxonomyID: demoID("taxonomy"), TaxonomyDetail: &hsds.Taxonomy{ID: demoID("taxonomy"),
					Name: "Jenis bantuan (contoh Rangkul)", Description: "A small demo taxonomy of kinds of mental-health help for Rangkul's directory; not a published vocabulary."}}
		}
	}
	panic("demo: unknown term " + key)
}

func demoAttributes(owner string, keys []string) []hsds.Attribute {
	var out []hsds.Attribute
	for _, k := range keys {
		out = append(out, hsds.Attribute{ID: demoID("attr:" + owner + ":" + k), LinkEntity: "service", TaxonomyTerm: demoTerm(k)})
	}
	return out
}

func demoPlace(name string) hsds.Point {
	for _, p := range directory.Places {
		if p.Name == name {
			return p.At
		}
	}
	panic("demo: unknown place " + name)
}

// build turns a demo listing into an HSDS service.
func (d demoService) build(i int) hsds.Service {
	id := DemoServiceID(d.key)
	orgID := demoID("org:" + d.org)
	slug := strings.TrimSuffix(strings.TrimPrefix(d.online, "https://"), "/")
	if j := strings.IndexByte(slug, '/'); j >= 0 {
		slug = slug[:j]
	}
	if slug == "" {
		slug = d.key + ".example"
	}
	sv := hsds.Service{ID: id, Name: d.name, Status: "active", Description: d.desc + demoNote, ApplicationProcess: d.apply,
		FeesDescription: d.fees, Email: "info@" + slug, URL: "https://" + slug,
		Organization: &hsds.Organization{ID: orgID, Name: d.org, Description: "Organisasi contoh untuk demo Rangkul.", Website: "https://" + slug}}
	if !d.noPhone {
		sv.Phones = []hsds.Phone{{ID: demoID("phone:" + d.key), Number: fmt.Sprintf("+62 000 0000 01%02d", i), Type: "voice",
			Description: "Nomor contoh yang tidak bisa dihubungi."}}
	}
	for _, code := range d.langs {
		for _, c := range directory.LanguageChoices {
			if c.Code == code {
				sv.Languages = append(sv.Languages, hsds.Language{ID: demoID("lang:" + d.key + ":" + code), Name: c.Name, Code: c.Code})
			}
		}
	}
	for j, sc := range demoHours[d.hours] {
		sc.ID = demoID(fmt.Sprintf("schedule:%s:%d", d.key, j))
		sv.Schedules = append(sv.Schedules, sc)
	}
	zero := 0.0
	switch d.cost {
	case hsds.CostFree:
		sv.CostOptions = []hsds.CostOption{{ID: demoID("cost:" + d.key), Option: "Gratis", Amount: &zero, Currency: "IDR"}}
	case hsds.CostLow, hsds.CostPaid:
		amount := d.amount
		sv.CostOptions = []hsds.CostOption{{ID: demoID("cost:" + d.key), Option: "Per sesi", Amount: &amount, Currency: "IDR"}}
	}
	if d.online != "" {
		sv.ServiceAtLocations = append(sv.ServiceAtLocations, hsds.ServiceAtLocation{ID: demoID("sal:online:" + d.key),
			Location: &hsds.Location{ID: demoID("loc:online:" + d.key), LocationType: hsds.LocationVirtual, Name: "Daring", URL: d.online, OrganizationID: orgID}})
	}
	if d.inPerson {
		at := demoPlace(d.city)
		lat, lon := at.Lat+d.dLat, at.Lon+d.dLon
		sv.ServiceAtLocations = append(sv.ServiceAtLocations, hsds.ServiceAtLocation{ID: demoID("sal:place:" + d.key),
			Location: &hsds.Location{ID: demoID("loc:place:" + d.key), LocationType: hsds.LocationPhysical, Name: d.org, OrganizationID: orgID,
				Latitude: &lat, Longitude: &lon,
				Addresses: []hsds.Address{{ID: demoID("addr:" + d.key), Address1: fmt.Sprintf("Jl. Contoh Raya No. %d", 10+i), City: d.city,
					StateProvince: d.province, PostalCode: d.postal, Country: "ID", AddressType: "physical"}}}})
		sv.ServiceAreas = []hsds.ServiceArea{{ID: demoID("area:" + d.key), Name: d.city}}
	}
	sv.Attributes = demoAttributes(d.key, d.terms)
	return sv
}

// loadDemoDirectory imports the official HSDS example and the demo
// network's services (see demoService) in one import, marks some verified
// at various past dates, and leaves a problem report in the queue.
func (a *App) loadDemoDirectory(ctx context.Context) error {
	var all []hsds.Service
	for i, d := range demoServices {
		all = append(all, d.build(i+1))
	}
	all = append(all, demoNationalServices()...)
	body, err := json.Marshal(all)
	if err != nil {
		return err
	}
	if _, err := a.HSDS.ImportJSON(ctx, bytes.NewReader(body), nil); err != nil {
		return fmt.Errorf("demo: directory: %w", err)
	}
	if ex, err := hsds.Example(); err != nil {
		return err
	} else if _, err := a.HSDS.ImportJSON(ctx, bytes.NewReader(ex), nil); err != nil {
		return fmt.Errorf("demo: HSDS example: %w", err)
	}
	curator, err := a.Auth.PersonByName(ctx, "demo-coordinator")
	if err != nil {
		return err
	}
	now := time.Now()
	for _, d := range demoServices {
		if d.verifiedDaysAgo == 0 {
			continue
		}
		at := now.AddDate(0, 0, -d.verifiedDaysAgo)
		if err := a.HSDS.WithClock(func() time.Time { return at }).MarkVerified(ctx, DemoServiceID(d.key), curator.User.ID); err != nil {
			return err
		}
	}
	stranger := auth.WithPrincipal(ctx, nil)
	return a.Directory.ReportProblem(stranger, DemoServiceID("senja"), directory.ReportInput{Reason: directory.ReasonHours,
		Note: "Pertemuan Kamis sekarang mulai pukul 19.30, bukan 19.00."})
}
