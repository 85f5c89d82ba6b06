-- Who is in a live room now (A4), shared by every instance: a row per person
-- with their open connections, refreshed by a heartbeat; rows not refreshed
-- for a while count as gone (an instance may stop without saying goodbye).
CREATE TABLE room_presence (
    session_id BIGINT NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    occurrence_start {{time}} NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connections INTEGER NOT NULL DEFAULT 0,
    seen_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, occurrence_start, user_id)
);
