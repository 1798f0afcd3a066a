-- Up Migration

-- One row per applied leadscore migration. node-pg-migrate's own pgmigrations table records
-- file names; this one gives the application a number to check: a service refuses to start
-- against a database whose schema is older than the migrations it ships with.
CREATE TABLE leadscore_schema_version (
  version     integer     PRIMARY KEY CHECK (version > 0),
  description text        NOT NULL CHECK (description <> ''),
  applied_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE leadscore_schema_version IS
  'Application schema version: max(version) is the highest leadscore migration applied.';

INSERT INTO leadscore_schema_version (version, description) VALUES (1, 'schema version table');

-- Down Migration

DROP TABLE leadscore_schema_version;
