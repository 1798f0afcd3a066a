import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { recordJourney } from './support/lead-journey.js';
import { counterValue, type ProjectorUnderTest, startProjector } from './support/projector-harness.js';
import { HOUR, publishScoreChanges, vpTraits } from './support/publish.js';
import { stageReadModel } from './support/stage-store.js';
import { eventually } from './support/stage-topic.js';

// A score change naming a ruleset version the store does not hold (hand-made, another
// deployment's, or older than a restored database) can never be decided on. It is delivered
// again for a while, each failure counted, then skipped, so the partition's other leads move on.

const database = useTestDatabase();
const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);
const PATIENCE_MS = 1_500;
let projector: ProjectorUnderTest;

beforeAll(async () => {
  projector = await startProjector({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
    projector: { unknownRulesetPatienceMs: PATIENCE_MS },
  });
});

afterAll(async () => {
  await projector?.close();
});

const count = (name: string, labels: Readonly<Record<string, string>> = {}) =>
  counterValue(projector.metrics, name, labels);

describe('a score change naming an unknown ruleset version', () => {
  it('is redelivered (each failure counted) until the patience runs out, then skipped so the partition moves on', async () => {
    const journey = await recordJourney(
      projector.pool,
      { id: 'ann', email: 'ann@acme.io' },
      [
        { type: 'profile.updated', at: T, traits: vpTraits },
        { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
      ],
      ruleset,
    );
    const [first] = journey.scoreChanges;
    if (first === undefined) throw new Error('the journey moved no score');
    // Ahead of the lead's real changes on its partition: they wait behind it.
    const poison = { ...first, rulesetVersion: 999 };
    const startedAt = Date.now();
    await publishScoreChanges(projector.bus, projector.topics.scoreChanged, [
      poison,
      ...journey.scoreChanges,
    ]);

    await eventually(
      async () => (await stageReadModel(projector.pool, 'ann')).lead?.stage === 'mql',
      () => 'ann to reach mql once the unknown version is skipped',
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(PATIENCE_MS);
    const { history } = await stageReadModel(projector.pool, 'ann');
    expect(history.map((row) => `${row.from_stage}->${row.to_stage}`)).toEqual(['lead->mql']);
    expect(await count('leadscore_projector_batch_failures_total')).toBeGreaterThanOrEqual(1);
    expect(await count('leadscore_projector_score_changes_total', { outcome: 'unknown-ruleset' })).toBe(1);
    expect(await count('leadscore_projector_score_changes_total', { outcome: 'decided' })).toBe(
      journey.scoreChanges.length,
    );
    expect(await projector.metrics.metrics()).toMatch(
      /^# TYPE leadscore_projector_batch_failures_total counter$/m,
    );
  });
});
