// `npm start`: everything a newcomer needs, on a fresh clone with nothing but Node installed.
// Installs the locked dependencies when missing, then runs every service in one process
// (services/quickstart): PGlite under .leadscore/ and the in-process bus, or DATABASE_URL and
// KAFKA_BROKERS when both are set.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BootstrapError } from './lib/bootstrap-error.mjs';
import { ensureDependencies } from './lib/ensure-dependencies.mjs';
import { requireNodeVersion } from './lib/node-version.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  requireNodeVersion();
  ensureDependencies({ root });
} catch (error) {
  if (!(error instanceof BootstrapError)) throw error;
  process.stderr.write(`leadscore: ${error.message}\n`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'services/quickstart/src/main.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
// The quickstart shuts down gracefully on SIGINT/SIGTERM; pass them on and leave with its code.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `npm start` runs this through `sh -c`, and on SIGTERM npm kills that shell, which passes nothing
// on: the quickstart would outlive it, holding its ports and its data folder. So under npm, the
// parent going away (this process handed to another) stops it as SIGTERM would.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill('SIGTERM');
  }, 500);
  watch.unref();
}
