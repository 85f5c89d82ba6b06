-- The group board (A6): posts and replies between meetings, with supportive
-- reactions whose counts are never shown to others.
CREATE TABLE board_posts (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    parent_id BIGINT REFERENCES board_posts(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    held BOOLEAN NOT NULL DEFAULT FALSE,
    screening TEXT NOT NULL DEFAULT '',
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    edited_at {{time}}
);
CREATE INDEX board_posts_group ON board_posts (group_id, parent_id, created_at);

CREATE TABLE board_reactions (
    post_id BIGINT NOT NULL REFERENCES board_posts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);
