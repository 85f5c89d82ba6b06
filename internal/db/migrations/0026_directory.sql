-- Services directory pages (D1): problems people report with a listing,
-- and the curators' answer. service_id is the HSDS id of the listing; no
-- foreign key, because the directory's records belong to package hsds and
-- a report outlives the listing it was about. service_name keeps the name
-- the person saw. reporter_id is empty for people who were not signed in.
-- The person's note is sealed (internal/secret, additional data
-- "directory_report:<id>"): it may say more about them than they meant.
CREATE TABLE directory_reports (
    id {{id}},
    service_id TEXT NOT NULL,
    service_name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    note_sealed TEXT NOT NULL DEFAULT '',
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'open',
    answer TEXT NOT NULL DEFAULT '',
    handled_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    handled_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX directory_reports_status ON directory_reports (status, created_at);
CREATE INDEX directory_reports_service ON directory_reports (service_id, status);
CREATE INDEX directory_reports_reporter ON directory_reports (reporter_id);
CREATE INDEX directory_reports_handled_by ON directory_reports (handled_by);
