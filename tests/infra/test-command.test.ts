import { utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installReason } from '../../scripts/lib/ensure-dependencies.mjs';
import { isAtLeast } from '../../scripts/lib/node-version.mjs';
import { summarizeVitestReport, summaryLine } from '../../scripts/lib/test-summary.mjs';
import { makeTempDir, type TempDir } from '../setup/temp-dir.js';

const file = (status: string, ...tests: string[]) => ({
  status,
  assertionResults: tests.map((testStatus) => ({ status: testStatus })),
});

describe('the npm test summary', () => {
  it('counts passed and failed tests', () => {
    const report = {
      numPassedTests: 5,
      numFailedTests: 2,
      success: false,
      testResults: [file('passed', 'passed', 'passed'), file('failed', 'passed', 'failed', 'failed')],
    };
    expect(summaryLine(summarizeVitestReport(report))).toBe('5 passed, 2 failed');
  });

  it('counts a file that failed without a failing test (load error, broken hook) as one failure', () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 0,
      success: false,
      testResults: [file('failed'), file('failed', 'passed')],
    };
    expect(summarizeVitestReport(report)).toMatchObject({ passed: 1, failed: 2 });
  });

  it('counts errors outside any test (failed global setup, unhandled rejection) as a failure', () => {
    const report = {
      numPassedTests: 3,
      numFailedTests: 0,
      success: false,
      testResults: [file('passed', 'passed')],
    };
    expect(summarizeVitestReport(report)).toMatchObject({ passed: 3, failed: 1 });
  });

  it('reports a clean run as it is', () => {
    const report = {
      numPassedTests: 3,
      numFailedTests: 0,
      success: true,
      testResults: [file('passed', 'passed')],
    };
    expect(summarizeVitestReport(report)).toEqual({ passed: 3, failed: 0, notes: [] });
  });
});

describe('the Node version check', () => {
  it.each([
    ['20.11.0', true],
    ['v20.20.2', true],
    ['22.0.0', true],
    ['20.10.9', false],
    ['18.19.0', false],
  ])('%s is at least 20.11.0: %s', (version, expected) => {
    expect(isAtLeast(version, '20.11.0')).toBe(expected);
  });
});

describe('deciding whether to install dependencies', () => {
  let dir: TempDir | undefined;
  afterEach(async () => {
    await dir?.remove();
  });

  it('installs when node_modules is missing or older than the lockfile, not otherwise', async () => {
    dir = await makeTempDir('leadscore-install-test-');
    const lockfile = join(dir.path, 'pnpm-lock.yaml');
    writeFileSync(lockfile, 'lockfileVersion: 9.0\n');
    expect(installReason(dir.path)).toBe('node_modules is missing');

    await mkdir(join(dir.path, 'node_modules'));
    const marker = join(dir.path, 'node_modules', '.modules.yaml');
    writeFileSync(marker, '');
    utimesSync(lockfile, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
    utimesSync(marker, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    expect(installReason(dir.path)).toBe('pnpm-lock.yaml is newer than node_modules');

    utimesSync(marker, new Date(3_000_000_000_000), new Date(3_000_000_000_000));
    expect(installReason(dir.path)).toBeUndefined();
  });
});
