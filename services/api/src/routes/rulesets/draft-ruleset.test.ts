import { defaultRuleset } from '@leadscore/scoring';
import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../../test-support/api-under-test.js';

const api = useApiUnderTest();

type Json = Record<string, unknown>;

/** The default ruleset as a person drafts it (no version), with field and cross-field problems. */
function invalidDocument(): Json {
  const { version: _numberedByTheCatalog, ...document } = structuredClone(defaultRuleset);
  (document.engagement[0] as Json).points = '1';
  (document.grades[0] as Json).grade = 'F';
  document.temperatures[0]!.minTotal = 5;
  document.stages.sql.minTotal = 10;
  document.stages.demotion = { enabled: true, hysteresis: 0 };
  return document;
}

const DOCUMENT_ERRORS = [
  {
    in: 'body',
    path: 'ruleset.engagement[0].points',
    message: 'Invalid input: expected number, received string',
  },
  { in: 'body', path: 'ruleset.grades[0].grade', message: 'F is the fallback grade below every band' },
  { in: 'body', path: 'ruleset.grades[1].grade', message: 'grades must be listed best first (F before it)' },
  {
    in: 'body',
    path: 'ruleset.temperatures[0].minTotal',
    message: 'the first (coldest) band has no lower bound',
  },
  { in: 'body', path: 'ruleset.stages.sql.minTotal', message: 'must be at least the mql threshold 50' },
  {
    in: 'body',
    path: 'ruleset.stages.demotion.hysteresis',
    message: 'must be above 0 when demotion is enabled',
  },
];

async function draft(body: Json) {
  api().queries.length = 0;
  const response = await api().request({ method: 'POST', url: '/v1/rulesets', payload: body });
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  // Refused before the catalog is read: nothing read, nothing stored.
  expect(api().queries).toEqual([]);
  return response.json();
}

describe('POST /v1/rulesets with an invalid draft', () => {
  it("lists every problem of the document: its fields' and those between fields", async () => {
    const problem = await draft({ ruleset: invalidDocument(), author: 'ops' });
    expect(problem).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      title: 'Request is invalid',
      status: 400,
      errors: DOCUMENT_ERRORS,
    });
    expect(problem.detail).toBe(DOCUMENT_ERRORS.map((e) => `${e.path}: ${e.message}`).join('; '));
  });

  it('lists the problems of the rest of the body beside those of the document', async () => {
    const problem = await draft({ ruleset: invalidDocument(), autor: 'x', comment: 7 });
    expect(problem.errors).toEqual([
      ...DOCUMENT_ERRORS,
      { in: 'body', path: 'comment', message: 'Invalid input: expected string, received number' },
      { in: 'body', path: 'autor', message: 'is not a field of this request' },
    ]);
  });

  it('names an unknown key of the document at the key itself, as it names one of the request', async () => {
    const problem = await draft({ ruleset: { ...invalidDocument(), extra: true }, autor: 'x' });
    expect(problem.errors).toContainEqual({
      in: 'body',
      path: 'ruleset.extra',
      message: 'is not a field of a ruleset document',
    });
    expect(problem.errors).toContainEqual({
      in: 'body',
      path: 'autor',
      message: 'is not a field of this request',
    });
    expect(problem.errors).toHaveLength(DOCUMENT_ERRORS.length + 2);
  });

  it('refuses a ruleset that is no object once, at its path, beside the rest of the body', async () => {
    const problem = await draft({ ruleset: 'default', autor: 'x' });
    expect(problem.errors).toEqual([
      { in: 'body', path: 'ruleset', message: 'Invalid input: expected record, received string' },
      { in: 'body', path: 'autor', message: 'is not a field of this request' },
    ]);
  });
});
