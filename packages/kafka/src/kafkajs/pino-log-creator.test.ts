import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { pinoLogCreator } from './pino-log-creator.js';

/** A kafkajs logger writing through pinoLogCreator into lines we can read. */
function kafkajsLogger() {
  const lines: { level: number; msg: string; kafkajs: string; error?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const log = pinoLogCreator(logger)(logLevel.DEBUG);
  const entry = (namespace: string, level: logLevel, message: string, extra: Record<string, unknown>) =>
    log({
      namespace,
      level,
      label: 'ERROR',
      log: { timestamp: '2026-12-07T09:00:00Z', logger: 'kafkajs', message, ...extra },
    });
  return { lines, entry };
}

const PINO_DEBUG = 20;
const PINO_ERROR = 50;

describe('kafkajs log lines in pino', () => {
  it('puts the answer to creating a topic that already exists at debug: it comes at every restart', () => {
    const { lines, entry } = kafkajsLogger();
    entry('Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', {
      broker: '127.0.0.1:9092',
      clientId: 'leadscore-ingest',
      error: 'Topic creation errors',
      correlationId: 4,
      size: 87,
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: PINO_DEBUG,
        kafkajs: 'Connection',
        error: 'Topic creation errors',
        msg: 'Response CreateTopics(key: 19, version: 3)',
      }),
    ]);
  });

  it('keeps every other error at error, other answers to CreateTopics included', () => {
    const { lines, entry } = kafkajsLogger();
    entry('Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', {
      error: 'The request timed out',
    });
    entry('Connection', logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', {
      error: 'Topic creation errors',
    });
    entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', {});
    expect(lines.map((line) => line.level)).toEqual([PINO_ERROR, PINO_ERROR, PINO_ERROR]);
  });
});
