-- Up Migration

-- The live scorer stores a batch's score-changed messages as ONE row too, as rescoring batches have
-- since 0009: a row per message cost the database a heap row, two index entries and a delete each
-- (bench:scoring at 2,000 events/s, alternated: the scorer's backends 48 and 46 us per event
-- before, 45 and 40 after). The table is named for what it now holds: batches of messages waiting
-- for the bus, of either kind.
--
-- A rescoring batch's row names its leads by their range (first_lead_id to last_lead_id, lead_ids
-- NULL); a live batch's leads are scattered over the whole id space, so its row also names them
-- exactly (lead_ids), and only a batch of one of those leads unpacks it. One identity for both
-- kinds: a lead's rows are inserted under its lead_scores row lock, so their ids follow the order
-- in which its messages were made, whatever the kind.
ALTER TABLE rescoring_outbox RENAME TO outbox_batches;
ALTER INDEX rescoring_outbox_pkey RENAME TO outbox_batches_pkey;
ALTER SEQUENCE rescoring_outbox_id_seq RENAME TO outbox_batches_id_seq;
ALTER TABLE outbox_batches ADD COLUMN lead_ids text[];

INSERT INTO leadscore_schema_version (version, description) VALUES (10, 'outbox batches');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 10;
-- Live batches' messages go back to one scoring_outbox row each, in their order.
INSERT INTO scoring_outbox (lead_id, topic, key, value)
SELECT r.lead_id, r.topic, r.key, r.value
  FROM outbox_batches AS b,
       ROWS FROM (json_to_recordset(b.messages::json) AS (lead_id text, topic text, key text, value json))
       WITH ORDINALITY AS r(lead_id, topic, key, value, n)
 WHERE b.lead_ids IS NOT NULL
 ORDER BY b.id, r.n;
DELETE FROM outbox_batches WHERE lead_ids IS NOT NULL;
ALTER TABLE outbox_batches DROP COLUMN lead_ids;
ALTER SEQUENCE outbox_batches_id_seq RENAME TO rescoring_outbox_id_seq;
ALTER INDEX outbox_batches_pkey RENAME TO rescoring_outbox_pkey;
ALTER TABLE outbox_batches RENAME TO rescoring_outbox;
