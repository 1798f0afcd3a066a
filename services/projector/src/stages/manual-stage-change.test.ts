import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { InvalidStageChangeError } from '../errors.js';
import { createManualStageChange, type ManualStageChangeOptions } from './manual-stage-change.js';

const NO_DATABASE = 'no database in this test';

/** A manual stage change with no database: a request that passes validation fails at its first query. */
const move = createManualStageChange({
  pool: {
    connect: async () => {
      throw new Error(NO_DATABASE);
    },
    query: async () => {
      throw new Error(NO_DATABASE);
    },
  } as unknown as pg.Pool,
  now: () => Date.UTC(2026, 2, 1),
} as unknown as ManualStageChangeOptions);

async function issuesOf(
  actor: string,
  reason: string,
): Promise<readonly { path: string; message: string }[]> {
  const error = await move('lead-1', 'disqualified', actor, reason).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof InvalidStageChangeError)) {
    expect((error as Error).message, `${JSON.stringify(actor)} ${JSON.stringify(reason)}`).toBe(NO_DATABASE);
    return [];
  }
  return error.issues;
}

const ACTOR = 'must not contain control characters, line breaks or bidirectional formatting characters';
const REASON =
  'must not contain control characters other than tab and line breaks, nor bidirectional embeddings, overrides or isolates';

describe('createManualStageChange text checks', () => {
  it('refuses an actor holding a control character, a line break or a bidi control', async () => {
    const forged = 'eve (api-key:ops)\n\u202eadmin (api-key:quickstart)';
    expect(await issuesOf(forged, '')).toEqual([{ path: 'actor', message: ACTOR }]);
    for (const char of ['\t', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029']) {
      expect(await issuesOf(`eve${char}x`, ''), JSON.stringify(char)).toEqual([
        { path: 'actor', message: ACTOR },
      ]);
    }
    for (const char of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202c', '\u202e', '\u2066', '\u2069']) {
      expect(await issuesOf(`eve${char}x`, ''), JSON.stringify(char)).toEqual([
        { path: 'actor', message: ACTOR },
      ]);
    }
  });

  it('accepts actors in any script, joiners included', async () => {
    for (const actor of ['sales:kim', 'José (api-key:ops)', 'محمد (api-key:ops)', 'क्‍षमा', '👩‍💼 kim']) {
      expect(await issuesOf(actor, ''), actor).toEqual([]);
    }
  });

  it('accepts a reason with tabs, line breaks and bidi marks, and refuses other controls', async () => {
    for (const reason of ['a\nb\r\n\tc', 'قال: \u200fلا\u200f', 'x\u200e\u061c', 'line\u2028separator']) {
      expect(await issuesOf('kim', reason), JSON.stringify(reason)).toEqual([]);
    }
    for (const reason of ['\u0007', 'a\rb', 'a\r', '\u000b', '\u007f', '\u0085', '\u202e', '\u2067x\u2069']) {
      expect(await issuesOf('kim', reason), JSON.stringify(reason)).toEqual([
        { path: 'reason', message: REASON },
      ]);
    }
  });
});
