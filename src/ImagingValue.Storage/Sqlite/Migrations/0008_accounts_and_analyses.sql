-- Issues 13 and 14: accounts an admin can disable, a security stamp that ends an account's sessions when it changes
-- (password reset, role change, disabling, sign-out), and the options of each analysis, so the review pages open on
-- the latest analysis period and the dashboard shows the figures the report printed.
-- Numbered 0008: 0007 belongs to another branch. The migrator applies the scripts it has in order, so the gap is harmless.

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
UPDATE users SET security_stamp = lower(hex(randomblob(16)));

CREATE TABLE analyses (
    analysis_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    protocol_id     TEXT NOT NULL,
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    intervention    TEXT,
    follow_up_from  TEXT,
    follow_up_to    TEXT,
    charge_per_exam TEXT,
    recorded_at     TEXT NOT NULL
);

CREATE INDEX analyses_protocol ON analyses (protocol_id, analysis_id);
