import { isDeepStrictEqual } from 'node:util';
import {
  appendToStream,
  type NewEvent,
  type Queryable,
  readStream,
  StreamVersionConflictError,
} from '@leadscore/eventstore';
import { defaultRuleset, parseRulesetDocument, type Ruleset } from '@leadscore/scoring';
import {
  RulesetCatalogContendedError,
  RulesetDraftInvalidError,
  RulesetVersionTakenError,
} from './errors.js';
import {
  foldCatalog,
  latestVersion,
  type RulesetCatalogState,
  type RulesetVersion,
} from './ruleset-catalog.js';
import {
  draftedEventId,
  publishedEventId,
  RULESET_DRAFTED,
  RULESET_PUBLISHED,
  RULESETS_STREAM_ID,
  type RulesetDrafted,
  type RulesetPublished,
} from './ruleset-events.js';

/** The whole catalog, folded from its stream (a few events per version: read in one query). */
export async function readCatalog(db: Queryable): Promise<RulesetCatalogState> {
  const { events } = await readStream(db, RULESETS_STREAM_ID);
  return foldCatalog(
    events.map((event) => ({
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt.getTime(),
      streamPosition: event.streamPosition,
    })),
  );
}

/**
 * The catalog's stream version as a SQL expression (bigint; 0 while the stream does not exist, as
 * readStream reads a missing stream): one index probe. Uncorrelated, so a statement that selects
 * it evaluates it once, in its own snapshot: a read can learn whether a cached catalog is current
 * without a round trip of its own.
 */
export const catalogVersionSql = `coalesce((SELECT version FROM eventstore.streams WHERE stream_id = '${RULESETS_STREAM_ID}'), 0)`;

const readCatalogVersionSql = `SELECT ${catalogVersionSql} AS version`;

/** The catalog's stream version alone: one index probe, to tell whether a cached catalog is current. */
export async function readCatalogVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: string }>(readCatalogVersionSql);
  return Number(rows[0]?.version ?? 0);
}

const SYSTEM_AUTHOR = 'leadscore';

/**
 * On a new database, stores `seed` (the product's default ruleset) as version 1 and publishes it.
 * Idempotent and safe to race: every service calls it at start, the first one stores it, and the
 * others find it stored (fixed event ids; an append whose ids are all stored is a no-op).
 */
export async function ensureDefaultRuleset(db: Queryable, seed: Ruleset = defaultRuleset): Promise<void> {
  if ((await readCatalogVersion(db)) > 0) return;
  const ruleset = { ...seed, version: 1 };
  const drafted: RulesetDrafted = { version: 1, ruleset, author: SYSTEM_AUTHOR, comment: 'default ruleset' };
  const published: RulesetPublished = {
    version: 1,
    previousVersion: null,
    author: SYSTEM_AUTHOR,
    comment: 'default ruleset',
    jobId: null,
  };
  const now = new Date();
  try {
    await appendToStream(
      db,
      RULESETS_STREAM_ID,
      [
        { id: draftedEventId(1), type: RULESET_DRAFTED, data: drafted, occurredAt: now },
        { id: publishedEventId(1, 2), type: RULESET_PUBLISHED, data: published, occurredAt: now },
      ],
      { expectedVersion: 'no_stream' },
    );
  } catch (error) {
    // Another instance seeded (or drafted) first: the catalog exists, which is all we need.
    if (!(error instanceof StreamVersionConflictError)) throw error;
  }
}

export interface DraftRequest {
  /** A ruleset document; `version` may be left out (the catalog assigns the next one). */
  readonly document: unknown;
  readonly author: string;
  readonly comment: string;
}

const MAX_DRAFT_ATTEMPTS = 5;

/**
 * The version a draft request stored, or the one it was given back instead (`reused`): a draft
 * with the same content, or the active version when the document equals it.
 */
export type DraftedRuleset = RulesetVersion & { readonly reused: boolean };

/**
 * Stores a new immutable version. The catalog assigns the number; a document that names one must
 * name the next (RulesetVersionTakenError otherwise), which lets a client draft without racing.
 * A document that names no version and equals a draft not yet published, or the active version,
 * gives that version back instead of a copy: drafting the same file again (say, simulating it
 * after each edit) does not pile up identical versions, and a copy of the active version could
 * only be published to rescore every lead for nothing. An invalid document is refused with every
 * problem by path and stores nothing.
 */
export async function draftRuleset(db: Queryable, request: DraftRequest): Promise<DraftedRuleset> {
  const requested = requestedVersion(request.document);
  for (let attempt = 1; attempt <= MAX_DRAFT_ATTEMPTS; attempt += 1) {
    const catalog = await readCatalog(db);
    if (catalog.streamVersion === 0) {
      // Version 1 is the default ruleset on every database: never let a draft take its number.
      await ensureDefaultRuleset(db);
      continue;
    }
    const version = latestVersion(catalog) + 1;
    if (requested !== undefined && requested !== version)
      throw new RulesetVersionTakenError(requested, version);
    const parsed = parseRulesetDocument(request.document);
    if (!parsed.ok) throw new RulesetDraftInvalidError(parsed.issues);
    const ruleset: Ruleset = { ...parsed.document, version };
    const equal = requested === undefined ? equalUnretiredVersion(catalog, ruleset) : undefined;
    if (equal !== undefined) return { ...equal, reused: true };
    const drafted: RulesetDrafted = {
      version,
      ruleset,
      author: request.author,
      comment: request.comment,
    };
    const event: NewEvent = {
      id: draftedEventId(version),
      type: RULESET_DRAFTED,
      data: drafted,
      occurredAt: new Date(),
    };
    try {
      const result = await appendToStream(db, RULESETS_STREAM_ID, [event], {
        expectedVersion: catalog.streamVersion,
      });
      if (result.appended.length === 0) continue; // the id was taken by a concurrent draft
      return {
        version,
        ruleset,
        status: 'draft',
        draftedBy: request.author,
        draftedAt: event.occurredAt.getTime(),
        comment: request.comment,
        published: undefined,
        reused: false,
      };
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError)) throw error;
      if (requested !== undefined) throw new RulesetVersionTakenError(requested, version + 1);
    }
  }
  throw new RulesetCatalogContendedError(MAX_DRAFT_ATTEMPTS);
}

/**
 * The active version or a draft whose rules equal `ruleset`. A retired version is not given back:
 * drafting its rules again makes a new version (publishing the retired one itself rolls back too).
 */
function equalUnretiredVersion(catalog: RulesetCatalogState, ruleset: Ruleset): RulesetVersion | undefined {
  const content = (candidate: Ruleset) => JSON.parse(JSON.stringify({ ...candidate, version: 0 }));
  const wanted = content(ruleset);
  for (const stored of catalog.versions.values()) {
    if (stored.status !== 'retired' && isDeepStrictEqual(content(stored.ruleset), wanted)) return stored;
  }
  return undefined;
}

function requestedVersion(document: unknown): number | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const version = (document as Record<string, unknown>).version;
  return typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : undefined;
}
