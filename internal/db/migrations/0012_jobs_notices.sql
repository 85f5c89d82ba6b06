-- Durable background jobs, and in-app notices for people.
CREATE TABLE jobs (
    id {{id}},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT UNIQUE,
    run_at {{time}} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    locked_until {{time}},
    last_error TEXT NOT NULL DEFAULT '',
    done_at {{time}},
    failed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);

CREATE TABLE notices (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    args TEXT NOT NULL DEFAULT '{}',
    link TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    read_at {{time}}
);
CREATE INDEX notices_user ON notices (user_id, created_at);
