/**
 * The counts for the final `N passed, N failed` line, from vitest's JSON report.
 * A file that failed without a failing test (it did not load, or a hook threw) counts as one
 * failure; so do errors outside any test (an unhandled rejection, a failed global setup),
 * which vitest only shows as `success: false`.
 * @param {{ numPassedTests: number, numFailedTests: number, success: boolean,
 *           testResults: { status: string, assertionResults: { status: string }[] }[] }} report
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function summarizeVitestReport(report) {
  const notes = [];
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  if (brokenFiles > 0)
    notes.push(`${brokenFiles} test file(s) failed outside their tests (load error or hook)`);
  let failed = report.numFailedTests + brokenFiles;
  if (!report.success && failed === 0) {
    notes.push('vitest reported errors outside the tests (see above), counted as 1 failure');
    failed = 1;
  }
  return { passed: report.numPassedTests, failed, notes };
}

/** @param {{ passed: number, failed: number }} counts */
export function summaryLine({ passed, failed }) {
  return `${passed} passed, ${failed} failed`;
}
