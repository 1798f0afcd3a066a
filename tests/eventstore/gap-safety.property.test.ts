import fc from 'fast-check';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  type GlobalCheckpoint,
  readAll,
  readCheckpoint,
  storeCheckpoint,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';
import { eventually } from './eventually.js';

const pool = useEventStoreDatabase();

type Step = { kind: 'append' | 'commit'; writer: number } | { kind: 'read' };

/** Any interleaving of: each writer appends then commits (in that order), and reads anywhere. */
const scheduleArb = fc.integer({ min: 2, max: 4 }).chain((writers) =>
  fc
    .tuple(
      fc.shuffledSubarray(
        Array.from({ length: writers * 2 }, (_, i) => i),
        { minLength: writers * 2, maxLength: writers * 2 },
      ),
      fc.array(fc.integer({ min: 0, max: writers * 2 }), { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: writers, maxLength: writers }),
    )
    .map(([order, readSlots, sizes]) => {
      // slot 2w is writer w's append, 2w+1 its commit; swap so the append comes first
      const seen = new Set<number>();
      const steps: Step[] = order.map((slot) => {
        const writer = Math.floor(slot / 2);
        const kind = seen.has(writer) ? 'commit' : 'append';
        seen.add(writer);
        return { kind, writer };
      });
      for (const slot of [...readSlots].sort((a, b) => b - a)) steps.splice(slot, 0, { kind: 'read' });
      return { steps, sizes };
    }),
);

let run = 0;

describe('gap-safe global read (property)', () => {
  it('a reader restarted from its checkpoint at any moment gets every committed event once, none uncommitted', async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArb, async ({ steps, sizes }) => {
        run += 1;
        const subscriber = `reader-${run}`;
        // start at the end of the log: earlier runs are not this run's business
        let end: GlobalCheckpoint | undefined;
        for (let page = await readAll(pool(), { limit: 1_000 }); ; ) {
          end = page.checkpoint;
          if (page.events.length === 0) break;
          page = await readAll(pool(), { after: end, limit: 1_000 });
        }
        await storeCheckpoint(pool(), subscriber, end);

        const clients: pg.PoolClient[] = [];
        const committed = new Set<string>();
        const delivered: string[] = [];
        const catchUp = async () => {
          const after = await readCheckpoint(pool(), subscriber);
          const { events, checkpoint } = await readAll(pool(), { after, limit: 1_000 });
          await storeCheckpoint(pool(), subscriber, checkpoint);
          for (const event of events) {
            expect(committed).toContain(event.eventId);
            delivered.push(event.eventId);
          }
        };
        try {
          for (const step of steps) {
            if (step.kind === 'read') {
              await catchUp();
              continue;
            }
            const ids = Array.from({ length: sizes[step.writer]! }, (_, i) => `r${run}-w${step.writer}-${i}`);
            if (step.kind === 'append') {
              const client = await pool().connect();
              clients[step.writer] = client;
              await client.query('BEGIN');
              await appendToStream(
                client,
                `lead-r${run}-w${step.writer}`,
                ids.map((id) => ({ id, type: 'page.visited', data: {}, occurredAt: new Date() })),
              );
            } else {
              await clients[step.writer]!.query('COMMIT');
              for (const id of ids) committed.add(id);
            }
          }
        } finally {
          for (const client of clients) client?.release();
        }
        await eventually(async () => {
          await catchUp();
          expect([...delivered].sort()).toEqual([...committed].sort());
        });
        expect(new Set(delivered).size).toBe(delivered.length);
      }),
      { numRuns: 25 },
    );
  });
});
