import type { Ruleset } from '@leadscore/scoring';
import {
  RULESET_DRAFTED,
  RULESET_PUBLISHED,
  type RulesetDrafted,
  RulesetDraftedSchema,
  RulesetPublishedSchema,
} from './ruleset-events.js';

/** draft: never published; active: the one version scoring uses now; retired: published before. */
export type RulesetStatus = 'draft' | 'active' | 'retired';

export interface RulesetVersion {
  readonly version: number;
  readonly ruleset: Ruleset;
  readonly status: RulesetStatus;
  readonly draftedBy: string;
  readonly draftedAt: number;
  readonly comment: string;
  readonly published:
    | {
        readonly by: string;
        readonly at: number;
        readonly comment: string;
        readonly jobId: string | null;
      }
    | undefined;
}

/** The catalog as its stream tells it: every version, and which one is active. */
export interface RulesetCatalogState {
  readonly versions: ReadonlyMap<number, RulesetVersion>;
  readonly activeVersion: number | undefined;
  /** Version of the rulesets stream the state was folded from (0: empty). */
  readonly streamVersion: number;
}

export const emptyCatalog: RulesetCatalogState = {
  versions: new Map(),
  activeVersion: undefined,
  streamVersion: 0,
};

/** A stored event of the rulesets stream, reduced to what the fold needs. */
export interface CatalogEvent {
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: number;
  readonly streamPosition: number;
}

/**
 * Folds the rulesets stream (pure). Events are parsed with their schemas: a stored ruleset that no
 * longer validates is a bug to surface loudly, never a version to score with.
 */
export function evolveCatalog(catalog: RulesetCatalogState, event: CatalogEvent): RulesetCatalogState {
  const versions = new Map(catalog.versions);
  let activeVersion = catalog.activeVersion;
  if (event.type === RULESET_DRAFTED) {
    const drafted: RulesetDrafted = RulesetDraftedSchema.parse(event.data);
    versions.set(drafted.version, {
      version: drafted.version,
      ruleset: drafted.ruleset,
      status: 'draft',
      draftedBy: drafted.author,
      draftedAt: event.occurredAt,
      comment: drafted.comment,
      published: undefined,
    });
  } else if (event.type === RULESET_PUBLISHED) {
    const published = RulesetPublishedSchema.parse(event.data);
    const entry = versions.get(published.version);
    if (entry === undefined) throw new Error(`RulesetPublished names unknown version ${published.version}`);
    const previous = activeVersion === undefined ? undefined : versions.get(activeVersion);
    if (previous !== undefined) versions.set(previous.version, { ...previous, status: 'retired' });
    versions.set(entry.version, {
      ...entry,
      status: 'active',
      published: {
        by: published.author,
        at: event.occurredAt,
        comment: published.comment,
        jobId: published.jobId,
      },
    });
    activeVersion = published.version;
  }
  return { versions, activeVersion, streamVersion: event.streamPosition };
}

export function foldCatalog(events: Iterable<CatalogEvent>): RulesetCatalogState {
  let catalog = emptyCatalog;
  for (const event of events) catalog = evolveCatalog(catalog, event);
  return catalog;
}

/** The highest version number drafted so far (0 for an empty catalog). */
export function latestVersion(catalog: RulesetCatalogState): number {
  return Math.max(0, ...catalog.versions.keys());
}
