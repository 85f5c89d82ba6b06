-- Referrals (D3): a professional refers a patient, with their recorded
-- consent, to a support group or a service of the directory. The patient's
-- details are sealed; each step of the referral has its own time column.
CREATE TABLE referrals (
    id {{id}},
    referrer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    referrer_org_id BIGINT NOT NULL REFERENCES organisations(id),
    dest_kind TEXT NOT NULL,
    group_id BIGINT REFERENCES support_groups(id) ON DELETE SET NULL,
    service_id TEXT NOT NULL DEFAULT '',
    dest_org_id BIGINT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    name_sealed TEXT NOT NULL DEFAULT '',
    contact_sealed TEXT NOT NULL DEFAULT '',
    email_sealed TEXT NOT NULL DEFAULT '',
    reason_sealed TEXT NOT NULL DEFAULT '',
    invite_lang TEXT NOT NULL,
    consent_method TEXT NOT NULL,
    consent_on {{time}} NOT NULL,
    decline_reason TEXT NOT NULL DEFAULT '',
    code_hash TEXT,
    code_expires_at {{time}},
    patient_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    sent_at {{time}} NOT NULL,
    received_at {{time}},
    accepted_at {{time}},
    declined_at {{time}},
    claimed_at {{time}},
    first_attended_at {{time}},
    closed_at {{time}},
    no_response_at {{time}},
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX referrals_code ON referrals (code_hash);
CREATE INDEX referrals_referrer ON referrals (referrer_id, sent_at);
CREATE INDEX referrals_dest_org ON referrals (dest_org_id, sent_at);
CREATE INDEX referrals_group ON referrals (group_id, sent_at);
CREATE INDEX referrals_patient ON referrals (patient_id);
CREATE INDEX referrals_status ON referrals (status, sent_at);
