-- The worklist pages in SQL (issue 16). Each run's included exams are listed with what the worklist filters and sorts
-- them by (exam day: performed, else ordered; department and provider named as OrderingPareto.NameOf names them),
-- written when the run is committed (SqliteScreeningRunWriter), so a page, a count or a filter reads this narrow table
-- through its key instead of joining every included decision to its order. An order re-imported with another date,
-- department or provider after the run keeps its listed values until the next screening run.

CREATE TABLE worklist_exams (
    run_id     INTEGER NOT NULL REFERENCES screening_runs (run_id),
    exam_day   TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    department TEXT NOT NULL,
    provider   TEXT NOT NULL,
    PRIMARY KEY (run_id, exam_day, order_id)
) WITHOUT ROWID;

-- The latest run of each protocol, the only one the worklist reads, listed as a new run would be.
INSERT INTO worklist_exams (run_id, exam_day, order_id, department, provider)
SELECT d.run_id,
       substr(COALESCE(o.performed_at, o.ordered_at), 1, 10),
       d.order_id,
       CASE WHEN TRIM(COALESCE(o.ordering_department, ''), char(32, 9, 10, 11, 12, 13)) = '' THEN '(not recorded)'
            ELSE TRIM(o.ordering_department, char(32, 9, 10, 11, 12, 13)) END,
       CASE WHEN TRIM(COALESCE(o.ordering_provider, ''), char(32, 9, 10, 11, 12, 13)) = '' THEN '(not recorded)'
            ELSE TRIM(o.ordering_provider, char(32, 9, 10, 11, 12, 13)) END
FROM screening_decisions d JOIN orders o ON o.row_key = d.order_id
WHERE d.decision = 'included' AND d.run_id IN (SELECT MAX(run_id) FROM screening_runs GROUP BY protocol_id);
