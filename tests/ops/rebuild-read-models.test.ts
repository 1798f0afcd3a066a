/**
 * `pnpm rebuild-read-models` (scripts/rebuild-read-models.ts): empties the read models and rewinds
 * the relay only when nothing writes them; otherwise it refuses and changes nothing. The rebuild
 * itself, from the store back to identical tables, is tests/e2e/rebuild.test.ts.
 */
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { RebuildRefusedError, resetReadModels } from '../../scripts/rebuild/reset-read-models.js';
import { useMigratedDatabase } from '../support/migrated-database.js';
import { ScriptProcess } from '../support/service-process.js';

const { database, pool } = useMigratedDatabase();

beforeEach(async () => {
  await pool().query(`TRUNCATE lead_stages, rescoring_jobs`);
  await pool().query(`DELETE FROM eventstore.subscriber_checkpoints`);
  await pool().query(
    `INSERT INTO lead_stages (lead_id, stage, ruleset_id, ruleset_version, engagement, fit, total, grade,
                              temperature, two_way, score_at)
     VALUES ('lead-1', 'mql', 'default', 1, 40, 20, 60, 'B', 'warm', false, now())`,
  );
  await pool().query(
    `INSERT INTO eventstore.subscriber_checkpoints (subscriber, last_transaction_id, last_global_position)
     VALUES ('relay', '42', 7), ('audit-export', '42', 7)`,
  );
});

async function state() {
  const stages = await pool().query<{ n: number }>('SELECT count(*)::int AS n FROM lead_stages');
  const checkpoints = await pool().query<{ subscriber: string }>(
    'SELECT subscriber FROM eventstore.subscriber_checkpoints ORDER BY subscriber',
  );
  return { leadStages: stages.rows[0]!.n, checkpoints: checkpoints.rows.map((row) => row.subscriber) };
}

describe('resetting the read models for a rebuild', () => {
  it('empties the read models and rewinds only the relay when no writer runs', async () => {
    const summary = await resetReadModels(pool(), { waitForWritersMs: 0 });

    expect(summary.tables).toEqual([
      'lead_scores',
      'scoring_outbox',
      'rescoring_outbox',
      'lead_stages',
      'lead_stage_history',
    ]);
    expect(await state()).toEqual({ leadStages: 0, checkpoints: ['audit-export'] });
  });

  it('refuses while a writing service is connected, naming it, and changes nothing', async () => {
    const scoring = new pg.Client({
      connectionString: database().url,
      application_name: 'leadscore-scoring',
    });
    await scoring.connect();
    try {
      const refused = resetReadModels(pool(), { waitForWritersMs: 300 });
      await expect(refused).rejects.toThrow(RebuildRefusedError);
      await expect(refused).rejects.toThrow(/stop these services first.*leadscore-scoring \(1 connections\)/);
    } finally {
      await scoring.end();
    }
    expect(await state()).toEqual({ leadStages: 1, checkpoints: ['audit-export', 'relay'] });
  });

  it('refuses while a rescoring job runs, and changes nothing', async () => {
    await pool().query(
      `INSERT INTO rescoring_jobs (job_id, ruleset_id, ruleset_version, status, total_leads, requested_by)
       VALUES ('job-1', 'default', 2, 'running', 10, 'ops@example.com')`,
    );

    await expect(resetReadModels(pool(), { waitForWritersMs: 0 })).rejects.toThrow(
      /rescoring job job-1 is still running/,
    );
    expect(await state()).toEqual({ leadStages: 1, checkpoints: ['audit-export', 'relay'] });
  });

  it('refuses while the store holds a stage change made by hand, which a rebuild would lose, and changes nothing', async () => {
    const change = (id: string, reason: string) =>
      pool().query(
        `INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at)
         VALUES ('lead-lead-1', $1, $2, 'LeadStageChanged', $3, now())`,
        [
          id === 'stg-auto' ? 1 : 2,
          id,
          JSON.stringify({ leadId: 'lead-1', from: 'lead', to: 'mql', reason }),
        ],
      );
    try {
      await change('stg-auto', 'threshold');
      await change('stg-hand', 'manual');
      await expect(resetReadModels(pool(), { waitForWritersMs: 0 })).rejects.toThrow(
        /holds 1 stage change\(s\) made by hand/,
      );
      expect(await state()).toEqual({ leadStages: 1, checkpoints: ['audit-export', 'relay'] });
    } finally {
      await pool().query(`DELETE FROM eventstore.messages WHERE event_id IN ('stg-auto', 'stg-hand')`);
    }
  });

  it('`pnpm rebuild-read-models` resets and exits 0; refused, it exits 1 with the reason', async () => {
    const run = new ScriptProcess('scripts/rebuild-read-models.ts', { DATABASE_URL: database().url });
    expect((await run.waitForExit(30_000)).code).toBe(0);
    expect(run.output.stdout).toContain('read models emptied and the relay rewound');
    expect(await state()).toEqual({ leadStages: 0, checkpoints: ['audit-export'] });

    const projector = new pg.Client({
      connectionString: database().url,
      application_name: 'leadscore-projector',
    });
    await projector.connect();
    try {
      const refused = new ScriptProcess('scripts/rebuild-read-models.ts', { DATABASE_URL: database().url }, [
        '--wait-for-writers=0',
      ]);
      expect((await refused.waitForExit(30_000)).code).toBe(1);
      expect(refused.output.stdout).toContain('leadscore-projector');
    } finally {
      await projector.end();
    }
  });

  it('`pnpm rebuild-read-models` answers an unknown option or a bad value with its usage and exit 2, changing nothing', async () => {
    for (const args of [['--wait-for-writer=3'], ['--wait-for-writers=abc'], ['now']]) {
      const run = new ScriptProcess('scripts/rebuild-read-models.ts', { DATABASE_URL: database().url }, args);
      expect((await run.waitForExit(30_000)).code, args.join(' ')).toBe(2);
      expect(run.output.stderr).toContain('Usage: pnpm rebuild-read-models [--wait-for-writers=SECONDS]');
      expect(run.output.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await state()).toEqual({ leadStages: 1, checkpoints: ['audit-export', 'relay'] });
  });
});
