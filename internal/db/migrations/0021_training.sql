-- Facilitator and mentor training (A7): modules with a short quiz, attempts,
-- certifications with expiry (and a coordinator's sign-off where the
-- organisation asks for one), and a supervision log.
ALTER TABLE organisations ADD COLUMN cert_signoff BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organisations ADD COLUMN cert_days INTEGER NOT NULL DEFAULT 365;

CREATE TABLE training_modules (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    video_url TEXT NOT NULL DEFAULT '',
    pass_mark INTEGER NOT NULL,
    required BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX training_modules_org ON training_modules (org_id, position);

CREATE TABLE training_questions (
    id {{id}},
    module_id BIGINT NOT NULL REFERENCES training_modules(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    choices TEXT NOT NULL,
    correct INTEGER NOT NULL
);
CREATE INDEX training_questions_module ON training_questions (module_id, position);

CREATE TABLE training_attempts (
    id {{id}},
    module_id BIGINT NOT NULL REFERENCES training_modules(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX training_attempts_user ON training_attempts (user_id, module_id);

CREATE TABLE certifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    granted_at {{time}},
    expires_at {{time}},
    signed_off_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reminded_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX certifications_user ON certifications (user_id, org_id, id);

CREATE TABLE supervision_log (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    supervisor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    person_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    held_on {{time}} NOT NULL,
    notes_sealed TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX supervision_log_org ON supervision_log (org_id, held_on);
