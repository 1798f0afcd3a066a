import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { capturedTerminal } from '../test-support/captured-terminal.js';
import { validateRules } from './rules.js';

const example = fileURLToPath(new URL('../../examples/b2b.yaml', import.meta.url));

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'leadscore-cli-validate-'));
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The example, changed by `change`, written to a file of our own. */
async function exampleVariant(name: string, change: (document: Record<string, unknown>) => void) {
  const document = parseYaml(await readFile(example, 'utf8')) as Record<string, unknown>;
  change(document);
  const path = join(folder, name);
  await writeFile(path, name.endsWith('.json') ? JSON.stringify(document) : stringifyYaml(document));
  return path;
}

describe('leadscore rules validate', () => {
  it('accepts the example the README names, which has no version', async () => {
    const terminal = capturedTerminal();
    expect(await validateRules(example, { terminal })).toBe(0);
    expect(terminal.lines.out).toEqual([`${example}: valid ruleset "b2b" (8 engagement rules, 2 fit rules)`]);
    expect(terminal.lines.err).toEqual([]);
  });

  it('ignores a version, as simulate and publish do: the catalog numbers versions', async () => {
    for (const version of [7, 'next']) {
      const path = await exampleVariant(`versioned-${version}.json`, (document) => {
        document.version = version;
      });
      const terminal = capturedTerminal();
      expect(await validateRules(path, { terminal })).toBe(0);
      expect(terminal.lines.err).toEqual([]);
    }
  });

  it('refuses a rule on an event type the webhook refuses, by path, with exit 1', async () => {
    const path = await exampleVariant('typo.yaml', (document) => {
      (document.engagement as Record<string, unknown>[])[0]!.event = 'email.click';
    });
    const terminal = capturedTerminal();
    expect(await validateRules(path, { terminal })).toBe(1);
    expect(terminal.lines.err).toHaveLength(1);
    expect(terminal.lines.err[0]).toMatch(
      new RegExp(
        `^${path}: engagement\\[0\\]\\.event: "email\\.click" is not an event type the webhook accepts`,
      ),
    );
    expect(terminal.lines.out).toEqual([]);
  });

  it('lists every problem at once: those of fields and those between fields, each by path', async () => {
    const path = await exampleVariant('many.yaml', (document) => {
      const grades = document.grades as Record<string, unknown>[];
      const stages = document.stages as Record<string, Record<string, unknown>>;
      (document.engagement as Record<string, unknown>[])[0]!.points = '1';
      grades[0]!.grade = 'F';
      stages.sql!.minTotal = 10;
      stages.demotion!.hysteresis = 0;
      document.autor = 'x';
    });
    const terminal = capturedTerminal();
    expect(await validateRules(path, { terminal })).toBe(1);
    expect(terminal.lines.err).toEqual([
      `${path}: engagement[0].points: Invalid input: expected number, received string`,
      `${path}: autor: is not a field of a ruleset document`,
      `${path}: grades[0].grade: F is the fallback grade below every band`,
      `${path}: grades[1].grade: grades must be listed best first (F before it)`,
      `${path}: stages.sql.minTotal: must be at least the mql threshold 50`,
      `${path}: stages.demotion.hysteresis: must be above 0 when demotion is enabled`,
    ]);
    expect(terminal.lines.out).toEqual([]);
  });
});
