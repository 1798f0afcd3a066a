-- Up Migration

-- Each stream's earliest occurrence: the smallest occurred_at of its events, whatever order they
-- were appended in. A lead enters the funnel when its first event occurred, and a backfill (events
-- that occurred before the lead's first appended one, sent later) moves that moment back. The append
-- statement keeps it (least of the stored value and the batch's earliest new event), so the funnel
-- reads the leads that entered in a period by one range scan here instead of aggregating their events.
-- Adding the column and filling it reads every event once and rewrites every stream row under an
-- exclusive lock on eventstore.streams: appends wait until it ends. Builds before this one do not
-- write the column, so their appends fail against this schema until they are replaced (their
-- consumers retry, nothing is lost): stop ingest, projector and api, migrate (`pnpm migrate`), then
-- start this build.
ALTER TABLE eventstore.streams ADD COLUMN first_occurred_at timestamptz;

UPDATE eventstore.streams AS stream
   SET first_occurred_at = earliest.occurred_at
  FROM (SELECT stream_id, min(occurred_at) AS occurred_at FROM eventstore.messages GROUP BY stream_id) AS earliest
 WHERE earliest.stream_id = stream.stream_id;

-- Every append writes a stream row together with its events, so no stream is left without an
-- occurrence; a row written by hand without events takes its creation time rather than failing here.
UPDATE eventstore.streams SET first_occurred_at = created_at WHERE first_occurred_at IS NULL;

ALTER TABLE eventstore.streams ALTER COLUMN first_occurred_at SET NOT NULL;

-- The funnel's leads entering in a period. The column only changes when a backfill moves it back,
-- so appends of ordinary events leave this index alone and still update their stream row in place.
CREATE INDEX streams_first_occurred_at ON eventstore.streams (first_occurred_at);

-- Replaced by the index above: it dated a lead by its first appended event, not its earliest one.
DROP INDEX eventstore.messages_first_event_time;

INSERT INTO leadscore_schema_version (version, description) VALUES (10, 'stream first occurrence');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 10;
CREATE INDEX messages_first_event_time ON eventstore.messages (occurred_at) WHERE stream_position = 1;
DROP INDEX eventstore.streams_first_occurred_at;
ALTER TABLE eventstore.streams DROP COLUMN first_occurred_at;
