import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootstrapError } from './bootstrap-error.mjs';

/** Same as package.json "packageManager"; fetched by npx, so nothing has to be installed globally. */
export const PNPM = 'pnpm@10.34.8';

// pnpm writes node_modules/.modules.yaml when it installs. Our own stamp, written after each
// successful install, covers an install that had nothing to do and may leave pnpm's file older
// than a freshly checked-out lockfile (which would otherwise trigger an install on every run).
const PNPM_MARKER = 'node_modules/.modules.yaml';
const OUR_MARKER = 'node_modules/.leadscore-installed';
const INSTALL_MARKERS = [PNPM_MARKER, OUR_MARKER];

/** @param {string} path */
function mtimeMs(path) {
  return existsSync(path) ? statSync(path).mtimeMs : undefined;
}

/**
 * Why `pnpm install` must run in `root`, or undefined when node_modules is up to date:
 * it is missing, or older than pnpm-lock.yaml.
 * @param {string} root
 * @returns {string | undefined}
 */
export function installReason(root) {
  const installedAt = INSTALL_MARKERS.map((marker) => mtimeMs(join(root, marker))).filter(
    (t) => t !== undefined,
  );
  if (installedAt.length === 0) return 'node_modules is missing';
  const lockfileAt = mtimeMs(join(root, 'pnpm-lock.yaml'));
  if (lockfileAt !== undefined && lockfileAt > Math.max(...installedAt)) {
    return 'pnpm-lock.yaml is newer than node_modules';
  }
  return undefined;
}

/**
 * Installs the workspace's dependencies exactly as locked when they are missing or stale.
 * @param {{ root: string, log?: (message: string) => void }} options
 * @returns {boolean} whether an install ran
 */
export function ensureDependencies({ root, log = (message) => process.stderr.write(`${message}\n`) }) {
  const reason = installReason(root);
  if (!reason) return false;
  log(`${reason}: installing dependencies with ${PNPM} (npx fetches pnpm on first use)`);
  const result = spawnSync('npx', ['--yes', PNPM, 'install', '--frozen-lockfile'], {
    cwd: root,
    stdio: 'inherit',
    // npx is a .cmd script on Windows, which only a shell can run.
    shell: process.platform === 'win32',
  });
  if (result.error || result.status !== 0) {
    throw new BootstrapError(
      'INSTALL_FAILED',
      `installing dependencies failed (${result.error?.message ?? `exit code ${result.status}`}). ` +
        `Check the network, then run: npx --yes ${PNPM} install --frozen-lockfile`,
      { status: result.status },
    );
  }
  writeFileSync(join(root, OUR_MARKER), `${new Date().toISOString()}\n`);
  return true;
}
