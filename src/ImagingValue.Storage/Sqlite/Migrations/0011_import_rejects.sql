-- Each import keeps how many rows of its file were rejected, so analyze and report on the workspace can state it as
-- audit does for its own input. Null for imports made before this column existed (not known).
ALTER TABLE imports ADD COLUMN rows_rejected INTEGER;
