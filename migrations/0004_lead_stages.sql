-- Up Migration

-- The projector's read model: each lead's current funnel stage, the score it last decided on, and
-- when decay alone will next carry that score across a threshold. Written in the transaction that
-- appends the lead's LeadStageChanged events, so it never disagrees with the store; the stage
-- columns and lead_stage_history can be rebuilt from those events.
CREATE TABLE lead_stages (
  lead_id             text             PRIMARY KEY,
  email               text,
  stage               text             NOT NULL
                      CHECK (stage IN ('lead', 'mql', 'sql', 'prospect', 'disqualified', 'recycled')),
  -- when the lead entered the stage; null while it is still in the stage it started in
  since               timestamptz,
  ruleset_id          text             NOT NULL,
  ruleset_version     integer          NOT NULL CHECK (ruleset_version > 0),
  -- the score the last decision looked at, as of score_at
  engagement          double precision NOT NULL,
  fit                 double precision NOT NULL,
  total               double precision NOT NULL,
  grade               text             NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E', 'F')),
  temperature         text             NOT NULL,
  two_way             boolean          NOT NULL,
  score_at            timestamptz      NOT NULL,
  -- idempotence: score changes at or below this global position were already decided on
  last_position       bigint,
  -- when the decay check must look at the lead again; null when decay can change nothing
  next_check_at       timestamptz,
  updated_at          timestamptz      NOT NULL DEFAULT now()
);

-- The decay check takes due leads in time order: one index range scan, never a sweep of all leads.
CREATE INDEX lead_stages_due ON lead_stages (next_check_at) WHERE next_check_at IS NOT NULL;
-- Lead lists by stage, newest arrivals first.
CREATE INDEX lead_stages_by_stage ON lead_stages (stage, since DESC, lead_id);

-- One row per LeadStageChanged event, keyed by its event id (the CloudEvents id CRMs receive).
CREATE TABLE lead_stage_history (
  event_id            text             PRIMARY KEY,
  lead_id             text             NOT NULL,
  -- position of the event in the lead's stream: the order of the lead's changes
  stream_position     bigint           NOT NULL,
  from_stage          text             NOT NULL,
  to_stage            text             NOT NULL,
  changed_at          timestamptz      NOT NULL,
  reason              text             NOT NULL
                      CHECK (reason IN ('threshold', 'two-way-signal', 'decay', 'rescored', 'manual')),
  -- the activity event whose score change caused it; null for decay and manual changes
  triggering_event_id text,
  actor               text,
  note                text,
  engagement          double precision NOT NULL,
  fit                 double precision NOT NULL,
  total               double precision NOT NULL,
  grade               text             NOT NULL,
  temperature         text             NOT NULL,
  ruleset_id          text             NOT NULL,
  ruleset_version     integer          NOT NULL,
  CONSTRAINT lead_stage_history_position_unique UNIQUE (lead_id, stream_position)
);

-- Funnel figures: who entered a stage within a period, and time in stage.
CREATE INDEX lead_stage_history_entered ON lead_stage_history (to_stage, changed_at);

INSERT INTO leadscore_schema_version (version, description) VALUES (4, 'lead stages');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 4;
DROP TABLE lead_stage_history;
DROP TABLE lead_stages;
