-- Up Migration

-- Rescoring jobs: publishing a ruleset version starts one, and the scoring service rebuilds
-- lead_scores under that version by replay from the event store, batch by batch. Each batch and
-- the job's checkpoint commit together, so a crash resumes after the last committed batch and a
-- lead is never rescored twice by one job.
CREATE TABLE rescoring_jobs (
  job_id            text        PRIMARY KEY,
  ruleset_id        text        NOT NULL,
  ruleset_version   integer     NOT NULL CHECK (ruleset_version > 0),
  -- the version active before the publication; null when nothing was
  previous_version  integer     CHECK (previous_version > 0),
  -- running until every lead is looked at; superseded when a newer publication takes over
  status            text        NOT NULL CHECK (status IN ('running', 'completed', 'superseded')),
  -- leads in lead_scores when the job was created: the denominator of its progress
  total_leads       bigint      NOT NULL CHECK (total_leads >= 0),
  -- leads looked at (up to the checkpoint), of which rescored by the job, skipped because the
  -- live scorer had already moved them to the version, and with a changed score
  processed_leads   bigint      NOT NULL DEFAULT 0,
  rescored_leads    bigint      NOT NULL DEFAULT 0,
  skipped_leads     bigint      NOT NULL DEFAULT 0,
  changed_leads     bigint      NOT NULL DEFAULT 0,
  events_replayed   bigint      NOT NULL DEFAULT 0,
  -- leads are taken in lead_id order: every lead at or below this one is done
  checkpoint_lead_id text,
  requested_by      text        NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The scoring service looks for work: running jobs, oldest first.
CREATE INDEX rescoring_jobs_running ON rescoring_jobs (created_at) WHERE status = 'running';

INSERT INTO leadscore_schema_version (version, description) VALUES (6, 'rescoring jobs');

-- Down Migration

DELETE FROM leadscore_schema_version WHERE version = 6;
DROP TABLE rescoring_jobs;
