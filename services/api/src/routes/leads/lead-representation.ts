import type { ScoreView } from '@leadscore/scoring';
import type { LeadRow } from '../../read-models/lead-row.js';
import type { Standing } from '../../scores/current-score.js';
import type { Lead } from './lead-schemas.js';

export function toScore(view: ScoreView) {
  return {
    at: new Date(view.at).toISOString(),
    total: view.total,
    engagement: view.engagement,
    fit: view.fit,
    grade: view.grade,
    temperature: view.temperature,
  };
}

function toTouch(touch: Record<string, unknown> | null) {
  if (touch === null) return null;
  const { at, ...source } = touch;
  return { ...source, at: new Date(at as number).toISOString() };
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/** A lead of the read models, with where it stands now, as the API shows it. */
export function toLead(row: LeadRow, now: Standing): Lead {
  return {
    id: row.lead_id,
    email: row.email,
    stage: { name: (row.stage ?? 'lead') as Lead['stage']['name'], since: iso(row.stage_since) },
    score: toScore(now.view),
    scored: {
      at: row.scored_at.toISOString(),
      total: row.total,
      temperature: row.temperature,
      eventId: row.last_event_id,
    },
    ruleset: { id: row.ruleset_id, version: row.ruleset_version },
    twoWayAt: iso(row.two_way_at),
    firstTouch: toTouch(row.first_touch),
    lastTouch: toTouch(row.last_touch),
    nextCrossingAt: now.nextCrossingAt === null ? null : new Date(now.nextCrossingAt).toISOString(),
  };
}
