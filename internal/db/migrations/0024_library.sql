-- Resource library (D4): articles, guides, webinars and links that an
-- organisation's coordinators write in Markdown, a colleague reviews, and
-- anyone may read once published. Its full-text index is migration 0028.
CREATE TABLE library_resources (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewer_name TEXT NOT NULL DEFAULT '',
    reviewed_at {{time}},
    submitted_at {{time}},
    published_at {{time}},
    search_terms TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX library_resources_public ON library_resources (state, published_at, id);
CREATE INDEX library_resources_org ON library_resources (org_id, state, updated_at);

-- Everyone who wrote or edited a resource: none of them may approve it.
CREATE TABLE library_contributors (
    resource_id BIGINT NOT NULL REFERENCES library_resources(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, user_id)
);
CREATE INDEX library_contributors_user ON library_contributors (user_id);

-- Review decisions: approved, or returned to draft with a note.
CREATE TABLE library_reviews (
    id {{id}},
    resource_id BIGINT NOT NULL REFERENCES library_resources(id) ON DELETE CASCADE,
    reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX library_reviews_resource ON library_reviews (resource_id, id);
CREATE INDEX library_reviews_reviewer ON library_reviews (reviewer_id);
