-- Trial sessions (A2): a visitor without an account takes a guest seat at one
-- meeting under a short pseudonym, and may later turn the pass into membership.
ALTER TABLE group_sessions ADD COLUMN guest_seats INTEGER NOT NULL DEFAULT 2;

CREATE TABLE guest_passes (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    display_name TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    created_at {{time}} NOT NULL,
    claimed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    claimed_at {{time}}
);
CREATE INDEX guest_passes_occurrence ON guest_passes (session_id, occurrence_start);
