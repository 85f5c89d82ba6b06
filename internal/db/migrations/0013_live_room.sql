-- Live rooms of online meetings (A4): the room's state, facilitators' mutes and
-- removals, chat messages kept only until their retention ends, and moods at
-- check-in and check-out.
CREATE TABLE room_state (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    slow_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, occurrence_start)
);

CREATE TABLE room_sanctions (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    until_at {{time}},
    created_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, occurrence_start, user_id, kind)
);

CREATE TABLE chat_messages (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    display_name TEXT NOT NULL,
    body TEXT NOT NULL,
    held BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    expires_at {{time}} NOT NULL
);
CREATE INDEX chat_messages_room ON chat_messages (session_id, occurrence_start, id);
CREATE INDEX chat_messages_expiry ON chat_messages (expires_at);

CREATE TABLE room_moods (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    score INTEGER NOT NULL,
    created_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, occurrence_start, user_id, phase)
);
