import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCompiled, mixedCompiled } from '../test-support/rulesets.js';
import { inStage, live, manualLook, scoreLook, scoreView, T } from '../test-support/stage-looks.js';
import { changeInstant } from './change-instant.js';
import { decide } from './decide.js';
import { initialStageState } from './stage.schema.js';

const MINUTE = 60_000;

describe('changeInstant', () => {
  it("is the decided instant, unless the lead's previous change came later", () => {
    expect(changeInstant(initialStageState, T - 5)).toBe(T - 5);
    expect(changeInstant(inStage('mql'), T + 5)).toBe(T + 5);
    expect(changeInstant(inStage('mql'), T - 5)).toBe(T - 1);
  });
});

describe('decide: when changes are dated', () => {
  it('dates a change an event decided after a later move by hand at that move, with the score of the event', () => {
    // Accepted by hand at T; a reply that occurred a minute earlier arrives afterwards.
    const accepted = { stage: 'sql' as const, since: T };
    const reply = scoreView(80, 'B', true, T - MINUTE);
    const [change] = decide(
      accepted,
      reply,
      { kind: 'event', at: T - MINUTE, eventId: 'reply' },
      defaultCompiled.stages,
    );
    expect(change).toMatchObject({
      from: 'sql',
      to: 'prospect',
      at: T,
      eventId: 'reply',
      total: 80,
      grade: 'B',
    });
  });

  it('keeps every history oldest first, however late looks come, each change carrying the score of its look', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(defaultCompiled.stages, mixedCompiled.stages),
        fc.array(fc.oneof({ weight: 4, arbitrary: scoreLook }, { weight: 1, arbitrary: manualLook }), {
          maxLength: 40,
        }),
        (policy, looks) => {
          let previous: number | null = null;
          for (const { look, before, changes } of live(looks, policy).looked) {
            for (const change of changes) {
              expect(change.at).toBe(Math.max(look.at, before.since ?? look.at));
              if (previous !== null) expect(change.at).toBeGreaterThanOrEqual(previous);
              expect({ total: change.total, grade: change.grade }).toEqual({
                total: look.total,
                grade: look.grade,
              });
              previous = change.at;
            }
          }
        },
      ),
    );
  });
});
