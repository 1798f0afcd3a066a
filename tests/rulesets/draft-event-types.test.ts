import { describe, expect, it } from 'vitest';
import { appendToStream } from '../../packages/eventstore/src/index.js';
import {
  draftedEventId,
  RULESET_DRAFTED,
  RULESETS_STREAM_ID,
  type RulesetDrafted,
} from '../../packages/rulesets/src/ruleset-events.js';
import { readCatalog } from '../../packages/rulesets/src/ruleset-store.js';
import { defaultRuleset, type Ruleset } from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { call, expectProblem, get } from '../api/support/requests.js';

const pipeline = usePipeline({ clock: Date.UTC(2026, 4, 4) });

const draft = (ruleset: unknown) =>
  call(pipeline().api, 'POST', '/v1/rulesets', { key: KEYS.admin, body: { ruleset, author: 'ops' } });
const versions = async () => (await get(pipeline().api, '/v1/rulesets', KEYS.admin)).body.versions.length;

/** The default ruleset without its version, plus one engagement rule on `event`. */
function withRuleOn(event: string): Omit<Ruleset, 'version'> {
  const { version: _version, ...document } = structuredClone(defaultRuleset);
  document.engagement.push({ id: 'extra', event, when: [], points: 5, twoWay: false });
  return document;
}

describe('POST /v1/rulesets and event types', () => {
  it('refuses a rule on a type the webhook refuses, by path, beside every other problem, and stores nothing', async () => {
    const before = await versions();
    const document = withRuleOn('email.click');
    (document.engagement[0] as Record<string, unknown>).points = 'one';
    const response = await draft(document);
    const extra = document.engagement.length - 1;
    expectProblem(response, 400, ['ruleset.engagement[0].points', `ruleset.engagement[${extra}].event`]);
    const problem = response.body.errors.find(
      (error: { path: string }) => error.path === `ruleset.engagement[${extra}].event`,
    );
    expect(problem.message).toMatch(/^"email\.click" is not an event type the webhook accepts/);
    expect(await versions()).toBe(before);
  });

  it('drafts rules on known types and on custom.<name> types', async () => {
    const response = await draft(withRuleOn('custom.trial_started'));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.ruleset.engagement.at(-1).event).toBe('custom.trial_started');
  });

  it('still reads a version drafted before types were checked', async () => {
    const catalog = await readCatalog(pipeline().pool);
    const version = Math.max(...catalog.versions.keys()) + 1;
    const drafted: RulesetDrafted = {
      version,
      ruleset: { ...withRuleOn('email.click'), version },
      author: 'ops',
      comment: 'drafted before the check',
    };
    await appendToStream(
      pipeline().pool,
      RULESETS_STREAM_ID,
      [{ id: draftedEventId(version), type: RULESET_DRAFTED, data: drafted, occurredAt: new Date() }],
      { expectedVersion: catalog.streamVersion },
    );
    const response = await get(pipeline().api, `/v1/rulesets/${version}`, KEYS.admin);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.ruleset.engagement.at(-1).event).toBe('email.click');
  });
});
