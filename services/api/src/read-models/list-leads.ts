import type { Queryable } from '@leadscore/eventstore';
import { type LeadRow, leadColumns, leadFrom } from './lead-row.js';

export type LeadSort = '-score' | 'score';

export interface LeadFilters {
  readonly stage?: string | undefined;
  readonly temperature?: string | undefined;
  readonly grade?: string | undefined;
  readonly minScore?: number | undefined;
  readonly source?: string | undefined;
}

/** Where the previous page ended: the last lead's total and id, the keyset of the list. */
export interface LeadKeyset {
  readonly total: number;
  readonly leadId: string;
}

// Keyset pagination over lead_scores (total DESC, lead_id) and its per-filter twins (0003): each
// page is read by index range scans that start right after the previous page's last row, so page
// 10,000 costs what page 1 costs, and rows inserted meanwhile neither shift nor repeat others.
// Absent filters are NULL parameters; pg plans each statement with its values, so the planner
// drops those predicates and picks the index of the filter that is present.
const filtered = `
SELECT ${leadColumns} FROM ${leadFrom}
 WHERE ($1::text IS NULL OR coalesce(st.stage, 'lead') = $1)
   AND ($2::text IS NULL OR l.temperature = $2)
   AND ($3::text IS NULL OR l.grade = $3)
   AND ($4::float8 IS NULL OR l.total >= $4)
   AND ($5::text IS NULL OR l.source = $5)`;

// "After (total, id)" in an index ordered (total DESC, lead_id ASC) is one contiguous range, but
// no row comparison can say so with mixed directions; an OR would be a filter over everything
// before the cursor. So the rest of the cursor's tie and the lower totals are two ranges, each
// read from its own starting point, merged.
const queries = {
  '-score': {
    first: `${filtered} ORDER BY l.total DESC, l.lead_id LIMIT $6`,
    after: `
SELECT * FROM (
  (${filtered} AND l.total = $6 AND l.lead_id > $7 ORDER BY l.total DESC, l.lead_id LIMIT $8)
  UNION ALL
  (${filtered} AND l.total < $6 ORDER BY l.total DESC, l.lead_id LIMIT $8)
) AS page
ORDER BY total DESC, lead_id LIMIT $8`,
  },
  score: {
    first: `${filtered} ORDER BY l.total, l.lead_id DESC LIMIT $6`,
    after: `
SELECT * FROM (
  (${filtered} AND l.total = $6 AND l.lead_id < $7 ORDER BY l.total, l.lead_id DESC LIMIT $8)
  UNION ALL
  (${filtered} AND l.total > $6 ORDER BY l.total, l.lead_id DESC LIMIT $8)
) AS page
ORDER BY total, lead_id DESC LIMIT $8`,
  },
} as const;

export async function listLeads(
  db: Queryable,
  options: { filters: LeadFilters; sort: LeadSort; after: LeadKeyset | undefined; limit: number },
): Promise<LeadRow[]> {
  const { filters: f, after, limit } = options;
  const filterValues = [
    f.stage ?? null,
    f.temperature ?? null,
    f.grade ?? null,
    f.minScore ?? null,
    f.source ?? null,
  ];
  const { rows } = after
    ? await db.query<LeadRow>(queries[options.sort].after, [
        ...filterValues,
        after.total,
        after.leadId,
        limit,
      ])
    : await db.query<LeadRow>(queries[options.sort].first, [...filterValues, limit]);
  return rows;
}
