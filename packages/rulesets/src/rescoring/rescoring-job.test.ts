import { describe, expect, it } from 'vitest';
import { progressOf, type RescoringJob } from './rescoring-job.js';

const started = Date.parse('2026-05-04T09:00:00Z');

function job(overrides: Partial<RescoringJob>): RescoringJob {
  return {
    jobId: 'rsj_1',
    rulesetId: 'default',
    rulesetVersion: 11,
    previousVersion: 10,
    status: 'running',
    rebuild: false,
    totalLeads: 40_007,
    processedLeads: 4_000,
    rescoredLeads: 4_000,
    skippedLeads: 0,
    changedLeads: 1_200,
    eventsReplayed: 20_000,
    checkpointLeadId: 'lead-04000',
    requestedBy: 'ops',
    createdAt: started,
    startedAt: started,
    finishedAt: null,
    updatedAt: started + 2_000,
    ...overrides,
  };
}

describe('progressOf', () => {
  it('says how far a superseded job got: processed / total, the leads it left, no ETA', () => {
    const progress = progressOf(job({ status: 'superseded', finishedAt: started + 2_000 }), started + 60_000);
    expect(progress.fraction).toBeCloseTo(4_000 / 40_007, 12);
    expect(progress.remainingLeads).toBe(36_007);
    expect(progress.etaAt).toBeNull();
    // The rate up to when it stopped, not diluted by the time since.
    expect(progress.leadsPerSecond).toBe(2_000);
  });

  it('is 1 with nothing remaining once completed, whatever the count of leads that arrived since', () => {
    const progress = progressOf(
      job({ status: 'completed', processedLeads: 40_100, finishedAt: started + 20_000 }),
      started + 60_000,
    );
    expect(progress).toMatchObject({ fraction: 1, remainingLeads: 0, etaAt: null });
    expect(progressOf(job({ status: 'completed', totalLeads: 0, processedLeads: 0 }), started).fraction).toBe(
      1,
    );
  });

  it('stays below 1 until the job completes, even when leads that arrived meanwhile make processed reach total', () => {
    const running = progressOf(job({ processedLeads: 40_007 }), started + 10_000);
    expect(running.fraction).toBeLessThan(1);
    expect(running.fraction).toBeGreaterThanOrEqual(0.999);
    expect(running.remainingLeads).toBe(0);
    const superseded = progressOf(
      job({ status: 'superseded', processedLeads: 40_050, finishedAt: started + 10_000 }),
      started + 10_000,
    );
    expect(superseded.fraction).toBeLessThan(1);
    expect(progressOf(job({ totalLeads: 0, processedLeads: 0 }), started).fraction).toBe(0);
  });

  it('extrapolates the rate so far over the leads left while running', () => {
    const progress = progressOf(job({}), started + 2_000);
    expect(progress.fraction).toBeCloseTo(4_000 / 40_007, 12);
    expect(progress.remainingLeads).toBe(36_007);
    expect(progress.leadsPerSecond).toBe(2_000);
    expect(progress.etaAt).toBe(started + 2_000 + Math.round((36_007 / 2_000) * 1000));
  });
});
