-- Consent per purpose (B3): the exact texts people agree to, versioned, and
-- each person's agreements and withdrawals, kept as history.
CREATE TABLE consent_texts (
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    lang TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at {{time}} NOT NULL,
    PRIMARY KEY (purpose, version, lang)
);

CREATE TABLE consents (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    lang TEXT NOT NULL,
    agreed_at {{time}} NOT NULL,
    withdrawn_at {{time}}
);
CREATE INDEX consents_user ON consents (user_id, purpose, id);
CREATE INDEX consents_purpose ON consents (purpose, withdrawn_at);

INSERT INTO consent_texts (purpose, version, lang, body, published_at) VALUES
('participation', 1, 'en', 'I want to take part in Rangkul''s peer support groups. I understand that:
- I take part under a name I choose for each group; my account name is never shown there.
- What I write in a group is seen by its members and facilitators. Facilitators may keep short private notes about meetings.
- If what I write suggests I may be in danger, a facilitator or safety lead of the group is told so they can reach out. Rangkul is not an emergency service.
- I can download everything held about me, and erase my account, at any time from my account page.', '2026-11-22 00:00:00+00:00'),
('participation', 1, 'id', 'Saya ingin ikut serta dalam kelompok dukungan sebaya Rangkul. Saya memahami bahwa:
- Saya ikut dengan nama yang saya pilih untuk setiap kelompok; nama akun saya tidak pernah ditampilkan di sana.
- Apa yang saya tulis di kelompok dilihat oleh anggota dan fasilitatornya. Fasilitator boleh menyimpan catatan singkat pribadi tentang pertemuan.
- Jika tulisan saya menunjukkan saya mungkin dalam bahaya, fasilitator atau penanggung jawab keamanan kelompok akan diberi tahu agar bisa menghubungi saya. Rangkul bukan layanan darurat.
- Saya bisa mengunduh semua data tentang saya, dan menghapus akun saya, kapan saja dari halaman akun.', '2026-11-22 00:00:00+00:00'),
('research', 1, 'en', 'My answers to questionnaires and my meeting feedback may be used, without my name or anything that identifies me, in reports and research on how well peer support works. I can withdraw at any time: from then on my answers are left out of every new export and report.', '2026-11-22 00:00:00+00:00'),
('research', 1, 'id', 'Jawaban kuesioner dan masukan pertemuan saya boleh dipakai, tanpa nama atau apa pun yang bisa mengenali saya, dalam laporan dan penelitian tentang manfaat dukungan sebaya. Saya bisa menarik persetujuan kapan saja: sejak itu jawaban saya tidak diikutkan dalam ekspor dan laporan baru.', '2026-11-22 00:00:00+00:00'),
('story', 1, 'en', 'A story I share for publication (for example in a campaign or a newsletter) may be published under the name or pseudonym I choose, after I have seen the final text. I can withdraw before publication, and ask for it to be taken down afterwards.', '2026-11-22 00:00:00+00:00'),
('story', 1, 'id', 'Cerita yang saya bagikan untuk dipublikasikan (misalnya dalam kampanye atau buletin) boleh diterbitkan dengan nama atau nama samaran pilihan saya, setelah saya melihat teks akhirnya. Saya bisa menarik persetujuan sebelum terbit, dan meminta agar diturunkan setelahnya.', '2026-11-22 00:00:00+00:00'),
('contact', 1, 'en', 'The organisations of my groups may contact me, in the app or at the e-mail address I gave, about meetings, services and activities that may help me. I can withdraw at any time; messages about my own safety are not affected.', '2026-11-22 00:00:00+00:00'),
('contact', 1, 'id', 'Organisasi kelompok saya boleh menghubungi saya, di aplikasi atau di alamat e-mail yang saya berikan, tentang pertemuan, layanan, dan kegiatan yang mungkin membantu. Saya bisa menarik persetujuan kapan saja; pesan tentang keselamatan saya sendiri tidak terpengaruh.', '2026-11-22 00:00:00+00:00');
