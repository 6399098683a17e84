-- The order each point-of-order alert is about, so monitor counts orders, not calls: every edit of a draft fires
-- order-select again with a new hookInstance. patient_id and encounter_id come from the hook's context; the draft
-- ServiceRequest's id is order_reference. Rows kept before this migration have NULLs and count as one order each.
ALTER TABLE cds_alerts ADD COLUMN patient_id TEXT;
ALTER TABLE cds_alerts ADD COLUMN encounter_id TEXT;
-- 0 when the draft order had no id (order_reference is then its position in the call, not an id).
ALTER TABLE cds_alerts ADD COLUMN order_identified INTEGER NOT NULL DEFAULT 1;
CREATE INDEX cds_alerts_order ON cds_alerts (protocol_id, patient_id, encounter_id, order_reference);
