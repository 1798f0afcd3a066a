import { InstanceLockedError } from './instance-lock.js';
import { startQuickstart } from './quickstart.js';

try {
  await startQuickstart(process.env);
} catch (error) {
  if (!(error instanceof InstanceLockedError)) throw error;
  process.stderr.write(`leadscore quickstart: ${error.message}\n`);
  process.exit(1);
}
