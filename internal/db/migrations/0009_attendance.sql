-- Attendance, check-in codes, facilitators' private notes (sealed) and
-- feedback after each meeting (A5).
CREATE TABLE session_attendance (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    present BOOLEAN NOT NULL,
    method TEXT NOT NULL,
    marked_at {{time}} NOT NULL,
    UNIQUE (session_id, occurrence_start, user_id)
);
CREATE INDEX session_attendance_user ON session_attendance (user_id);

CREATE TABLE session_checkins (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    code TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, occurrence_start)
);

CREATE TABLE session_notes (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body_sealed TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX session_notes_occurrence ON session_notes (session_id, occurrence_start);

CREATE TABLE session_feedback (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    helpful INTEGER NOT NULL,
    safe INTEGER NOT NULL,
    comment_sealed TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    UNIQUE (session_id, occurrence_start, user_id)
);
