package app

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/library"
)

// demoResource is one resource of the demo library: who writes it, who
// reviews it, and how far it has come.
type demoResource struct {
	org, author, reviewer, reviewerName string
	state                               string // published, in_review, returned (a draft with a note) or draft
	note                                string // the reviewer's note when returned
	daysAgo                             int
	in                                  library.Input
}

// demoLibrary is written from general, well-established self-care advice and
// points only to real public organisations' own pages, with nothing claimed
// about them beyond what the project's fact sheet records or their pages say
// of themselves.
var demoLibrary = []demoResource{
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 60,
		in: library.Input{Kind: library.KindArticle, Language: "id", Topic: "anxiety", AuthorName: "Laras",
			Title:   "Mengenali kecemasan dan cara menenangkannya",
			Summary: "Cemas itu wajar. Kenali kapan kecemasan mulai membebani, dan beberapa langkah kecil yang bisa dicoba saat ia datang.",
			Body: `Cemas adalah reaksi yang wajar saat kita menghadapi hal yang terasa mengancam atau belum pasti. Kecemasan mulai membebani ketika datang terlalu sering, terlalu kuat, atau membuat kita menghindari hal-hal yang penting bagi kita.

**Tanda-tanda yang sering dirasakan**

- jantung berdebar, napas pendek, atau dada terasa sesak
- pikiran berputar pada hal yang sama dan sulit berhenti
- sulit tidur atau mudah terbangun
- menghindari tempat, orang, atau kegiatan tertentu

**Yang bisa dicoba saat cemas datang**

1. *Perlambat napas.* Tarik napas lewat hidung sambil menghitung sampai empat, lalu hembuskan pelan sambil menghitung sampai enam. Ulangi beberapa kali.
2. *Kembali ke saat ini.* Sebutkan lima hal yang Anda lihat, empat yang Anda dengar, dan tiga yang bisa Anda sentuh.
3. *Tuliskan kekhawatiran.* Menuliskannya membantu memisahkan apa yang bisa dilakukan sekarang dari apa yang belum bisa.
4. *Bicarakan dengan orang yang Anda percaya.* Di kelompok dukungan sebaya, banyak anggota pernah merasakan hal yang sama.

Jika kecemasan membuat hari-hari Anda sulit dijalani selama beberapa minggu, bicarakan dengan tenaga kesehatan di puskesmas atau layanan psikologi terdekat. Jika Anda merasa tidak aman, buka halaman Bantuan untuk layanan yang bisa dihubungi sekarang.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 52,
		in: library.Input{Kind: library.KindArticle, Language: "id", Topic: "carers", AuthorName: "Laras",
			Title:   "Untuk keluarga: mendampingi tanpa melupakan diri sendiri",
			Summary: "Mendampingi anggota keluarga yang sedang berjuang itu melelahkan. Beberapa cara menjaga hubungan tetap hangat dan tenaga Anda tetap ada.",
			Body: `Ketika seseorang yang kita sayangi sedang berjuang dengan kesehatan jiwanya, wajar jika kita ingin selalu ada untuknya. Namun pendamping juga manusia: tenaga dan kesabaran bisa habis.

**Mendengarkan lebih dulu**

Sering kali yang paling membantu bukan nasihat, tetapi didengarkan. Tanyakan "Apa yang paling berat buatmu hari ini?" dan beri waktu untuk menjawab. Hindari kata-kata yang mengecilkan perasaan, seperti "ah, begitu saja kok".

**Bersama, bukan menggantikan**

Ajak ia ikut memutuskan hal-hal tentang dirinya sendiri, termasuk kapan dan ke mana mencari bantuan. Menemani ke puskesmas atau ke pertemuan kelompok bisa sangat berarti.

**Menjaga diri sendiri**

- bagi tugas dengan anggota keluarga lain bila bisa
- sisihkan waktu rutin untuk istirahat dan hal yang Anda sukai
- cari teman bicara: banyak kelompok dukungan di Rangkul terbuka untuk keluarga dan pendamping

Merasa lelah, marah, atau sedih bukan berarti Anda kurang sayang. Itu tanda Anda juga perlu didukung.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 45,
		in: library.Input{Kind: library.KindArticle, Language: "en", Topic: "general", AuthorName: "Laras",
			Title:   "Sleep and mood: small steps that help",
			Summary: "Poor sleep and low mood often feed each other. A few small, steady habits can help you rest better.",
			Body: `Most of us know how a bad night colours the next day. When sleep is short for a while, worries feel bigger and patience runs out sooner; and when we are low or anxious, sleep comes less easily. Small, steady changes can help break that circle.

**Habits worth trying**

- Get up at about the same time every day, even after a poor night.
- Keep the last hour before bed calm and dim; put the phone away if you can.
- Have coffee, tea and other caffeine earlier in the day.
- If you cannot sleep after a while, get up, do something quiet in low light, and go back to bed when you feel sleepy.
- Daylight and some movement during the day help the body know when it is night.

**Be gentle with yourself**

One bad night is not a failure, and changes take a few weeks to be felt. If sleep stays difficult for weeks, or you feel low most days, talk to a health worker: both are common and both can be helped.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-admin", reviewer: "demo-coordinator", reviewerName: "Laras", state: "published", daysAgo: 40,
		in: library.Input{Kind: library.KindGuide, Language: "id", Topic: "general", AuthorName: "Bima",
			Title:   "Panduan bergabung dengan kelompok dukungan sebaya",
			Summary: "Langkah demi langkah mencari kelompok yang cocok di Rangkul, memilih nama samaran, dan mengikuti pertemuan pertama.",
			Body: `Kelompok dukungan sebaya adalah tempat berbagi pengalaman dengan orang-orang yang memahami, dipandu fasilitator yang terlatih. Begini cara bergabung di Rangkul.

1. **Cari kelompok.** Buka menu Kelompok. Saring berdasarkan topik, bahasa, wilayah, cara bertemu (daring atau tatap muka), dan hari pertemuan.
2. **Baca halamannya.** Setiap kelompok menjelaskan untuk siapa kelompok itu, kapan bertemu, dan aturan kelompok.
3. **Pilih nama samaran.** Di setiap kelompok Anda memakai nama yang Anda pilih sendiri. Nama masuk Anda tidak pernah ditampilkan kepada anggota lain.
4. **Setujui aturan kelompok, lalu bergabung.** Kelompok terbuka langsung menerima Anda. Untuk kelompok tertutup, permintaan Anda dibaca fasilitator terlebih dahulu.
5. **Datang ke pertemuan pertama.** Tandai kehadiran di halaman kelompok agar mendapat pengingat. Anda boleh hanya mendengarkan dulu; tidak ada yang wajib bercerita.

Jika Anda butuh bantuan segera, jangan menunggu pertemuan: buka halaman Bantuan.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-admin", reviewer: "demo-coordinator", reviewerName: "Laras", state: "published", daysAgo: 38,
		in: library.Input{Kind: library.KindGuide, Language: "en", Topic: "general", AuthorName: "Bima",
			Title:   "How to join a peer support group",
			Summary: "Step by step: finding a group that suits you on Rangkul, choosing a pseudonym, and going to your first meeting.",
			Body: `A peer support group is a place to share experience with people who understand, guided by a trained facilitator. Here is how to join one on Rangkul.

1. **Find a group.** Open Groups. Filter by topic, language, region, way of meeting (online or in person) and meeting day.
2. **Read its page.** Each group says who it is for, when it meets and what its house rules are.
3. **Choose a pseudonym.** In each group you use a name you choose. Your sign-in name is never shown to other members.
4. **Accept the house rules and join.** An open group takes you in at once; for a closed group, a facilitator reads your request first.
5. **Come to your first meeting.** Say you are coming on the group's page to get a reminder. You may just listen at first; nobody has to share.

If you need help now, do not wait for a meeting: open the Get help page.`}},
	{org: "puskesmas-tebet", author: "kader.sri", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 30,
		in: library.Input{Kind: library.KindLink, Language: "id", Topic: "general", AuthorName: "Bu Sri",
			Title:   "Healing119.id: dukungan saat krisis dari Kementerian Kesehatan",
			Summary: "Layanan gratis dan anonim dari Kementerian Kesehatan untuk dukungan saat krisis, termasuk pikiran bunuh diri.",
			URL:     "https://healing119.id",
			Body:    "Healing119.id adalah layanan Kementerian Kesehatan yang gratis dan anonim bagi siapa saja yang sedang dalam krisis atau memiliki pikiran bunuh diri. Dalam keadaan darurat medis, hubungi 119."}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 24,
		in: library.Input{Kind: library.KindLink, Language: "en", Topic: "general", AuthorName: "Laras",
			Title:   "Samaritans (UK): someone to talk to, day or night",
			Summary: "In the UK, Samaritans answer calls free on 116 123, any time of day or night, and e-mails at jo@samaritans.org.",
			URL:     "https://www.samaritans.org/",
			Body:    "Samaritans listen to anyone who is struggling, whatever it is about. Calls to 116 123 are free, day or night. Their text service closed in 2020, so text numbers still printed in older articles no longer work: call or e-mail instead."}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 17,
		in: library.Input{Kind: library.KindLink, Language: "en", Topic: "anxiety", AuthorName: "Laras",
			Title:   "Doing What Matters in Times of Stress (WHO)",
			Summary: "An illustrated guide from the World Health Organization with practical skills for coping with stress.",
			URL:     "https://www.who.int/publications/i/item/9789240003927"}},
	{org: "yayasan-rangkul-jiwa", author: "demo-admin", reviewer: "demo-coordinator", reviewerName: "Laras", state: "published", daysAgo: 10,
		in: library.Input{Kind: library.KindWebinar, Language: "en", Topic: "general", AuthorName: "Bima",
			Title:   "WHO events and webinars",
			Summary: "The World Health Organization lists its upcoming and past events here, webinars among them. Check each event's page for the date and how to take part.",
			URL:     "https://www.who.int/news-room/events"}},
	{org: "dinkes-kota-yogyakarta", author: "malioboro.pagi", reviewer: "demo-admin", reviewerName: "Bima", state: "published", daysAgo: 6,
		in: library.Input{Kind: library.KindArticle, Language: "id", Topic: "general", AuthorName: "Mas Pagi",
			Title:   "Menjaga kesehatan jiwa di tempat kerja",
			Summary: "Beban kerja, tenggat, dan hubungan dengan rekan bisa menguras tenaga. Kebiasaan kecil yang membantu, untuk pekerja dan atasan.",
			Body: `Pekerjaan bisa memberi makna, tetapi juga bisa menjadi sumber tekanan. Tanda-tandanya sering muncul pelan-pelan: sulit berkonsentrasi, mudah tersinggung, sulit tidur, atau merasa hampa setelah pulang kerja.

**Untuk diri sendiri**

- beri jeda singkat di antara pekerjaan: berdiri, minum air, tarik napas panjang
- buat batas yang jelas antara jam kerja dan waktu istirahat
- bicarakan beban kerja dengan atasan sebelum terlalu menumpuk

**Untuk atasan dan rekan**

- tanyakan kabar dengan sungguh-sungguh, lalu dengarkan
- jaga kerahasiaan cerita yang dipercayakan kepada Anda
- kenali layanan yang tersedia, seperti puskesmas dan kelompok dukungan, agar bisa menyarankannya

Meminta bantuan bukan tanda lemah. Itu langkah yang berani.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", state: "in_review", daysAgo: 2,
		in: library.Input{Kind: library.KindArticle, Language: "id", Topic: "grief", AuthorName: "Laras",
			Title:   "Berduka itu wajar: catatan untuk yang sedang kehilangan",
			Summary: "Duka tidak punya jadwal. Tentang perasaan yang datang silih berganti, dan cara menemani diri sendiri atau orang lain yang berduka.",
			Body: `Kehilangan orang yang kita sayangi mengubah banyak hal. Sedih, marah, bingung, lega, atau mati rasa bisa datang silih berganti, kadang dalam satu hari yang sama. Semua itu bagian dari berduka.

**Tidak ada cara berduka yang benar**

Sebagian orang ingin banyak bercerita, sebagian lebih suka diam. Duka juga tidak selesai dalam hitungan minggu; hari-hari tertentu, seperti hari raya atau hari ulang tahun, bisa terasa berat lagi.

**Yang bisa membantu**

- jaga hal-hal dasar: makan, minum, dan istirahat, walau sedikit
- izinkan orang lain membantu hal-hal praktis
- kenang dengan cara yang bermakna bagi Anda: menulis, berdoa, mengunjungi tempat kenangan

Jika duka terasa terlalu berat untuk dipikul sendiri, kelompok dukungan untuk yang berduka bisa menjadi tempat berbagi.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-admin", reviewer: "demo-coordinator", state: "in_review", daysAgo: 1,
		in: library.Input{Kind: library.KindArticle, Language: "en", Topic: "carers", AuthorName: "Bima",
			Title:   "Looking after yourself while caring for someone",
			Summary: "Caring for a family member who is unwell can wear you down. Ways to keep some strength for yourself.",
			Body: `Caring for someone you love through a mental health crisis can take everything you have. Many carers put their own needs last until they are exhausted.

**Small things that protect your strength**

- Share the load: ask other family members or friends for specific, practical help.
- Keep one thing each week that is only for you.
- Learn about what your relative is going through, from reliable sources and from them.
- Talk to others who care for someone: a carers' group can be a place where you do not have to explain.

Feeling tired, angry or sad does not mean you care less. It means you need support too.`}},
	{org: "yayasan-rangkul-jiwa", author: "demo-coordinator", reviewer: "demo-admin", state: "returned", daysAgo: 3,
		note: "Isinya sudah bagus. Tolong tambahkan satu paragraf untuk orang tua: bagaimana mendukung remaja tanpa memaksa, lalu kirim lagi.",
		in: library.Input{Kind: library.KindArticle, Language: "id", Topic: "youth", AuthorName: "Laras",
			Title:   "Tidur cukup untuk remaja dan orang muda",
			Summary: "Jadwal sekolah, kuliah, dan layar sering menggeser jam tidur. Beberapa kebiasaan yang membantu orang muda tidur lebih baik.",
			Body: `Banyak orang muda tidur larut karena tugas, pekerjaan sampingan, atau ponsel, lalu harus bangun pagi. Kurang tidur membuat suasana hati mudah berubah dan pelajaran lebih sulit masuk.

- usahakan bangun di jam yang sama setiap hari, termasuk akhir pekan
- simpan ponsel di luar jangkauan tangan saat hendak tidur
- kurangi kopi dan minuman berenergi menjelang malam
- jika pikiran penuh, tuliskan dulu sebelum tidur`}},
}

// loadDemoLibrary writes the demo library: published resources in both
// languages, two waiting for review (one for each demo writer to review) and
// a draft sent back with a note.
func (a *App) loadDemoLibrary(ctx context.Context, orgs map[string]int64) error {
	as := func(username string) (context.Context, error) {
		u, grants, err := a.Auth.Lookup(ctx, username)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", username, err)
		}
		return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants, SiteAdmin: u.SiteAdmin}), nil
	}
	now := time.Now().UTC()
	for _, d := range demoLibrary {
		at := now.AddDate(0, 0, -d.daysAgo)
		svc := a.Library.WithClock(func() time.Time { return at })
		author, err := as(d.author)
		if err != nil {
			return err
		}
		reviewer, err := as(d.reviewer)
		if err != nil {
			return err
		}
		id, err := svc.Create(author, orgs[d.org], d.in)
		if err != nil {
			return fmt.Errorf("demo: library %q: %w", d.in.Title, err)
		}
		if d.state == "draft" {
			continue
		}
		if err := svc.Submit(author, id); err != nil {
			return err
		}
		switch d.state {
		case "published":
			err = svc.Approve(reviewer, id, d.reviewerName)
		case "returned":
			err = svc.Return(reviewer, id, d.note)
		}
		if err != nil {
			return fmt.Errorf("demo: library %q: %w", d.in.Title, err)
		}
	}
	return nil
}
