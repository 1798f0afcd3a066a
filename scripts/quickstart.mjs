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
