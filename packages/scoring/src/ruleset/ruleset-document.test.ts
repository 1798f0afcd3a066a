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
      expect.arrayContaining(['engagement[0].event', 'engagement[1].points', 'stages.mql']),
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

describe('stored versions (parseRuleset)', () => {
  it('still read a rule on an unknown event type: one drafted before the check must stay readable', () => {
    const stored = document((json) => {
      json.engagement[2]!.event = 'email.click';
    });
    expect(parseRuleset(stored).ok).toBe(true);
  });
});
