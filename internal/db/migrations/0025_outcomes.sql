-- Outcomes and evaluation (C1-C6): custom surveys, measurement plans, the
-- questionnaires due to each member, responses, feedback rounds, optional
-- facts for research (generalised on export) and sponsor reports.
--
-- The validated instruments (PHQ-9, GAD-7, WHO-5, K10, UCLA-3, OSSS-3) are
-- defined in code (internal/outcomes); a step or response names one by its
-- code in `instrument`, or names a custom survey by `survey_id` (then
-- `instrument` is '').
--
-- Item answers and any free text are sealed (answers_sealed, bound to the
-- response id). Totals and bands stay in clear so that dashboards can
-- aggregate them in SQL; the account behind them is pseudonymous, and
-- exports replace it with a per-export pseudonym.

CREATE TABLE outcome_surveys (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    scored BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    archived_at {{time}}
);
CREATE INDEX outcome_surveys_org ON outcome_surveys (org_id, archived_at);

-- kind: single | multiple | scale | text. choices (single, multiple): JSON
-- [{"label":"...","score":N}]; scale: scale_min..scale_max with optional end
-- labels in choices. prompt in the survey's writer's words (either language).
CREATE TABLE outcome_survey_questions (
    id {{id}},
    survey_id BIGINT NOT NULL REFERENCES outcome_surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    choices TEXT NOT NULL DEFAULT '',
    scale_min INTEGER,
    scale_max INTEGER,
    required BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX outcome_survey_questions_survey ON outcome_survey_questions (survey_id, position);

-- A measurement plan belongs to an organisation and applies to one group or
-- to a programme of several (outcome_plan_groups).
CREATE TABLE outcome_plans (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX outcome_plans_org ON outcome_plans (org_id);

CREATE TABLE outcome_plan_groups (
    plan_id BIGINT NOT NULL REFERENCES outcome_plans(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, group_id)
);
CREATE INDEX outcome_plan_groups_group ON outcome_plan_groups (group_id);

-- timepoint: baseline (on joining) | followup (after_weeks weeks or
-- after_sessions sessions attended since baseline) | leaving.
CREATE TABLE outcome_plan_steps (
    id {{id}},
    plan_id BIGINT NOT NULL REFERENCES outcome_plans(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL DEFAULT '',
    survey_id BIGINT REFERENCES outcome_surveys(id) ON DELETE CASCADE,
    timepoint TEXT NOT NULL,
    after_weeks INTEGER,
    after_sessions INTEGER,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outcome_plan_steps_plan ON outcome_plan_steps (plan_id, position);

-- Feedback rounds a coordinator opens for a group or for a plan's groups.
CREATE TABLE outcome_feedback_rounds (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES support_groups(id) ON DELETE CASCADE,
    plan_id BIGINT REFERENCES outcome_plans(id) ON DELETE CASCADE,
    survey_id BIGINT NOT NULL REFERENCES outcome_surveys(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    opens_at {{time}} NOT NULL,
    closes_at {{time}} NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX outcome_feedback_rounds_org ON outcome_feedback_rounds (org_id, closes_at);

-- What is due to whom: a plan step for a member of a group, or a feedback
-- round. Reminders come from the job queue. A step is due once per person
-- and group, a round once per person (whichever of the round's groups they
-- are in): partial unique indexes, because a plain UNIQUE over the nullable
-- step_id and round_id would never match (NULLs are distinct in both engines).
CREATE TABLE outcome_due (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    step_id BIGINT REFERENCES outcome_plan_steps(id) ON DELETE CASCADE,
    round_id BIGINT REFERENCES outcome_feedback_rounds(id) ON DELETE CASCADE,
    due_at {{time}} NOT NULL,
    reminded_at {{time}},
    reminders INTEGER NOT NULL DEFAULT 0,
    done_at {{time}},
    skipped_at {{time}},
    response_id BIGINT,
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX outcome_due_step ON outcome_due (user_id, group_id, step_id) WHERE step_id IS NOT NULL;
CREATE UNIQUE INDEX outcome_due_round ON outcome_due (user_id, round_id) WHERE round_id IS NOT NULL;
CREATE INDEX outcome_due_user ON outcome_due (user_id, done_at, due_at);
CREATE INDEX outcome_due_pending ON outcome_due (due_at, done_at, skipped_at);

-- timepoint: baseline | followup | leaving | feedback | adhoc. total and
-- band as the instrument scores them (WHO-5: the percentage); for custom
-- surveys total is NULL unless the survey is scored. baseline_id: for a
-- follow-up or leaving response, the baseline response of the same person,
-- instrument and group it is compared with.
CREATE TABLE outcome_responses (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES support_groups(id) ON DELETE SET NULL,
    instrument TEXT NOT NULL DEFAULT '',
    survey_id BIGINT REFERENCES outcome_surveys(id) ON DELETE CASCADE,
    step_id BIGINT REFERENCES outcome_plan_steps(id) ON DELETE SET NULL,
    round_id BIGINT REFERENCES outcome_feedback_rounds(id) ON DELETE SET NULL,
    timepoint TEXT NOT NULL,
    language TEXT NOT NULL,
    total DOUBLE PRECISION,
    band TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '',
    answers_sealed TEXT NOT NULL,
    baseline_id BIGINT REFERENCES outcome_responses(id) ON DELETE SET NULL,
    completed_at {{time}} NOT NULL
);
CREATE INDEX outcome_responses_user ON outcome_responses (user_id, instrument, completed_at);
CREATE INDEX outcome_responses_org ON outcome_responses (org_id, instrument, timepoint, completed_at);
CREATE INDEX outcome_responses_group ON outcome_responses (group_id, instrument, completed_at);
CREATE INDEX outcome_responses_baseline ON outcome_responses (baseline_id);

-- Optional facts a member may give for research, generalised on export
-- (age band from birth_year, region, gender) so that every combination
-- covers at least five people.
CREATE TABLE outcome_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    birth_year INTEGER,
    gender TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    updated_at {{time}} NOT NULL
);

-- A sponsor or partner report: the period and groups it covers and the
-- coordinator's narrative; the figures are computed when it is shown.
CREATE TABLE outcome_reports (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    period_from {{time}} NOT NULL,
    period_to {{time}} NOT NULL,
    group_ids TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX outcome_reports_org ON outcome_reports (org_id, created_at);
