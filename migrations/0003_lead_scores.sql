-- Up Migration

-- The scoring service's read model: one row per lead with its score as of its latest event, and
-- the engine's LeadState so the next event folds in without reading the stream again. A
-- projection: it can be dropped and rebuilt from the event store.
CREATE TABLE lead_scores (
  lead_id              text             PRIMARY KEY,
  email                text,
  -- the score as of scored_at (the lead's latest event); the API decays it to "now" from state
  engagement           double precision NOT NULL,
  fit                  double precision NOT NULL,
  total                double precision NOT NULL,
  grade                text             NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E', 'F')),
  temperature          text             NOT NULL,
  two_way_at           timestamptz,
  scored_at            timestamptz      NOT NULL,
  -- packages/scoring LeadState (parseLeadState reads it back)
  state                jsonb            NOT NULL,
  -- idempotence: an event at or below this global position is already in state
  last_global_position bigint           NOT NULL,
  last_event_id        text             NOT NULL,
  ruleset_id           text             NOT NULL,
  ruleset_version      integer          NOT NULL CHECK (ruleset_version > 0),
  -- when decay alone next moves the total across a stage threshold or temperature band
  next_crossing_at     timestamptz,
  -- campaign attribution ({ at, utmSource, utmMedium, utmCampaign }) of the earliest and latest
  -- events that carried one, for funnel figures per source
  first_touch          jsonb,
  last_touch           jsonb,
  source               text GENERATED ALWAYS AS (first_touch ->> 'utmSource') STORED,
  updated_at           timestamptz      NOT NULL DEFAULT now()
);

-- Keyset pagination of the lead list: ORDER BY total DESC, lead_id, optionally filtered by one
-- column; the filter column leads so each filtered page is one index range scan.
CREATE INDEX lead_scores_by_total ON lead_scores (total DESC, lead_id);
CREATE INDEX lead_scores_by_temperature ON lead_scores (temperature, total DESC, lead_id);
CREATE INDEX lead_scores_by_grade ON lead_scores (grade, total DESC, lead_id);
CREATE INDEX lead_scores_by_source ON lead_scores (source, total DESC, lead_id);
CREATE INDEX lead_scores_by_email ON lead_scores (email);

-- Messages the scoring service must publish (score changes, alerts), written in the transaction
-- that stores the scores and deleted once Kafka acknowledged them: a crash between the commit and
-- the publish leaves them here, and the redelivered batch (same leads) publishes them first.
CREATE TABLE scoring_outbox (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id    text        NOT NULL,
  topic      text        NOT NULL,
  key        text        NOT NULL,
  value      jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX scoring_outbox_by_lead ON scoring_outbox (lead_id, id);

INSERT INTO leadscore_schema_version (version, description) VALUES (3, 'lead scores');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 3;
DROP TABLE scoring_outbox;
DROP TABLE lead_scores;
