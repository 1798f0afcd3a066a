import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_PORTS, envSchema, SERVICE_NAMES } from '../../packages/platform/src/index.js';

const repoRoot = new URL('../../', import.meta.url);

interface ComposeService {
  image?: string;
  build?: string | { context?: string; args?: Record<string, string> };
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string[] | string };
  ports?: string[];
}

async function loadCompose(): Promise<{ services: Record<string, ComposeService> }> {
  const text = await readFile(new URL('docker-compose.yml', repoRoot), 'utf8');
  // merge: the file shares the leadscore environment between services with YAML merge keys (<<).
  return parse(text, { merge: true });
}

/** Compose allows both `KEY: value` maps and `KEY=value` lists. */
function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
}

function builtService(service: ComposeService): string | undefined {
  if (service.build === undefined) return undefined;
  return typeof service.build === 'string' ? 'api' : (service.build.args?.SERVICE ?? 'api');
}

describe('docker-compose.yml', () => {
  it('builds each of the four services, each from a folder that exists under services/', async () => {
    const compose = await loadCompose();
    const serviceFolders = await readdir(fileURLToPath(new URL('services/', repoRoot)));
    const built = Object.values(compose.services)
      .map(builtService)
      .filter((name) => name !== undefined);

    expect([...built].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of built) expect(serviceFolders).toContain(name);
  });

  it('builds from the repository Dockerfile, which takes the service as a build argument', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', repoRoot), 'utf8');
    expect(dockerfile).toMatch(/^ARG SERVICE=/m);
    expect(dockerfile).toMatch(/^FROM node:20-slim|^ARG NODE_IMAGE=node:20-slim$/m);
    const compose = await loadCompose();
    for (const service of Object.values(compose.services)) {
      if (typeof service.build === 'object') expect(service.build.context).toBe('.');
    }
  });

  it('sets only variables the config schema knows on the leadscore services', async () => {
    const compose = await loadCompose();
    const known = Object.keys(envSchema.shape);
    for (const [name, service] of Object.entries(compose.services)) {
      if (builtService(service) === undefined) continue;
      const unknown = Object.keys(environmentOf(service)).filter((key) => !known.includes(key));
      expect(unknown, `${name} sets variables the config schema does not know`).toEqual([]);
    }
  });

  it('gives every leadscore service its database, brokers, port and a /readyz healthcheck', async () => {
    const compose = await loadCompose();
    for (const [name, service] of Object.entries(compose.services)) {
      const built = builtService(service);
      if (built === undefined) continue;
      const env = environmentOf(service);
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(env.KAFKA_BROKERS, name).toBe('kafka:9092');
      expect(env.PORT, name).toBe(String(DEFAULT_PORTS[built as keyof typeof DEFAULT_PORTS]));
      expect(JSON.stringify(service.healthcheck?.test), name).toContain('/readyz');
    }
  });

  it('runs Kafka 3.9 in KRaft mode and PostgreSQL 15', async () => {
    const { services } = await loadCompose();
    expect(services.kafka?.image).toBe('apache/kafka:3.9.1');
    expect(environmentOf(services.kafka ?? {}).KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.postgres?.image).toBe('postgres:15');
  });
});
