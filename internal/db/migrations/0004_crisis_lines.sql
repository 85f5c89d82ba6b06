-- Crisis and helpline contacts shown on /help, kept as data an administrator
-- can correct, each with the date somebody last checked it. Seeded from
-- shared/data/facts/QUESTIONNAIRES_AND_HELPLINES.md (sources cited there).
CREATE TABLE crisis_lines (
    id {{id}},
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    note_en TEXT NOT NULL DEFAULT '',
    note_id TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    last_verified {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX crisis_lines_region ON crisis_lines (region, sort_order);

INSERT INTO crisis_lines (region, name, contact, url, hours, note_en, note_id, sort_order, last_verified, updated_at) VALUES
('ID', 'SEJIWA (Sehat Jiwa)', '119 ext. 8', '', '24/7',
 'Psychological support line run with HIMPSI and the Ministry of Health. Call 119 and choose extension 8.',
 'Layanan dukungan psikologis bersama HIMPSI dan Kemenkes. Telepon 119, lalu pilih ekstensi 8.', 10,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('ID', 'Healing119.id (Kemenkes)', 'healing119.id', 'https://healing119.id', '',
 'Free, anonymous online support for people in suicidal crisis, with clinical psychologists.',
 'Dukungan daring gratis dan anonim bagi yang sedang dalam krisis bunuh diri, bersama psikolog klinis.', 20,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('ID', 'PSC 119 (emergency / gawat darurat)', '119', '', '24/7',
 'National emergency medical call centre. For a life in danger call 119 (or 112).',
 'Layanan gawat darurat medis nasional. Jika nyawa dalam bahaya, telepon 119 (atau 112).', 30,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('ID', 'JakCare (DKI Jakarta)', '0800-1500-119', '', '24/7',
 'Clinical psychologists for people in DKI Jakarta, by phone or the JAKI app.',
 'Psikolog klinis untuk warga DKI Jakarta, lewat telepon atau aplikasi JAKI.', 40,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('GB', 'Samaritans', '116 123', 'https://www.samaritans.org', '24/7',
 'Free to call, any time. You can also e-mail jo@samaritans.org.',
 'Gratis, kapan saja. Bisa juga lewat e-mail jo@samaritans.org.', 10,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('GB', 'NHS 111 (mental health option)', '111, option 2', '', '24/7',
 'Urgent mental health help in England, for all ages: call 111 and choose option 2.',
 'Bantuan kesehatan jiwa mendesak di Inggris untuk segala usia: telepon 111, pilih opsi 2.', 20,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('GB', 'Shout', 'Text SHOUT to 85258', '', '24/7',
 'Free, confidential text support. Any opening word works.',
 'Dukungan lewat SMS, gratis dan rahasia. Kata pembuka apa saja bisa.', 30,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00'),
('GB', 'Emergency', '999', '', '24/7',
 'When a life is at risk, call 999 or go to A&E. Under 19? Childline: 0800 1111.',
 'Jika nyawa dalam bahaya, telepon 999 atau datang ke IGD (A&E). Di bawah 19 tahun? Childline: 0800 1111.', 40,
 '2026-11-22 00:00:00+00:00', '2026-11-22 00:00:00+00:00');
