-- Up Migration

-- Documents only the services read back whole are stored as json (the text as written), not
-- jsonb. jsonb parses every number into numeric on the way in and prints it back on the way out:
-- for a lead's state (a few dozen floats) that was most of what writing and reading a row cost
-- the database (a batch of 1,000 rescored leads: 68 ms to expand as jsonb, 22 ms as json). No
-- statement looks inside these documents, and json keeps them exactly as JSON.stringify wrote them.
-- The ALTERs rewrite both tables under an exclusive lock: scoring and lead reads wait until they end
-- (about 20 s per million leads here), so on a large database apply it with `pnpm migrate` at a quiet time.
ALTER TABLE lead_scores ALTER COLUMN state TYPE json USING state::json;
ALTER TABLE scoring_outbox ALTER COLUMN value TYPE json USING value::json;

INSERT INTO leadscore_schema_version (version, description) VALUES (8, 'json documents');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 8;
ALTER TABLE scoring_outbox ALTER COLUMN value TYPE jsonb USING value::jsonb;
ALTER TABLE lead_scores ALTER COLUMN state TYPE jsonb USING state::jsonb;
