-- Up Migration

-- The event store: one stream per aggregate (a lead is `lead-<id>`), every event once (by id),
-- and a global log that readers tail gap-safely by (transaction_id, global_position).
CREATE SCHEMA IF NOT EXISTS eventstore;

CREATE TABLE eventstore.streams (
  stream_id  text PRIMARY KEY,
  -- stream position of the stream's last event; positions start at 1 and have no holes
  version    bigint NOT NULL CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE eventstore.messages (
  stream_id       text NOT NULL,
  stream_position bigint NOT NULL CHECK (stream_position >= 1),
  -- assigned in insert order; commit order can differ, hence transaction_id for readers
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        text NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_position),
  CONSTRAINT messages_event_id_unique UNIQUE (event_id)
);

-- The global read: WHERE (transaction_id, global_position) > checkpoint ORDER BY the same pair.
-- Unique because global positions are; it is also the only index on global_position, as every
-- index costs the append path (three per row in all).
CREATE UNIQUE INDEX messages_global_order ON eventstore.messages (transaction_id, global_position);

CREATE TABLE eventstore.subscriber_checkpoints (
  subscriber              text PRIMARY KEY,
  last_transaction_id     xid8 NOT NULL,
  last_global_position    bigint NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- Wakes LISTENing subscribers once per committed appending statement (NOTIFY is delivered at
-- commit, and identical notifications of one transaction are folded into one).
CREATE FUNCTION eventstore.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('eventstore_appended', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER messages_notify_appended
  AFTER INSERT ON eventstore.messages
  FOR EACH STATEMENT EXECUTE FUNCTION eventstore.notify_appended();

INSERT INTO leadscore_schema_version (version, description) VALUES (2, 'event store');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 2;
DROP SCHEMA eventstore CASCADE;
