-- Lookups that screening and analysis make by patient and by accession.
CREATE INDEX ix_orders_patient ON orders (patient_id);
CREATE INDEX ix_conditions_patient ON conditions (patient_id);
