import { randomUUID } from 'node:crypto';
import {
  appendToStream,
  atomically,
  type Queryable,
  StreamVersionConflictError,
} from '@leadscore/eventstore';
import { holdActiveRulesetExclusive } from './active-ruleset-lock.js';
import {
  RulesetAlreadyActiveError,
  RulesetCatalogContendedError,
  RulesetVersionNotFoundError,
} from './errors.js';
import type { RescoringJob } from './rescoring/rescoring-job.js';
import { createRescoringJob } from './rescoring/rescoring-job-table.js';
import {
  publishedEventId,
  RULESET_PUBLISHED,
  RULESETS_STREAM_ID,
  type RulesetPublished,
} from './ruleset-events.js';
import { readCatalog } from './ruleset-store.js';

export interface PublishRequest {
  readonly version: number;
  readonly author: string;
  readonly comment: string;
}

export interface PublishResult {
  readonly version: number;
  readonly previousVersion: number | null;
  readonly job: RescoringJob;
}

/**
 * Makes a drafted (or retired) version the active one and starts its rescoring job, atomically:
 * the RulesetPublished event and the job row commit together. The exclusive switch lock waits
 * for every scoring transaction still working with the old version (see active-ruleset-lock.ts).
 * The job still running, under the version active until now (a publication's job or a rebuild),
 * is superseded: its status says so, and its progress how far it got.
 */
export async function publishRuleset(db: Queryable, request: PublishRequest): Promise<PublishResult> {
  for (let attempt = 1; attempt <= MAX_PUBLISH_ATTEMPTS; attempt += 1) {
    try {
      return await publishOnce(db, request);
    } catch (error) {
      // A draft landed between reading the catalog and appending: read it again.
      if (!(error instanceof StreamVersionConflictError)) throw error;
    }
  }
  throw new RulesetCatalogContendedError(MAX_PUBLISH_ATTEMPTS);
}

const MAX_PUBLISH_ATTEMPTS = 5;

function publishOnce(db: Queryable, request: PublishRequest): Promise<PublishResult> {
  return atomically(db, 'publishRuleset', async (client) => {
    await holdActiveRulesetExclusive(client);
    const catalog = await readCatalog(client);
    const entry = catalog.versions.get(request.version);
    if (entry === undefined) throw new RulesetVersionNotFoundError(request.version);
    if (catalog.activeVersion === request.version) throw new RulesetAlreadyActiveError(request.version);
    const jobId = `rsj_${randomUUID()}`;
    const previousVersion = catalog.activeVersion ?? null;
    const published: RulesetPublished = {
      version: request.version,
      previousVersion,
      author: request.author,
      comment: request.comment,
      jobId,
    };
    // The exclusive lock serialises publications; only a concurrent draft can move the stream.
    await appendToStream(
      client,
      RULESETS_STREAM_ID,
      [
        {
          id: publishedEventId(request.version, catalog.streamVersion + 1),
          type: RULESET_PUBLISHED,
          data: published,
          occurredAt: new Date(),
        },
      ],
      { expectedVersion: catalog.streamVersion },
    );
    const job = await createRescoringJob(client, {
      jobId,
      rulesetId: entry.ruleset.id,
      rulesetVersion: request.version,
      previousVersion,
      requestedBy: request.author,
    });
    return { version: request.version, previousVersion, job };
  });
}
