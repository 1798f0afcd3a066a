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
// page is an index range scan that starts after the previous page's last row, so a page costs the
// same on page 1 and page 10,000 and rows inserted meanwhile neither shift nor repeat others.
// Absent filters are NULL parameters; pg plans each statement with its values, so the planner
// drops those predicates and picks the index of the filter that is present.
const filters = `
   ($1::text IS NULL OR coalesce(st.stage, 'lead') = $1)
   AND ($2::text IS NULL OR l.temperature = $2)
   AND ($3::text IS NULL OR l.grade = $3)
   AND ($4::float8 IS NULL OR l.total >= $4)
   AND ($5::text IS NULL OR l.source = $5)`;

const highestFirstSql = `
SELECT ${leadColumns} FROM ${leadFrom}
 WHERE ${filters}
   AND ($6::float8 IS NULL OR l.total < $6 OR (l.total = $6 AND l.lead_id > $7))
 ORDER BY l.total DESC, l.lead_id
 LIMIT $8`;

const lowestFirstSql = `
SELECT ${leadColumns} FROM ${leadFrom}
 WHERE ${filters}
   AND ($6::float8 IS NULL OR l.total > $6 OR (l.total = $6 AND l.lead_id < $7))
 ORDER BY l.total, l.lead_id DESC
 LIMIT $8`;

export async function listLeads(
  db: Queryable,
  options: { filters: LeadFilters; sort: LeadSort; after: LeadKeyset | undefined; limit: number },
): Promise<LeadRow[]> {
  const { filters: f, after } = options;
  const { rows } = await db.query<LeadRow>(options.sort === '-score' ? highestFirstSql : lowestFirstSql, [
    f.stage ?? null,
    f.temperature ?? null,
    f.grade ?? null,
    f.minScore ?? null,
    f.source ?? null,
    after?.total ?? null,
    after?.leadId ?? null,
    options.limit,
  ]);
  return rows;
}
