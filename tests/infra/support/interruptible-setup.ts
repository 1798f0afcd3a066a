// A process that holds what a test setup holds (a child process and a temp dir) and tears it down
// on signals as the real setup does, with a teardown step that takes 30 s (a broker slow to shut
// down). Prints `{"pid":<child pid>,"dir":"<temp dir>"}` once ready. Used by teardown-signals.test.ts.
import { join } from 'node:path';
import { startProcess } from '../../setup/processes.js';
import { runTeardownOnSignals, Teardown } from '../../setup/teardown.js';
import { makeTempDir } from '../../setup/temp-dir.js';

const dir = await makeTempDir('leadscore-signal-test-');
const child = startProcess({
  name: 'sleeper',
  command: process.execPath,
  args: ['-e', 'setInterval(() => {}, 1000)'],
  logFile: join(dir.path, 'sleeper.log'),
});
const teardown = new Teardown((line) => process.stderr.write(`${line}\n`));
teardown.add('temp dir', () => dir.remove());
teardown.add('sleeper', () => child.stop());
teardown.add('a slow step', () => new Promise((resolve) => setTimeout(resolve, 30_000)));
runTeardownOnSignals(teardown, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${JSON.stringify({ pid: child.pid, dir: dir.path })}\n`);
setInterval(() => {}, 1000);
