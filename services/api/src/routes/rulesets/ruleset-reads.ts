import { diffRulesets } from '@leadscore/rulesets';
import { z } from 'zod';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { seededCatalog, versionOf } from './catalog-access.js';
import { rulesetProblemResponses, toRulesetProblem } from './ruleset-problems.js';
import {
  presentSummary,
  RulesetSummary,
  RulesetVersionParam,
  RulesetWithDocument,
} from './ruleset-schemas.js';

const FieldChange = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });
const RuleRef = z.object({ section: z.enum(['engagement', 'fit']), id: z.string() });

const RulesetDiff = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    added: z.array(RuleRef),
    removed: z.array(RuleRef),
    changed: z.array(RuleRef.extend({ changes: z.array(FieldChange) })),
    settings: z
      .array(FieldChange)
      .describe('Changes outside the rules: decay, total, grades, temperatures, stages'),
  })
  .meta({ id: 'RulesetDiff' });

/** GET /v1/rulesets, GET /v1/rulesets/{version}, GET /v1/rulesets/{a}/diff/{b}. */
export function rulesetReadRoutes(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/rulesets',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'listRulesets',
        summary: 'Every ruleset version, newest first, and the active one',
        tags: ['rulesets'],
        security: requires('admin'),
        response: {
          200: z.object({ activeVersion: z.number().int().nullable(), versions: z.array(RulesetSummary) }),
          ...rulesetProblemResponses(400, 401, 403),
        },
      },
    },
    async () => {
      const catalog = await seededCatalog(context.db);
      const versions = [...catalog.versions.values()].sort((a, b) => b.version - a.version);
      return { activeVersion: catalog.activeVersion ?? null, versions: versions.map(presentSummary) };
    },
  );

  app.get(
    '/v1/rulesets/:version',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'getRuleset',
        summary: 'One ruleset version with its document',
        tags: ['rulesets'],
        security: requires('admin'),
        params: z.object({ version: RulesetVersionParam }),
        response: { 200: RulesetWithDocument, ...rulesetProblemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      try {
        const entry = versionOf(await seededCatalog(context.db), request.params.version);
        return { ...presentSummary(entry), ruleset: entry.ruleset };
      } catch (error) {
        return toRulesetProblem(error);
      }
    },
  );

  app.get(
    '/v1/rulesets/:a/diff/:b',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'diffRulesets',
        summary: 'What changes from version a to version b: rules added, removed and changed, settings',
        description: 'Rules are matched by id within their section; each changed field is listed by path.',
        tags: ['rulesets'],
        security: requires('admin'),
        params: z.object({ a: RulesetVersionParam, b: RulesetVersionParam }),
        response: { 200: RulesetDiff, ...rulesetProblemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      try {
        const catalog = await seededCatalog(context.db);
        const from = versionOf(catalog, request.params.a);
        const to = versionOf(catalog, request.params.b);
        const diff = diffRulesets(from.ruleset, to.ruleset);
        return {
          from: from.version,
          to: to.version,
          added: [...diff.added],
          removed: [...diff.removed],
          changed: diff.changed.map((rule) => ({ ...rule, changes: [...rule.changes] })),
          settings: [...diff.settings],
        };
      } catch (error) {
        return toRulesetProblem(error);
      }
    },
  );
}
