-- Availability polls (A3): a facilitator proposes times, members answer yes,
-- if need be, or no, and the chosen time becomes a meeting.
CREATE TABLE polls (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
    session_id BIGINT REFERENCES group_sessions(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX polls_group ON polls (group_id, closed);

CREATE TABLE poll_options (
    id {{id}},
    poll_id BIGINT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    starts_at {{time}} NOT NULL,
    UNIQUE (poll_id, starts_at)
);

CREATE TABLE poll_answers (
    option_id BIGINT NOT NULL REFERENCES poll_options(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    PRIMARY KEY (option_id, user_id)
);
