-- Workspace schema, version 1. Canonical input tables share one shape: row_key (the contract's key),
-- the canonical columns as normalised text, unknown columns as a JSON object, a hash of the row for
-- idempotent re-import, and the import that last wrote the row.

CREATE TABLE imports (
    import_id   INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    rows_staged INTEGER,
    inserted    INTEGER,
    updated     INTEGER,
    unchanged   INTEGER
);

CREATE TABLE orders (
    row_key             TEXT NOT NULL PRIMARY KEY,
    order_id            TEXT NOT NULL,
    patient_id          TEXT NOT NULL,
    accession           TEXT,
    ordered_at          TEXT NOT NULL,
    performed_at        TEXT,
    procedure_code      TEXT,
    procedure_name      TEXT NOT NULL,
    indication          TEXT,
    reason_codes        TEXT,
    ordering_provider   TEXT,
    ordering_department TEXT,
    patient_sex         TEXT,
    patient_birth_date  TEXT,
    status              TEXT NOT NULL,
    extra               TEXT,
    row_hash            INTEGER NOT NULL,
    import_id           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE conditions (
    row_key         TEXT NOT NULL PRIMARY KEY,
    condition_id    TEXT,
    patient_id      TEXT NOT NULL,
    code            TEXT NOT NULL,
    code_system     TEXT NOT NULL,
    description     TEXT,
    onset_date      TEXT,
    recorded_date   TEXT,
    clinical_status TEXT NOT NULL,
    abatement_date  TEXT,
    extra           TEXT,
    row_hash        INTEGER NOT NULL,
    import_id       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE reports (
    row_key      TEXT NOT NULL PRIMARY KEY,
    order_id     TEXT,
    accession    TEXT,
    report_text  TEXT NOT NULL,
    finalized_at TEXT,
    extra        TEXT,
    row_hash     INTEGER NOT NULL,
    import_id    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE reviews (
    row_key            TEXT NOT NULL PRIMARY KEY,
    order_id           TEXT NOT NULL,
    reviewer           TEXT NOT NULL,
    major_finding      TEXT NOT NULL,
    minor_finding      TEXT,
    incidental_finding TEXT,
    finding_notes      TEXT,
    management_change  TEXT,
    review_role        TEXT,
    reviewed_at        TEXT,
    extra              TEXT,
    row_hash           INTEGER NOT NULL,
    import_id          INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE screening_runs (
    run_id      INTEGER PRIMARY KEY,
    protocol_id TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    decisions   INTEGER NOT NULL
);

CREATE TABLE screening_decisions (
    run_id     INTEGER NOT NULL REFERENCES screening_runs (run_id),
    order_id   TEXT NOT NULL,
    decision   TEXT NOT NULL,
    is_target  INTEGER NOT NULL,
    reason     TEXT,
    reasons    TEXT,
    evidence   TEXT,
    PRIMARY KEY (run_id, order_id)
);
