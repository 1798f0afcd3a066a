import { RulesetSchema } from '@leadscore/scoring';
import { z } from 'zod';

/**
 * Every ruleset version lives in ONE stream: versions are numbered across the whole catalog, so
 * `default@3` and a renamed `b2b@4` can never collide, and the stream version is what makes
 * drafting and publishing optimistic (expectedVersion) without a table of our own.
 */
export const RULESETS_STREAM_ID = 'rulesets';

export const RULESET_DRAFTED = 'RulesetDrafted';
export const RULESET_PUBLISHED = 'RulesetPublished';

const AuthorSchema = z.string().trim().min(1).max(120);
const CommentSchema = z.string().max(2_000);

/** A new version, immutable from now on; `ruleset.version` is the version it was stored as. */
export const RulesetDraftedSchema = z.object({
  version: z.number().int().positive(),
  ruleset: RulesetSchema,
  author: AuthorSchema,
  comment: CommentSchema,
});
export type RulesetDrafted = z.infer<typeof RulesetDraftedSchema>;

/** A drafted version became the active one; the rescoring job rebuilds lead_scores under it. */
export const RulesetPublishedSchema = z.object({
  version: z.number().int().positive(),
  /** The version that was active until now; null for the first publication. */
  previousVersion: z.number().int().positive().nullable(),
  author: AuthorSchema,
  comment: CommentSchema,
  /** The rescoring job started by this publication; null for the seeded first version (no scores yet). */
  jobId: z.string().min(1).nullable(),
});
export type RulesetPublished = z.infer<typeof RulesetPublishedSchema>;

export const rulesetAuthorSchema = AuthorSchema;
export const rulesetCommentSchema = CommentSchema;

/** Event ids are derived from the version, so a retried draft or publication is stored once. */
export const draftedEventId = (version: number): string => `ruleset-v${version}-drafted`;
// A retired version may be published again (a rollback), so the stream position is part of the id.
export const publishedEventId = (version: number, streamPosition: number): string =>
  `ruleset-v${version}-published-${streamPosition}`;
