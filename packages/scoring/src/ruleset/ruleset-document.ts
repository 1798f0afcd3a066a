import { isActivityType, knownActivityTypes } from '@leadscore/contracts';
import { z } from 'zod';
import { type Issue, toIssues } from '../errors.js';
import { safeParseConsistent } from './consistency.js';
import { EngagementRuleSchema, type Ruleset, RulesetShape } from './ruleset.schema.js';

/**
 * The event an engagement rule scores, in a document offered as a new version: a type the webhook
 * accepts. Any other (a typo such as "email.click") can never arrive, so its rule would never
 * match and score nothing without a word.
 *
 * RulesetSchema itself does not check it: versions stored before this check must stay readable,
 * and the engine scores whatever types it is given.
 */
const RuleEventSchema = z.string().superRefine((type, ctx) => {
  if (isActivityType(type)) return;
  ctx.addIssue({
    code: 'custom',
    message: `"${type}" is not an event type the webhook accepts: use one of ${knownActivityTypes.join(', ')}, or custom.<name>`,
  });
});

/**
 * A ruleset document as a person writes it, to draft (POST /v1/rulesets, `leadscore rules
 * validate`): a ruleset whose engagement rules name event types the webhook accepts, and whose
 * `version` may be left out, since the catalog numbers versions.
 */
const RulesetDocumentShape = RulesetShape.extend({
  version: RulesetShape.shape.version.optional(),
  engagement: z.array(EngagementRuleSchema.extend({ event: RuleEventSchema })).min(1),
});

export type RulesetDocument = Omit<Ruleset, 'version'> & { readonly version?: number };

export type RulesetDocumentParseResult =
  | { ok: true; document: RulesetDocument }
  | { ok: false; issues: Issue[] };

/**
 * Validates a document to draft; on failure lists every problem found, each with its path: those
 * of fields, then those between fields, each checked whenever the fields it compares are valid
 * (an invalid field elsewhere does not hide it).
 */
export function parseRulesetDocument(json: unknown): RulesetDocumentParseResult {
  const result = safeParseConsistent(RulesetDocumentShape, json);
  return result.success ? { ok: true, document: result.data } : { ok: false, issues: toIssues(result.error) };
}
