import { defineConfig } from 'vitest/config';

// Two projects: unit tests live beside the code and need nothing running;
// integration tests live in tests/ and get a real Kafka broker and PostgreSQL
// from tests/setup/global-setup.ts.
export default defineConfig({
  test: {
    // Two files at a time, also on 2 cores where vitest's default (cores - 1) is one: most of an
    // integration file's time is spent waiting on Kafka, PostgreSQL and child processes, and
    // files are isolated from each other (a database and a topic prefix each, see
    // tests/support/infra.ts). Measured figures: docs/DEVELOPMENT.md.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/**/src/**/*.test.ts', 'services/**/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
