-- Mentoring (A8): mentors' profiles, members' requests, proposed and active
-- pairs with why they were proposed, and the mentor's check-ins (sealed).
CREATE TABLE mentor_profiles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    languages TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    online BOOLEAN NOT NULL DEFAULT TRUE,
    in_person BOOLEAN NOT NULL DEFAULT FALSE,
    region TEXT NOT NULL DEFAULT '',
    areas TEXT NOT NULL DEFAULT '',
    availability TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at {{time}} NOT NULL,
    PRIMARY KEY (user_id, org_id)
);

CREATE TABLE mentor_requests (
    id {{id}},
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    language TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    note_sealed TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX mentor_requests_org ON mentor_requests (org_id, status);
CREATE INDEX mentor_requests_user ON mentor_requests (user_id);

CREATE TABLE mentor_pairs (
    id {{id}},
    request_id BIGINT NOT NULL REFERENCES mentor_requests(id) ON DELETE CASCADE,
    mentor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    mentor_accepted_at {{time}},
    member_accepted_at {{time}},
    started_at {{time}},
    ended_at {{time}},
    end_reason TEXT NOT NULL DEFAULT '',
    mentor_feedback_sealed TEXT NOT NULL DEFAULT '',
    member_feedback_sealed TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX mentor_pairs_mentor ON mentor_pairs (mentor_id, status);
CREATE INDEX mentor_pairs_request ON mentor_pairs (request_id);

CREATE TABLE mentor_checkins (
    id {{id}},
    pair_id BIGINT NOT NULL REFERENCES mentor_pairs(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body_sealed TEXT NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL
);
CREATE INDEX mentor_checkins_pair ON mentor_checkins (pair_id);
