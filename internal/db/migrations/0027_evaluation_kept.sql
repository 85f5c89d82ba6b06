-- Dashboard figures kept for every instance (C4): computing a whole
-- network's dashboard takes seconds, so figures computed on demand are kept
-- for a few minutes, and a job works out the network's standard views ahead
-- (internal/evaluation/kept.go). scope_key names the scope and period (ids,
-- a topic, dates); body is the JSON of the aggregate figures, never a
-- person's data. fresh_until is when the figures stop being shown.
CREATE TABLE evaluation_kept (
    scope_key TEXT PRIMARY KEY,
    computed_at {{time}} NOT NULL,
    fresh_until {{time}} NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX evaluation_kept_fresh ON evaluation_kept (fresh_until);
