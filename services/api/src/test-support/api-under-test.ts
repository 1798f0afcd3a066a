import type { Bus } from '@leadscore/kafka';
import { createLogger, createMetricsRegistry, hashApiKey, loadConfig } from '@leadscore/platform';
import { StageSchema } from '@leadscore/scoring';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { type ApiDependencies, buildApp } from '../app.js';

/** Bearer keys the app under test accepts: one per scope. */
export const TEST_KEYS = { read: 'unit-read-key-0123456789', admin: 'unit-admin-key-0123456789' } as const;

const entry = (id: string, key: string, scopes: string) =>
  `${id}:${hashApiKey(key).toString('hex')}:${scopes}`;

export interface RecordedQuery {
  readonly text: string;
  readonly values: readonly unknown[] | undefined;
}

export interface ApiUnderTest {
  readonly app: FastifyInstance;
  /** Every statement the routes sent to the database, in order. */
  readonly queries: RecordedQuery[];
  /** Every manual stage change the routes asked for. */
  readonly stageChanges: { leadId: string; to: string; actor: string; reason: string }[];
  /** Injects a request with the admin key (it has both scopes) unless `key` says otherwise. */
  request(options: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
}

/**
 * The api service's real app (buildApp: problem+json, API keys, zod schemas, every /v1 route) on
 * a database that answers every statement with no rows and records it. Tests of how requests are
 * refused use it to show a refusal reached nothing: no statement, no stage change.
 */
export async function apiUnderTest(): Promise<ApiUnderTest> {
  const queries: RecordedQuery[] = [];
  const stageChanges: ApiUnderTest['stageChanges'] = [];
  const pool = {
    query: async (text: string | { text: string }, values?: unknown[]) => {
      queries.push({ text: typeof text === 'string' ? text : text.text, values });
      return { rows: [], rowCount: 0 };
    },
  } as unknown as ApiDependencies['pool'];
  const bus = { healthCheck: async () => {}, close: async () => {} } as unknown as Bus;
  const config = loadConfig(
    {
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      KAFKA_BROKERS: '127.0.0.1:1',
      API_KEYS: `${entry('dashboard', TEST_KEYS.read, 'read')},${entry('ops', TEST_KEYS.admin, 'read+admin')}`,
    },
    'api',
  );
  const app = await buildApp(
    {
      config,
      logger: createLogger({ service: 'api', level: 'silent' }),
      pool,
      bus,
      metrics: createMetricsRegistry('api'),
    },
    {
      now: () => Date.parse('2026-03-01T00:00:00Z'),
      changeStageManually: async (leadId, to, actor, reason) => {
        stageChanges.push({ leadId, to, actor, reason });
        return { stage: StageSchema.parse(to), change: undefined };
      },
    },
  );
  return {
    app,
    queries,
    stageChanges,
    request: ({ key = TEST_KEYS.admin, headers, ...options }) =>
      app.inject({
        ...options,
        headers: { ...headers, ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      }),
  };
}

/**
 * An apiUnderTest for the test file that calls this at its top level: built before its tests,
 * closed after them. Returns its accessor.
 */
export function useApiUnderTest(): () => ApiUnderTest {
  let api: ApiUnderTest | undefined;
  beforeAll(async () => {
    api = await apiUnderTest();
  });
  afterAll(async () => {
    await api?.app.close();
  });
  return () => {
    if (api === undefined) throw new Error('useApiUnderTest: the app is used before its beforeAll ran');
    return api;
  };
}
