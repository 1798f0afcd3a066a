import type { Queryable } from '@leadscore/eventstore';
import { defaultRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  RULESET_DRAFTED,
  RULESET_PUBLISHED,
  type RulesetDrafted,
  type RulesetPublished,
} from './ruleset-events.js';
import { storedRulesets } from './stored-rulesets.js';

/**
 * A rulesets stream in memory behind a Queryable that counts its queries: the catalog read
 * (readStream) answers with the stored events, anything else is the version probe.
 */
function fakeCatalogDb() {
  const events: { type: string; data: unknown }[] = [];
  const counts = { catalogReads: 0, versionProbes: 0 };
  const query = async (sql: string) => {
    if (sql.includes('current_version')) {
      counts.catalogReads += 1;
      return {
        rows: events.map((event, index) => ({
          current_version: String(events.length),
          event_id: `e${index + 1}`,
          stream_id: 'rulesets',
          stream_position: String(index + 1),
          global_position: String(index + 1),
          transaction_id_text: '1',
          type: event.type,
          data: event.data,
          metadata: null,
          occurred_at: new Date(0),
          recorded_at: new Date(0),
        })),
      };
    }
    counts.versionProbes += 1;
    return { rows: [{ version: String(events.length) }] };
  };
  function publish(version: number): void {
    const drafted: RulesetDrafted = {
      version,
      ruleset: { ...defaultRuleset, version },
      author: 'test',
      comment: '',
    };
    const published: RulesetPublished = {
      version,
      previousVersion: version === 1 ? null : version - 1,
      author: 'test',
      comment: '',
      jobId: null,
    };
    events.push({ type: RULESET_DRAFTED, data: drafted }, { type: RULESET_PUBLISHED, data: published });
  }
  return { db: { query } as unknown as Queryable, counts, publish, streamVersion: () => events.length };
}

describe('storedRulesets().activeAsOf', () => {
  it('answers from the cached catalog while the given version is its stream version', async () => {
    const fake = fakeCatalogDb();
    fake.publish(1);
    const rulesets = storedRulesets();

    const first = await rulesets.activeAsOf(fake.db, fake.streamVersion());
    const again = await rulesets.activeAsOf(fake.db, fake.streamVersion());

    expect(first.key).toBe('default@1');
    expect(again).toBe(first);
    expect(fake.counts).toEqual({ catalogReads: 1, versionProbes: 0 });
  });

  it('re-reads the catalog when the version moved, and answers under the new active version', async () => {
    const fake = fakeCatalogDb();
    fake.publish(1);
    const rulesets = storedRulesets();
    await rulesets.activeAsOf(fake.db, fake.streamVersion());

    fake.publish(2);
    const moved = await rulesets.activeAsOf(fake.db, fake.streamVersion());

    expect(moved.key).toBe('default@2');
    expect(fake.counts).toEqual({ catalogReads: 2, versionProbes: 0 });
  });

  it('shares its cache with active(), which probes the version itself', async () => {
    const fake = fakeCatalogDb();
    fake.publish(1);
    const rulesets = storedRulesets();
    await rulesets.activeAsOf(fake.db, fake.streamVersion());

    expect((await rulesets.active(fake.db)).key).toBe('default@1');
    expect(fake.counts).toEqual({ catalogReads: 1, versionProbes: 1 });
  });
});

describe('storedRulesets().activeOpened', () => {
  /** The results of activeOpening as a simple query returns them: the lock's row, then the version. */
  const openedAt = (version: number) =>
    [{ rows: [{}] }, { rows: [{ version: String(version) }] }] as unknown as pg.QueryResult[];

  it('opens with the switch lock, then the catalog version, as statements without parameters', () => {
    const opening = storedRulesets().activeOpening;
    expect(opening).toMatch(/^SELECT pg_advisory_xact_lock_shared\(\d+, \d+\); SELECT .* AS version$/);
    expect(opening).not.toContain('$');
  });

  it('answers with the version the opening read, reading the catalog only when it moved', async () => {
    const fake = fakeCatalogDb();
    fake.publish(1);
    const rulesets = storedRulesets();
    const client = fake.db as unknown as pg.ClientBase;

    expect((await rulesets.activeOpened(client, openedAt(fake.streamVersion()))).key).toBe('default@1');
    expect((await rulesets.activeOpened(client, openedAt(fake.streamVersion()))).key).toBe('default@1');
    fake.publish(2);
    expect((await rulesets.activeOpened(client, openedAt(fake.streamVersion()))).key).toBe('default@2');
    expect(fake.counts).toEqual({ catalogReads: 2, versionProbes: 0 });
  });

  it('refuses results that are not those of its opening', async () => {
    const client = fakeCatalogDb().db as unknown as pg.ClientBase;
    await expect(storedRulesets().activeOpened(client, [])).rejects.toThrow(/activeOpening/);
  });
});
