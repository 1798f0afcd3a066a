import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/** A ruleset document from a .json, .yaml or .yml file. */
export async function readRulesetFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
}
