import { describe, expect, it } from 'vitest';
import { ScriptProcess } from './service-process.js';

describe('a service that finds part of itself stopped for good', () => {
  it('logs why as fatal, closes what it holds and exits 1, so an orchestrator restarts it', async () => {
    const process = new ScriptProcess('tests/platform/scripts/fail-after-start.ts', {});
    try {
      const exit = await process.waitForExit(20_000);
      expect(exit.code).toBe(1);
      const lines = process.output.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: string; msg: string; err?: { message: string } });
      expect(lines.map((line) => line.msg)).toEqual([
        'the consumer of group leadscore-scoring stopped for good; shutting down',
        'closing resources',
        'stopped',
      ]);
      expect(lines[0]).toMatchObject({ level: 'fatal', err: { message: 'Not authorized to access group' } });
    } finally {
      process.kill('SIGKILL');
    }
  });
});
