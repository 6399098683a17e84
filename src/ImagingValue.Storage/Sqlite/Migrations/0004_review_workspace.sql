-- The review workspace (issue 6): accounts, who saved each browser review, and the append-only audit trail.
-- A browser review IS a row of `reviews` (key order_id|reviewer, like a CSV-imported one), written with import_id 0
-- and row_hash 0, so `analyze` and `audit` read browser and imported reviews alike. See docs/adr/adr-2611-review-workspace.md.

CREATE TABLE users (
    name            TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'adjudicator', 'viewer')),
    password_hash   TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);

-- Who last saved a review in the browser, when, and the finding concepts ticked (category:concept;...).
CREATE TABLE review_saves (
    row_key          TEXT NOT NULL PRIMARY KEY,
    order_id         TEXT NOT NULL,
    reviewer         TEXT NOT NULL,
    saved_by         TEXT NOT NULL,
    saved_at         TEXT NOT NULL,
    finding_concepts TEXT
);

-- Every change of every review field, by anyone: nothing is deleted, only superseded. The largest audit_id of a
-- review's row_key is its revision, the optimistic-concurrency token of the review form.
CREATE TABLE review_audit (
    audit_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    row_key    TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    reviewer   TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    at         TEXT NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);

CREATE INDEX review_audit_order ON review_audit (order_id, audit_id);
CREATE INDEX review_audit_key ON review_audit (row_key, audit_id);
CREATE INDEX reviews_order ON reviews (order_id);

CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit
BEGIN
    SELECT RAISE(ABORT, 'the review audit trail is append-only');
END;

CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit
BEGIN
    SELECT RAISE(ABORT, 'the review audit trail is append-only');
END;

-- Reviews imported before this version enter the trail as they are.
INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'major_finding', NULL, r.major_finding FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.major_finding IS NOT NULL
UNION ALL
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'minor_finding', NULL, r.minor_finding FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.minor_finding IS NOT NULL
UNION ALL
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'incidental_finding', NULL, r.incidental_finding FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.incidental_finding IS NOT NULL
UNION ALL
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'finding_notes', NULL, r.finding_notes FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.finding_notes IS NOT NULL
UNION ALL
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'management_change', NULL, r.management_change FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.management_change IS NOT NULL
UNION ALL
SELECT r.row_key, r.order_id, r.reviewer, 'import ' || r.import_id, COALESCE(i.started_at, ''), 'review_role', NULL, r.review_role FROM reviews r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.review_role IS NOT NULL
ORDER BY 1;

CREATE TRIGGER reviews_audit_insert AFTER INSERT ON reviews
BEGIN
    INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'major_finding', NULL, new.major_finding WHERE new.major_finding IS NOT NULL
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'minor_finding', NULL, new.minor_finding WHERE new.minor_finding IS NOT NULL
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'incidental_finding', NULL, new.incidental_finding WHERE new.incidental_finding IS NOT NULL
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'finding_notes', NULL, new.finding_notes WHERE new.finding_notes IS NOT NULL
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'management_change', NULL, new.management_change WHERE new.management_change IS NOT NULL
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'review_role', NULL, new.review_role WHERE new.review_role IS NOT NULL;
END;

CREATE TRIGGER reviews_audit_update AFTER UPDATE ON reviews
BEGIN
    INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'major_finding', old.major_finding, new.major_finding WHERE old.major_finding IS NOT new.major_finding
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'minor_finding', old.minor_finding, new.minor_finding WHERE old.minor_finding IS NOT new.minor_finding
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'incidental_finding', old.incidental_finding, new.incidental_finding WHERE old.incidental_finding IS NOT new.incidental_finding
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'finding_notes', old.finding_notes, new.finding_notes WHERE old.finding_notes IS NOT new.finding_notes
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'management_change', old.management_change, new.management_change WHERE old.management_change IS NOT new.management_change
    UNION ALL
    SELECT new.row_key, new.order_id, new.reviewer, COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_by FROM review_saves WHERE row_key = new.row_key) ELSE 'import ' || new.import_id END, 'unknown'), COALESCE(CASE WHEN new.import_id = 0 THEN (SELECT saved_at FROM review_saves WHERE row_key = new.row_key) ELSE (SELECT started_at FROM imports WHERE import_id = new.import_id) END, ''), 'review_role', old.review_role, new.review_role WHERE old.review_role IS NOT new.review_role;
END;

-- Only an import that puts back a key it found twice deletes a review row (and re-inserts its previous image).
CREATE TRIGGER reviews_audit_delete AFTER DELETE ON reviews
BEGIN
    INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'major_finding', old.major_finding, NULL WHERE old.major_finding IS NOT NULL
    UNION ALL
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'minor_finding', old.minor_finding, NULL WHERE old.minor_finding IS NOT NULL
    UNION ALL
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'incidental_finding', old.incidental_finding, NULL WHERE old.incidental_finding IS NOT NULL
    UNION ALL
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'finding_notes', old.finding_notes, NULL WHERE old.finding_notes IS NOT NULL
    UNION ALL
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'management_change', old.management_change, NULL WHERE old.management_change IS NOT NULL
    UNION ALL
    SELECT old.row_key, old.order_id, old.reviewer, COALESCE('import ' || (SELECT MAX(import_id) FROM imports), 'unknown'), COALESCE((SELECT started_at FROM imports ORDER BY import_id DESC LIMIT 1), ''), 'review_role', old.review_role, NULL WHERE old.review_role IS NOT NULL;
END;

CREATE TRIGGER review_saves_audit_insert AFTER INSERT ON review_saves WHEN new.finding_concepts IS NOT NULL
BEGIN
    INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
    VALUES (new.row_key, new.order_id, new.reviewer, new.saved_by, new.saved_at, 'finding_concepts', NULL, new.finding_concepts);
END;

CREATE TRIGGER review_saves_audit_update AFTER UPDATE ON review_saves WHEN old.finding_concepts IS NOT new.finding_concepts
BEGIN
    INSERT INTO review_audit (row_key, order_id, reviewer, changed_by, at, field, old_value, new_value)
    VALUES (new.row_key, new.order_id, new.reviewer, new.saved_by, new.saved_at, 'finding_concepts', old.finding_concepts, new.finding_concepts);
END;
