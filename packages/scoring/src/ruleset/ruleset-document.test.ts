import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import defaultRulesetJson from '../../rulesets/default.v1.json' with { type: 'json' };
import { parseRuleset } from './parse-ruleset.js';
import { parseRulesetDocument } from './ruleset-document.js';

type Document = Record<string, unknown> & typeof defaultRulesetJson;

/** The default ruleset as a person would draft it, changed by `change`. */
function document(change: (json: Document) => void = () => {}): Document {
  const json = structuredClone(defaultRulesetJson) as Document;
  change(json);
  return json;
}

function issuesOf(json: unknown) {
  const result = parseRulesetDocument(json);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.issues;
}

describe('parseRulesetDocument', () => {
  it('accepts a document with or without a version: the catalog numbers versions', () => {
    const withoutVersion = document((json) => {
      delete (json as Partial<Document>).version;
    });
    const result = parseRulesetDocument(withoutVersion);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.document.version).toBeUndefined();
    expect(parseRulesetDocument(document()).ok).toBe(true);
  });

  it('refuses a version that is not a positive whole number, at its path', () => {
    expect(issuesOf(document((json) => Object.assign(json, { version: 'two' })))).toEqual([
      { path: 'version', message: expect.any(String) },
    ]);
  });

  it('refuses a rule on an event type the webhook does not accept, naming the rule and the type', () => {
    const issues = issuesOf(
      document((json) => {
        json.engagement[2]!.event = 'email.click';
        json.engagement[3]!.event = 'custom';
        json.engagement[4]!.event = 'custom.Trial Started';
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'engagement[2].event',
      'engagement[3].event',
      'engagement[4].event',
    ]);
    expect(issues[0]!.message).toMatch(
      /^"email\.click" is not an event type the webhook accepts: use one of /,
    );
    expect(issues[0]!.message).toContain('email.clicked');
    expect(issues[0]!.message).toMatch(/, or custom\.<name>$/);
  });

  it('accepts custom.<name> types, as the webhook does', () => {
    const result = parseRulesetDocument(
      document((json) => {
        json.engagement.push({ id: 'trial-started', event: 'custom.trial_started', points: 30 } as never);
      }),
    );
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('lists an unknown event type beside every other problem of the document', () => {
    const issues = issuesOf(
      document((json) => {
        json.engagement[0]!.event = 'email.open';
        (json.engagement[1] as Record<string, unknown>).points = 'one';
        (json.stages.mql as Record<string, unknown>).minTotl = 50;
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['engagement[0].event', 'engagement[1].points', 'stages.mql.minTotl']),
    );
  });

  it('checks consistency between fields as parseRuleset does', () => {
    const duplicate = document((json) => {
      json.engagement[3]!.id = json.engagement[2]!.id;
    });
    expect(issuesOf(duplicate)).toEqual([
      { path: 'engagement[3].id', message: 'rule id "email-clicked" is used more than once' },
    ]);
  });
});

/** One problem put into the default document: `value` set at `at`, to be reported at `paths`. */
interface Injected {
  readonly at: readonly (string | number)[];
  readonly value: unknown;
  readonly paths: readonly string[];
}

/** `json` with `value` set at the path `at` (every object on the way exists). */
function setAt(json: unknown, at: readonly (string | number)[], value: unknown): void {
  const parent = at.slice(0, -1).reduce((node, key) => (node as Record<string | number, unknown>)[key], json);
  (parent as Record<string | number, unknown>)[at.at(-1)!] = value;
}

/**
 * Problems that touch different fields: none reads a field another one breaks, so each must be
 * reported at its own paths whichever others come with it. The first ones are problems of one
 * field, the others problems between fields.
 */
const injectable: readonly Injected[] = [
  { at: ['engagement', 0, 'points'], value: '1', paths: ['engagement[0].points'] },
  { at: ['engagement', 2, 'event'], value: 'email.click', paths: ['engagement[2].event'] },
  // After a fraction where a whole number belongs, zod runs no refinement, even with `when`.
  { at: ['engagement', 4, 'cap', 'count'], value: 1.5, paths: ['engagement[4].cap.count'] },
  { at: ['version'], value: 1.5, paths: ['version'] },
  { at: ['fit', 0, 'when', 0, 'op'], value: 'resembles', paths: ['fit[0].when[0].op'] },
  { at: ['autor'], value: 'x', paths: ['autor'] },
  { at: ['stages', 'prospect', 'extra'], value: 1, paths: ['stages.prospect.extra'] },
  { at: ['decay', 'halfLifeDays'], value: 0, paths: ['decay.halfLifeDays'] },
  { at: ['grades', 3, 'minFit'], value: 'low', paths: ['grades[3].minFit'] },
  // Between fields:
  { at: ['grades', 0, 'grade'], value: 'F', paths: ['grades[0].grade', 'grades[1].grade'] },
  { at: ['grades', 2, 'minFit'], value: 30, paths: ['grades[2].minFit'] },
  { at: ['temperatures', 0, 'minTotal'], value: 5, paths: ['temperatures[0].minTotal'] },
  { at: ['temperatures', 2, 'minTotal'], value: 15, paths: ['temperatures[2].minTotal'] },
  { at: ['stages', 'sql', 'minTotal'], value: 10, paths: ['stages.sql.minTotal'] },
  {
    at: ['stages', 'demotion'],
    value: { enabled: true, hysteresis: 0 },
    paths: ['stages.demotion.hysteresis'],
  },
  { at: ['fit', 2, 'id'], value: 'decision-maker', paths: ['fit[2].id'] },
  {
    at: ['engagement', 5, 'alert', 'minTemperature'],
    value: 'boiling',
    paths: ['engagement[5].alert.minTemperature'],
  },
];

describe('parseRulesetDocument with problems of fields and problems between fields', () => {
  it('lists both at once: a problem of one field hides no problem between others', () => {
    const issues = issuesOf(
      document((json) => {
        setAt(json, ['grades', 0, 'grade'], 'F');
        setAt(json, ['temperatures', 0, 'minTotal'], 5);
        setAt(json, ['stages', 'sql', 'minTotal'], 10);
        setAt(json, ['stages', 'demotion'], { enabled: true, hysteresis: 0 });
        setAt(json, ['engagement', 0, 'points'], '1');
        setAt(json, ['autor'], 'x');
      }),
    );
    expect(issues).toEqual([
      { path: 'engagement[0].points', message: 'Invalid input: expected number, received string' },
      { path: 'autor', message: 'is not a field of a ruleset document' },
      { path: 'grades[0].grade', message: 'F is the fallback grade below every band' },
      { path: 'grades[1].grade', message: 'grades must be listed best first (F before it)' },
      { path: 'temperatures[0].minTotal', message: 'the first (coldest) band has no lower bound' },
      { path: 'stages.sql.minTotal', message: 'must be at least the mql threshold 50' },
      { path: 'stages.demotion.hysteresis', message: 'must be above 0 when demotion is enabled' },
    ]);
  });

  it('skips a comparison that reads an invalid field, and makes the others', () => {
    const issues = issuesOf(
      document((json) => {
        setAt(json, ['grades', 1], { grade: 'A', minFit: 'high' }); // order of grades checked, minFit not
        setAt(json, ['temperatures', 1], 'warm'); // no band: neither "required" nor compared with hot
        setAt(json, ['temperatures', 3], { name: 'blazing', minTotal: 40 }); // below hot: compared
        setAt(json, ['stages', 'mql', 'minTotal'], 'fifty'); // sql is not compared with it, but with the cap
        setAt(json, ['stages', 'sql', 'minTotal'], 500);
        setAt(json, ['stages', 'demotion'], { enabled: true, hysteresis: -1 }); // its own problem only
      }),
    );
    expect(issues).toEqual([
      { path: 'grades[1].minFit', message: 'Invalid input: expected number, received string' },
      { path: 'temperatures[1]', message: 'Invalid input: expected object, received string' },
      { path: 'stages.mql.minTotal', message: 'Invalid input: expected number, received string' },
      { path: 'stages.demotion.hysteresis', message: 'Too small: expected number to be >=0' },
      { path: 'grades[1].grade', message: 'grades must be listed best first (A before it)' },
      { path: 'temperatures[3].minTotal', message: "must be higher than the previous band's 50" },
      { path: 'stages.sql.minTotal', message: 'must not exceed the total cap 200' },
    ]);
  });

  it('checks alerts only against temperatures whose names are all valid', () => {
    const issues = issuesOf(
      document((json) => {
        setAt(json, ['temperatures', 2, 'name'], 'Hot');
        setAt(json, ['engagement', 5, 'alert', 'minTemperature'], 'Hot');
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['temperatures[2].name']);
  });

  it('reports every problem injected, whichever others come with it (property)', () => {
    fc.assert(
      fc.property(fc.subarray([...injectable], { minLength: 1 }), (problems) => {
        const json = document((j) => {
          for (const problem of problems) setAt(j, problem.at, problem.value);
        });
        const reported = new Set(issuesOf(json).map((issue) => issue.path));
        expect([...reported].sort()).toEqual([...new Set(problems.flatMap((p) => p.paths))].sort());
      }),
    );
  });
});

describe('stored versions (parseRuleset)', () => {
  it('list the problems between fields beside those of fields too', () => {
    const stored = document((json) => {
      setAt(json, ['engagement', 4, 'cap', 'count'], 1.5);
      setAt(json, ['stages', 'sql', 'minTotal'], 10);
    });
    expect(parseRuleset(stored)).toEqual({
      ok: false,
      issues: [
        { path: 'engagement[4].cap.count', message: expect.any(String) },
        { path: 'stages.sql.minTotal', message: 'must be at least the mql threshold 50' },
      ],
    });
  });

  it('still read a rule on an unknown event type: one drafted before the check must stay readable', () => {
    const stored = document((json) => {
      json.engagement[2]!.event = 'email.click';
    });
    expect(parseRuleset(stored).ok).toBe(true);
  });
});
