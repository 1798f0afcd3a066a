import { BootstrapError } from './bootstrap-error.mjs';

/** The oldest Node the project supports (package.json engines): `import.meta.dirname`, test runner APIs. */
export const MIN_NODE_VERSION = '20.11.0';

/**
 * Whether version `actual` ("20.20.2", "v22.1.0") is at least `minimum`.
 * @param {string} actual
 * @param {string} minimum
 */
export function isAtLeast(actual, minimum) {
  const parse = (/** @type {string} */ version) => version.replace(/^v/, '').split('.').map(Number);
  const a = parse(actual);
  const m = parse(minimum);
  for (let i = 0; i < m.length; i += 1) {
    const difference = (a[i] ?? 0) - (m[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * Throws a BootstrapError naming the versions when this Node is too old.
 * @param {string} [actual]
 * @param {string} [minimum]
 */
export function requireNodeVersion(actual = process.versions.node, minimum = MIN_NODE_VERSION) {
  if (!isAtLeast(actual, minimum)) {
    throw new BootstrapError(
      'NODE_TOO_OLD',
      `Node ${minimum} or newer is needed, this is Node ${actual}. Install a current LTS from https://nodejs.org.`,
      { actual, minimum },
    );
  }
}
