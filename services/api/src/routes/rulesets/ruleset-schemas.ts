import { type RulesetVersion, rulesetAuthorSchema, rulesetCommentSchema } from '@leadscore/rulesets';
import { parseRulesetDocument, RulesetSchema } from '@leadscore/scoring';
import { z } from 'zod';
import { Instant } from '../../http/common-schemas.js';

export const RulesetDocument = RulesetSchema.meta({
  id: 'Ruleset',
  description:
    'A ruleset document: engagement and fit rules, decay, total floor and cap, grades, temperatures, stages',
});

export const RulesetVersionParam = z
  .string()
  .regex(/^(active|[1-9][0-9]{0,8})$/, 'must be a version number or "active"')
  .describe('A version number, or "active" for the published one');

export const RulesetSummary = z
  .object({
    version: z.number().int(),
    rulesetId: z.string(),
    status: z
      .enum(['draft', 'active', 'retired'])
      .describe('draft: never published; retired: published before'),
    description: z.string().nullable(),
    draftedBy: z.string(),
    draftedAt: Instant,
    comment: z.string(),
    published: z
      .object({ by: z.string(), at: Instant, comment: z.string(), jobId: z.string().nullable() })
      .nullable()
      .describe('The latest publication of this version, if any'),
  })
  .meta({ id: 'RulesetVersion' });

export const RulesetWithDocument = RulesetSummary.extend({ ruleset: RulesetDocument });

const Attribution = {
  author: rulesetAuthorSchema
    .optional()
    .describe('Who is doing it (a person or tool); recorded beside the API key id'),
  comment: rulesetCommentSchema.default('').describe('Why, in their words'),
};

/** "engagement[2].points" -> ["engagement", 2, "points"]: a path as parseRulesetDocument writes it. */
function segmentsOf(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|\.?([^.[\]]+)/g)].map(([, index, key]) =>
    index === undefined ? (key as string) : Number(index),
  );
}

/**
 * The document's problems, as problems of the body: fastify's validation lists them beside those
 * of the rest of the body (an unknown field beside `ruleset`, a bad author) in one 400, where a
 * refusal from the handler could only come once the rest of the body is valid.
 */
function checkDocument(document: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const parsed = parseRulesetDocument(document);
  if (parsed.ok) return;
  for (const issue of parsed.issues) {
    ctx.addIssue({ code: 'custom', path: segmentsOf(issue.path), message: issue.message });
  }
}

export const DraftBody = z.strictObject({
  ruleset: z
    .record(z.string(), z.unknown())
    .superRefine(checkDocument)
    .describe(
      'The ruleset document (see the Ruleset schema). `version` may be left out: the catalog assigns the ' +
        'next one; when given it must be that one',
    ),
  ...Attribution,
});

export const PublishBody = z.strictObject(Attribution);

const iso = (epochMs: number) => new Date(epochMs).toISOString();

export function presentSummary(entry: RulesetVersion): z.infer<typeof RulesetSummary> {
  return {
    version: entry.version,
    rulesetId: entry.ruleset.id,
    status: entry.status,
    description: entry.ruleset.description ?? null,
    draftedBy: entry.draftedBy,
    draftedAt: iso(entry.draftedAt),
    comment: entry.comment,
    published: entry.published === undefined ? null : { ...entry.published, at: iso(entry.published.at) },
  };
}

/** The recorded author: the person named, and always the API key that acted. */
export function authorOf(author: string | undefined, keyId: string | undefined): string {
  const key = `api-key:${keyId ?? 'unknown'}`;
  return author === undefined ? key : `${author} (${key})`;
}
