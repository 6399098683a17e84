-- Point-of-order alerts (CDS Hooks): every rated target order, the card outcomes the EHR reported, and the latest
-- audit figures per protocol that the card cites as local evidence.
CREATE TABLE cds_alerts (
    consult_id      TEXT NOT NULL PRIMARY KEY,
    received_at     TEXT NOT NULL,
    service_id      TEXT NOT NULL,
    protocol_id     TEXT NOT NULL,
    hook            TEXT NOT NULL,
    hook_instance   TEXT NOT NULL,
    jti             TEXT,
    order_reference TEXT NOT NULL,
    rating          TEXT NOT NULL,
    card_uuid       TEXT,
    provider        TEXT,
    department      TEXT
);
CREATE INDEX cds_alerts_card ON cds_alerts (card_uuid);

-- One row per card, outcome and outcome time: EHRs retry feedback, a repeat is stored once.
CREATE TABLE cds_feedback (
    feedback_id          INTEGER PRIMARY KEY,
    service_id           TEXT NOT NULL,
    card_uuid            TEXT NOT NULL,
    outcome              TEXT NOT NULL,
    outcome_at           TEXT NOT NULL,
    accepted_suggestions TEXT,
    reason_system        TEXT,
    reason_code          TEXT,
    user_comment         TEXT,
    received_at          TEXT NOT NULL,
    UNIQUE (service_id, card_uuid, outcome, outcome_at)
);

-- Each audit's headline; the service cites the newest per protocol.
CREATE TABLE local_evidence (
    evidence_id        INTEGER PRIMARY KEY,
    protocol_id        TEXT NOT NULL,
    period_from        TEXT NOT NULL,
    period_to          TEXT NOT NULL,
    reviewed           INTEGER NOT NULL,
    major_findings     INTEGER NOT NULL,
    major_ci95_low     REAL NOT NULL,
    major_ci95_high    REAL NOT NULL,
    management_major   INTEGER NOT NULL,
    management_minor   INTEGER NOT NULL,
    charge_per_exam    REAL NOT NULL,
    recorded_at        TEXT NOT NULL
);
