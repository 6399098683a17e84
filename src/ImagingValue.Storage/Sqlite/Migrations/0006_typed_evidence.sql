-- Screening evidence is stored typed from this version on (JSON objects with the source, span, concept, qualifiers and
-- code of each item; see ScreeningDecisionRows). Runs stored before hold only the text of each item: they still display,
-- but must not be reused as today's screening, so they lose their fingerprint (as runs made before version 5 have none).
UPDATE screening_runs SET protocol_fingerprint = NULL, data_revision = NULL;
