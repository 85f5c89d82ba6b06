-- Peer support groups (A1) and their members under a per-group pseudonym (A2).
CREATE TABLE support_groups (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    language TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,
    open BOOLEAN NOT NULL DEFAULT TRUE,
    listed BOOLEAN NOT NULL DEFAULT TRUE,
    capacity INTEGER NOT NULL DEFAULT 12,
    place TEXT NOT NULL DEFAULT '',
    house_rules TEXT NOT NULL DEFAULT '',
    search_terms TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX support_groups_filters ON support_groups (listed, topic, language, mode);
CREATE INDEX support_groups_org ON support_groups (org_id);

CREATE TABLE group_members (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    request_message TEXT NOT NULL DEFAULT '',
    decision_message TEXT NOT NULL DEFAULT '',
    rules_accepted_at {{time}},
    joined_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (group_id, user_id)
);
CREATE UNIQUE INDEX group_members_pseudonym ON group_members (group_id, lower(display_name));
CREATE INDEX group_members_user ON group_members (user_id, status);
