/**
 * `pnpm docs:config`: rewrites the configuration table in README.md from the env schema.
 * `pnpm docs:config --check` only compares, exiting 1 when README.md is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { embedConfigTable } from './config/config-table.js';

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const current = await readFile(readmePath, 'utf8');
const updated = embedConfigTable(current);

if (process.argv.includes('--check')) {
  if (updated !== current) {
    process.stderr.write('README.md configuration table is out of date: run `pnpm docs:config`\n');
    process.exitCode = 1;
  }
} else if (updated !== current) {
  await writeFile(readmePath, updated);
  process.stdout.write('README.md configuration table updated\n');
}
