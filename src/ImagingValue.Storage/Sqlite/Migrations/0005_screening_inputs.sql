-- A screening run records what it was made from, so a later analysis can reuse it instead of screening again:
-- the protocol's fingerprint (a hash of its file and rule texts) and the workspace's screening-input revision (the
-- newest import that changed orders or conditions). Runs made before this version have neither and are never reused.
ALTER TABLE screening_runs ADD COLUMN protocol_fingerprint TEXT;
ALTER TABLE screening_runs ADD COLUMN data_revision INTEGER;
