import { describe, expect, it } from 'vitest';
import { RelaxedCheckpointWriter } from './relaxed-checkpoint-writer.js';
import { type GlobalCheckpoint, type Queryable, silentLogger } from './types.js';

/** A database stand-in that records each checkpoint write and lets the test finish it. */
function recordingDatabase() {
  const writes: { position: string; relaxed: boolean; finish: (error?: Error) => void }[] = [];
  const db = {
    query: (sql: string, values: unknown[]) =>
      new Promise((resolve, reject) => {
        writes.push({
          position: String(values[2]),
          relaxed: sql.includes("set_config('synchronous_commit', 'off', true)"),
          finish: (error) => (error ? reject(error) : resolve({ rowCount: 1, rows: [] })),
        });
      }),
  } as unknown as Queryable;
  return { db, writes };
}

const at = (position: number): GlobalCheckpoint => ({ transactionId: 1n, globalPosition: BigInt(position) });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RelaxedCheckpointWriter', () => {
  it('writes at once, one write at a time, folding what arrives meanwhile into the latest', async () => {
    const { db, writes } = recordingDatabase();
    const writer = new RelaxedCheckpointWriter(db, 'relay', silentLogger);
    writer.store(at(1));
    writer.store(at(2));
    writer.store(at(3));
    await flush();
    expect(writes.map((write) => write.position)).toEqual(['1']);

    writes[0]?.finish();
    await flush();
    expect(writes.map((write) => write.position)).toEqual(['1', '3']);
    expect(writes.every((write) => write.relaxed)).toBe(true);
    const flushed = writer.flushed();
    writes[1]?.finish();
    await flushed;
  });

  it('goes on after a failed write, and flushed() waits for the writes still queued', async () => {
    const { db, writes } = recordingDatabase();
    const writer = new RelaxedCheckpointWriter(db, 'relay', silentLogger);
    writer.store(at(1));
    await flush();
    writer.store(at(2));
    let flushed = false;
    const flushing = writer.flushed().then(() => {
      flushed = true;
    });
    writes[0]?.finish(new Error('connection reset'));
    await flush();
    expect(writes.map((write) => write.position)).toEqual(['1', '2']);
    expect(flushed).toBe(false);
    writes[1]?.finish();
    await flushing;
    expect(flushed).toBe(true);
  });
});
