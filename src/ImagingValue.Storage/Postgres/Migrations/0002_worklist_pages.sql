-- The worklist pages in SQL, as SQLite's migration 13: each run's included exams listed with what the worklist filters
-- and sorts them by (exam day: performed, else ordered; department and provider named as OrderingPareto.NameOf names
-- them), written when the run is committed (PostgresScreeningRunWriter), so a page, a count or a filter reads this
-- narrow table through its key. An order re-imported with another date, department or provider after the run keeps
-- its listed values until the next screening run.

CREATE TABLE worklist_exams (
    run_id     bigint NOT NULL REFERENCES screening_runs (run_id),
    exam_day   text COLLATE "C" NOT NULL,
    order_id   text COLLATE "C" NOT NULL,
    department text COLLATE "C" NOT NULL,
    provider   text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, exam_day, order_id)
);

-- The latest run of each protocol, the only one the worklist reads, listed as a new run would be.
INSERT INTO worklist_exams (run_id, exam_day, order_id, department, provider)
SELECT d.run_id,
       substr(COALESCE(o.performed_at, o.ordered_at), 1, 10),
       d.order_id,
       CASE WHEN btrim(COALESCE(o.ordering_department, ''), chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) = '' THEN '(not recorded)'
            ELSE btrim(o.ordering_department, chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) END,
       CASE WHEN btrim(COALESCE(o.ordering_provider, ''), chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) = '' THEN '(not recorded)'
            ELSE btrim(o.ordering_provider, chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) END
FROM screening_decisions d JOIN orders o ON o.row_key = d.order_id
WHERE d.decision = 'included' AND d.run_id IN (SELECT MAX(run_id) FROM screening_runs GROUP BY protocol_id);
