import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// The newcomer's path, for real: clone, `npm start` (installs, boots PGlite and the in-process
// bus), GET /healthz. The 60 s target is the script's default; the suite allows more because
// other integration files load the same two cores meanwhile.
describe('npm start on a fresh clone', () => {
  it('answers GET /healthz with 200, prints where the API docs are, and stops with npm start', () => {
    const result = spawnSync('bash', [join(root, 'scripts/check-quickstart.sh'), root], {
      encoding: 'utf8',
      env: { ...process.env, QUICKSTART_DEADLINE_S: '150', DATABASE_URL: '', KAFKA_BROKERS: '' },
      timeout: 240_000,
    });
    expect(result.stdout + result.stderr).toMatch(
      /answered GET \/healthz 200 and printed the API docs URL after \d+s/,
    );
    expect(result.stdout).toMatch(/quickstart stopped after npm start alone was sent SIGTERM/);
    expect(result.status).toBe(0);
  }, 240_000);
});
