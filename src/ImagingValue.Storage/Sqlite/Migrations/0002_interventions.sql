-- Interventions (education, alert, policy) recorded by the QI team, so monitoring can split the series at them.
CREATE TABLE interventions (
    intervention_id INTEGER PRIMARY KEY,
    protocol_id     TEXT,
    date            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    departments     TEXT,
    note            TEXT,
    recorded_at     TEXT NOT NULL
);
