/**
 * Migration 0010 gives every stream of an existing store its first occurrence: the earliest
 * occurred_at of its events, not the time of its first appended one.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, MIGRATIONS_DIR, runMigrations } from '../../packages/platform/src/index.js';
import { withClient } from '../support/disposable-database.js';
import { useTestDatabase } from '../support/infra.js';

const logger = createLogger({ service: 'migrations-test', level: 'silent' });
const database = useTestDatabase();
let before0010: string;

beforeAll(async () => {
  before0010 = await mkdtemp(join(tmpdir(), 'leadscore-migrations-'));
  for (const file of await readdir(MIGRATIONS_DIR)) {
    if (/^\d{4}_.*\.sql$/.test(file) && Number(file.slice(0, 4)) < 10)
      await copyFile(join(MIGRATIONS_DIR, file), join(before0010, file));
  }
});

afterAll(async () => {
  await rm(before0010, { recursive: true, force: true });
});

// Two streams as the store held them before 0010; lead-backfilled got an earlier event last.
const storedBefore0010 = `
INSERT INTO eventstore.streams (stream_id, version) VALUES ('lead-backfilled', 3), ('lead-in-order', 2);
INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at) VALUES
  ('lead-backfilled', 1, 'b1', 'page.visited', '{}', '2026-06-10T10:00:00Z'),
  ('lead-backfilled', 2, 'b2', 'page.visited', '{}', '2026-06-12T10:00:00Z'),
  ('lead-backfilled', 3, 'b3', 'page.visited', '{}', '2026-05-01T08:00:00Z'),
  ('lead-in-order', 1, 'o1', 'page.visited', '{}', '2026-06-01T10:00:00Z'),
  ('lead-in-order', 2, 'o2', 'page.visited', '{}', '2026-06-02T10:00:00Z')`;

it("fills each stream's first occurrence from its earliest event, and drops the first-appended index", async () => {
  await runMigrations({ databaseUrl: database().url, logger, dir: before0010 });
  await withClient(database().url, (client) => client.query(storedBefore0010));

  const applied = await runMigrations({ databaseUrl: database().url, logger });
  expect(applied.applied).toEqual(['0010_stream_first_occurrence']);

  const { streams, indexes } = await withClient(database().url, async (client) => ({
    streams: (
      await client.query<{ stream_id: string; first_occurred_at: Date }>(
        'SELECT stream_id, first_occurred_at FROM eventstore.streams ORDER BY stream_id',
      )
    ).rows.map((row) => [row.stream_id, row.first_occurred_at.toISOString()]),
    indexes: (
      await client.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'eventstore' ORDER BY indexname`,
      )
    ).rows.map((row) => row.indexname),
  }));
  expect(streams).toEqual([
    ['lead-backfilled', '2026-05-01T08:00:00.000Z'],
    ['lead-in-order', '2026-06-01T10:00:00.000Z'],
  ]);
  expect(indexes).toContain('streams_first_occurred_at');
  expect(indexes).not.toContain('messages_first_event_time');
});
