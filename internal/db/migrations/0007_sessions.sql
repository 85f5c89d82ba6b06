-- Group sessions (A3): one-off or recurring (an RFC 5545 RRULE in the group's
-- time zone), changes to single occurrences, and who is coming to which one.
CREATE TABLE group_sessions (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    starts_at {{time}} NOT NULL,
    minutes INTEGER NOT NULL,
    timezone TEXT NOT NULL,
    rrule TEXT NOT NULL DEFAULT '',
    weekdays INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    ends_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX group_sessions_group ON group_sessions (group_id, starts_at);

CREATE TABLE session_changes (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    original_start {{time}} NOT NULL,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    new_start {{time}},
    reason TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    UNIQUE (session_id, original_start)
);

CREATE TABLE session_rsvps (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{time}} NOT NULL,
    UNIQUE (session_id, occurrence_start, user_id)
);
CREATE INDEX session_rsvps_user ON session_rsvps (user_id);

CREATE TABLE calendar_tokens (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{time}} NOT NULL
);
