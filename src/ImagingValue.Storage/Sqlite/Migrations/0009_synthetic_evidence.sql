-- Local evidence from synthetic data (demo, synth) says so on the card, as every other output does.
ALTER TABLE local_evidence ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;
