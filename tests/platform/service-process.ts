// Moved to tests/support/service-process.ts, shared with tests/e2e.
export * from '../support/service-process.js';
