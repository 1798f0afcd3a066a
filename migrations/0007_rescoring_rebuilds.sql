-- Up Migration

-- A rebuild is a rescoring job under the version already active: every lead is recomputed from its
-- events (a projection rebuilt from the store), not only those still under an older version.
ALTER TABLE rescoring_jobs ADD COLUMN rebuild boolean NOT NULL DEFAULT false;

INSERT INTO leadscore_schema_version (version, description) VALUES (7, 'rescoring rebuilds');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 7;
ALTER TABLE rescoring_jobs DROP COLUMN rebuild;
