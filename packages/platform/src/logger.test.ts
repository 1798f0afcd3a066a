import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes one JSON object per line, tagged with the service and a readable level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'ingest', level: 'info', destination });
    logger.info({ leadId: 'l-1' }, 'stored');
    logger.debug('below the level');
    expect(lines).toEqual([
      expect.objectContaining({
        service: 'ingest',
        level: 'info',
        leadId: 'l-1',
        msg: 'stored',
        time: expect.any(String),
      }),
    ]);
  });

  it('redacts credentials from request headers and configuration', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'api', level: 'info', destination });
    logger.info(
      {
        req: {
          headers: { authorization: 'Bearer sk-live-123', 'x-api-key': 'sk-live-456', accept: 'text/html' },
        },
        config: { database: { url: 'postgres://u:pw@db/x', poolMax: 5 }, ingest: { hmacSecret: 'whsec' } },
      },
      'request',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/sk-live|pw@db|whsec/);
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'text/html' } },
      config: { database: { url: '[redacted]', poolMax: 5 } },
    });
  });
});
