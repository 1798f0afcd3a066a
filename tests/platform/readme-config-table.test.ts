import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { embedConfigTable, envSchema } from '../../packages/platform/src/index.js';

describe('README.md configuration table', () => {
  it('is exactly the table generated from the config schema (run `pnpm docs:config` to update it)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(embedConfigTable(readme));
    for (const variable of Object.keys(envSchema.shape)) {
      expect(readme).toMatch(new RegExp(`^\\| \`${variable}\` +\\|`, 'm'));
    }
  });
});
