-- Up Migration

-- The score-changed messages of one rescoring batch as ONE row, until Kafka acknowledged them. A
-- batch of 1,000 leads stored as 1,000 scoring_outbox rows cost the database about 30 ms to insert
-- (heap, two indexes, the JSON expanded into rows) and 2.5 ms to delete; as one row of text about
-- 1 to 2 ms and under 1 ms. A live scorer whose leads a left-over row covers (the runner crashed
-- between the commit and the publish) unpacks it into scoring_outbox rows first, so the per-lead
-- order of the outbox holds (services/scoring/src/rescoring/rescoring-outbox.ts).
CREATE TABLE rescoring_outbox (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The batch's lead range, first and last in lead_id order: which leads a row may hold.
  first_lead_id text        NOT NULL,
  last_lead_id  text        NOT NULL,
  -- A JSON array of {"lead_id", "topic", "key", "value"}, as the scorer wrote it. Text, not json:
  -- nothing reads inside it but the unpacking, and checking 1 MB of JSON on every insert cost
  -- more than the rest of the insert.
  messages      text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Out of line and not compressed: written once, read whole at most once.
ALTER TABLE rescoring_outbox ALTER COLUMN messages SET STORAGE EXTERNAL;

INSERT INTO leadscore_schema_version (version, description) VALUES (9, 'rescoring outbox');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 9;
DROP TABLE rescoring_outbox;
