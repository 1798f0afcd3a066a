import { describe, expect, it } from 'vitest';
import {
  CONFIG_TABLE_BEGIN,
  CONFIG_TABLE_END,
  describeConfigVariables,
  embedConfigTable,
  renderConfigTable,
} from './config-table.js';
import { envSchema } from './env-schema.js';

describe('the configuration table', () => {
  it('documents every variable of the schema, each with a description', () => {
    const docs = describeConfigVariables();
    expect(docs.map((doc) => doc.variable)).toEqual(Object.keys(envSchema.shape));
    for (const doc of docs) expect(doc.description.length, doc.variable).toBeGreaterThan(10);
  });

  it('shows defaults, required and optional variables as parsing an unset variable does', () => {
    const byName = new Map(describeConfigVariables().map((doc) => [doc.variable, doc.default]));
    expect(byName.get('DATABASE_URL')).toBe('required');
    expect(byName.get('KAFKA_BROKERS')).toBe('required');
    expect(byName.get('PORT')).toBe('optional');
    expect(byName.get('MIGRATE_ON_START')).toBe('`true`');
    expect(byName.get('DATABASE_POOL_MAX')).toBe('`10`');
    expect(byName.get('TOPIC_PREFIX')).toBe('(empty)');
  });

  it('renders one Markdown row per variable, columns aligned', () => {
    const lines = renderConfigTable().split('\n');
    expect(lines).toHaveLength(2 + Object.keys(envSchema.shape).length);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    const logLevel = lines.find((line) => line.startsWith('| `LOG_LEVEL` '));
    expect(logLevel?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      '`LOG_LEVEL`',
      '`info`',
      envSchema.shape.LOG_LEVEL.description,
      '',
    ]);
  });

  it('replaces only what lies between the markers, and is stable', () => {
    const readme = `# title\n\n${CONFIG_TABLE_BEGIN}\nold table\n${CONFIG_TABLE_END}\n\nafter\n`;
    const embedded = embedConfigTable(readme);
    expect(embedded.startsWith(`# title\n\n${CONFIG_TABLE_BEGIN}\n\n| variable `)).toBe(true);
    expect(embedded.endsWith(`${CONFIG_TABLE_END}\n\nafter\n`)).toBe(true);
    expect(embedded).not.toContain('old table');
    expect(embedConfigTable(embedded)).toBe(embedded);
  });

  it('refuses a document without markers', () => {
    expect(() => embedConfigTable('# no table here')).toThrow(/markers not found/);
  });
});
