-- Safety (B1, B2): escalations opened by crisis screening, members' reports,
-- moderation actions with appeals, and conflict cases between members. Every
-- free text written about a person is sealed (column names end in _sealed).

-- What happens to a message the screener flags: "crisis" holds crisis-level
-- messages for a person to look at (the default), "all" holds concern too,
-- "none" shows everything. An escalation opens in every case.
ALTER TABLE support_groups ADD COLUMN screen_hold TEXT NOT NULL DEFAULT 'crisis';

-- A few words a member may add to a mood check-in, seen by facilitators.
ALTER TABLE room_moods ADD COLUMN comment_sealed TEXT NOT NULL DEFAULT '';

CREATE TABLE escalations (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL DEFAULT 0,
    level TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    excerpt_sealed TEXT NOT NULL,
    held BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    follow_up_due {{time}} NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX escalations_group ON escalations (group_id, status);
CREATE INDEX escalations_user ON escalations (user_id);

CREATE TABLE escalation_notes (
    id {{id}},
    escalation_id BIGINT NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    body_sealed TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX escalation_notes_escalation ON escalation_notes (escalation_id);

CREATE TABLE reports (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    subject_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    detail_sealed TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    decided_at {{time}},
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX reports_group ON reports (group_id, status);
CREATE INDEX reports_subject ON reports (subject_kind, subject_id, reporter_id);

-- A moderation action on a member: hide (one message or post), warn, mute (in
-- one group, for a time), suspend (everywhere, for a time), ban (everywhere).
CREATE TABLE moderation_actions (
    id {{id}},
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    subject_kind TEXT NOT NULL DEFAULT '',
    subject_id BIGINT NOT NULL DEFAULT 0,
    report_id BIGINT REFERENCES reports(id) ON DELETE SET NULL,
    until_at {{time}},
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    lifted_at {{time}},
    appeal_sealed TEXT NOT NULL DEFAULT '',
    appeal_at {{time}},
    appeal_status TEXT NOT NULL DEFAULT '',
    appeal_decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    appeal_decided_at {{time}}
);
CREATE INDEX moderation_actions_user ON moderation_actions (user_id, kind);
CREATE INDEX moderation_actions_group ON moderation_actions (group_id, appeal_status);

CREATE TABLE conflict_cases (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    opened_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    summary_sealed TEXT NOT NULL,
    agreed_sealed TEXT NOT NULL DEFAULT '',
    outcome_sealed TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    closed_at {{time}}
);
CREATE INDEX conflict_cases_group ON conflict_cases (group_id, status);

CREATE TABLE conflict_parties (
    case_id BIGINT NOT NULL REFERENCES conflict_cases(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES group_members(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, member_id)
);

CREATE TABLE conflict_notes (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES conflict_cases(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body_sealed TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX conflict_notes_case ON conflict_notes (case_id);
