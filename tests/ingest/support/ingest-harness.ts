import { hashApiKey } from '../../../packages/platform/src/index.js';
import { buildApp } from '../../../services/ingest/src/app.js';
import { INGEST_PRODUCER_SETTINGS } from '../../../services/ingest/src/ingest-module.js';
import { type ServiceSite, type ServiceUnderTest, startService } from '../../support/service-harness.js';

/** Keys the harness configures: one with the ingest scope, one without. */
export const INGEST_KEY = 'test-ingest-key-0123456789';
export const READ_ONLY_KEY = 'test-read-only-key-0123456789';

export interface IngestUnderTest extends ServiceUnderTest {
  readonly url: string;
}

export interface StartIngestOptions extends ServiceSite {
  /** More environment variables, e.g. INGEST_HMAC_SECRET or INGEST_RUN_CONSUMER=false. */
  readonly env?: Readonly<Record<string, string>>;
}

function keyEntry(id: string, key: string, scopes: string): string {
  return `${id}:${hashApiKey(key).toString('hex')}:${scopes}`;
}

/**
 * The ingest service as production builds it (config from environment variables, then buildApp)
 * on the real broker and a test database, listening on a loopback port.
 */
export async function startIngest(options: StartIngestOptions): Promise<IngestUnderTest> {
  const ingest = await startService({
    ...options,
    service: 'ingest',
    env: {
      INGEST_API_KEYS: [
        keyEntry('esp', INGEST_KEY, 'ingest'),
        keyEntry('dashboard', READ_ONLY_KEY, 'read'),
      ].join(','),
      INGEST_RATE_LIMIT_PER_SECOND: '100000',
      INGEST_RATE_LIMIT_BURST: '100000',
      ...options.env,
    },
    poolSize: 5,
    // Published as the service publishes (two producer lanes), so per-lead order is tested with them.
    producer: INGEST_PRODUCER_SETTINGS,
    build: buildApp,
  });
  const url = await ingest.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...ingest, url };
}
