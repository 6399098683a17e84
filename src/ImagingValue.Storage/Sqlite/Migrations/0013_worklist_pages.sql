-- The worklist pages in SQL (issue 16): the included exams of a run are found through this index, without reading
-- every decision row of the run (each carries its evidence as JSON).
CREATE INDEX screening_decisions_included ON screening_decisions (run_id, decision, order_id);
