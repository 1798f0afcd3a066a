import type { RescoringJob } from '@leadscore/rulesets';
import { describe, expect, it } from 'vitest';
import { presentRescoringJob, RescoringJobSchema } from './rescoring-job-schema.js';

const started = Date.parse('2026-05-04T09:00:00Z');

const supersededJob: RescoringJob = {
  jobId: 'rsj_v6',
  rulesetId: 'default',
  rulesetVersion: 6,
  previousVersion: 5,
  status: 'superseded',
  rebuild: false,
  totalLeads: 40_007,
  processedLeads: 4_000,
  rescoredLeads: 4_000,
  skippedLeads: 0,
  changedLeads: 900,
  eventsReplayed: 21_000,
  checkpointLeadId: 'lead-04000',
  requestedBy: 'ops',
  createdAt: started,
  startedAt: started,
  finishedAt: started + 2_000,
  updatedAt: started + 2_000,
};

describe('presentRescoringJob', () => {
  it('shows a superseded job as far as it got: progress processed/total, the leads it left, no ETA', () => {
    const presented = presentRescoringJob(supersededJob, started + 60_000);
    expect(presented.status).toBe('superseded');
    expect(presented.leads).toMatchObject({ total: 40_007, processed: 4_000, remaining: 36_007 });
    expect(presented.progress).toBeCloseTo(0.09998, 5);
    expect(presented.etaAt).toBeNull();
    expect(presented.finishedAt).toBe('2026-05-04T09:00:02.000Z');
    expect(RescoringJobSchema.parse(presented)).toEqual(presented);
  });

  it('shows a completed job at 1 with nothing remaining', () => {
    const presented = presentRescoringJob(
      { ...supersededJob, status: 'completed', processedLeads: 40_007, rescoredLeads: 40_007 },
      started + 60_000,
    );
    expect(presented).toMatchObject({ progress: 1, etaAt: null, leads: { remaining: 0 } });
  });
});
