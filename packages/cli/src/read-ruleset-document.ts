import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/**
 * The ruleset document a .json, .yaml or .yml file holds, as every `rules` command sends it: without
 * `version`. The catalog numbers versions, so a file written for one version (or copied from an
 * older one) is drafted as the next; `rules validate` checks the same document the other commands
 * draft, so it accepts exactly the files they do.
 */
export async function readRulesetDocument(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  const document: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  // Anything but an object goes as it is, for validation to name the problem.
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  const { version: _numberedByTheCatalog, ...rest } = document as Record<string, unknown>;
  return rest;
}
