-- Evidence that many decisions of a run share, stored once per run (issue 17): a not-target decision's evidence is its
-- procedure's exam match, the same text for every order of that procedure, and a run holds one such row per order
-- (about 150 bytes each, two thirds of a million-order run). Such a decision keeps evidence NULL and names its row
-- here by evidence_id; every other decision, and every row written before this migration, keeps its evidence inline.
CREATE TABLE screening_evidence (
    run_id      INTEGER NOT NULL REFERENCES screening_runs (run_id),
    evidence_id INTEGER NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (run_id, evidence_id)
) WITHOUT ROWID;

ALTER TABLE screening_decisions ADD COLUMN evidence_id INTEGER;
