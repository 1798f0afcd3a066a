#!/usr/bin/env node
// `npm test`: on a fresh clone, installs what is missing, then runs the unit and integration
// tests (the integration project provisions Kafka and PostgreSQL itself, see
// tests/setup/provision.ts) and ends with the plain line `N passed, N failed`.
// Extra arguments go to vitest: `npm test -- tests/infra`, `npm test -- --project unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './lib/ensure-dependencies.mjs';
import { requireNodeVersion } from './lib/node-version.mjs';
import { summarizeVitestReport, summaryLine } from './lib/test-summary.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const reportFile = join(root, '.leadscore', 'test-report.json');

/**
 * Ends the run as failed; the summary line stays last so CI logs always end with it.
 * @param {string} message
 * @returns {never}
 */
function stop(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.stdout.write(`${summaryLine({ passed: 0, failed: 1 })}\n`);
  process.exit(1);
}

try {
  requireNodeVersion();
  ensureDependencies({ root });
} catch (error) {
  stop(error instanceof Error ? error.message : String(error));
}

mkdirSync(dirname(reportFile), { recursive: true });
// A report left by an earlier run must never be mistaken for this one's.
rmSync(reportFile, { force: true });

const vitest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

if (!existsSync(reportFile)) {
  stop(
    `vitest ended (${vitest.error?.message ?? `exit code ${vitest.status}`}) without writing ${reportFile}`,
  );
}
const counts = summarizeVitestReport(JSON.parse(readFileSync(reportFile, 'utf8')));
for (const note of counts.notes) process.stderr.write(`${note}\n`);
if (counts.passed + counts.failed === 0) process.stderr.write('no test ran\n');
process.stdout.write(`${summaryLine(counts)}\n`);
process.exit(vitest.status === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1);
