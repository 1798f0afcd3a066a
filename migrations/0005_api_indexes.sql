-- Up Migration

-- Indexes the REST API's funnel figures need (services/api/src/read-models/funnel.ts).

-- A lead enters the funnel when the first event of its stream occurred: the leads that entered
-- in a period are one range scan here. Partial, so it holds one row per lead and appends of any
-- later event (stream_position > 1) never touch it.
CREATE INDEX messages_first_event_time ON eventstore.messages (occurred_at) WHERE stream_position = 1;

-- Time in stage counts the stays that ended within a period: every change in it, whatever stage.
CREATE INDEX lead_stage_history_changed_at ON lead_stage_history (changed_at);

INSERT INTO leadscore_schema_version (version, description) VALUES (5, 'api indexes');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 5;
DROP INDEX lead_stage_history_changed_at;
DROP INDEX eventstore.messages_first_event_time;
