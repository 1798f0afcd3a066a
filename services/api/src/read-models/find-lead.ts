import { emailLeadId } from '@leadscore/contracts';
import type { Queryable } from '@leadscore/eventstore';
import { type LeadRow, leadColumns, leadFrom } from './lead-row.js';

const byIdSql = `SELECT ${leadColumns} FROM ${leadFrom} WHERE l.lead_id = $1`;

// Several leads can carry one address (a source sent it once by id, once by email alone): the
// lead keyed by the address itself wins, then the one whose latest event is the most recent.
const byEmailSql = `
SELECT ${leadColumns} FROM ${leadFrom}
 WHERE l.email = $1
 ORDER BY (l.lead_id = $2) DESC, l.scored_at DESC, l.lead_id
 LIMIT 1`;

export async function findLeadById(db: Queryable, leadId: string): Promise<LeadRow | undefined> {
  const { rows } = await db.query<LeadRow>(byIdSql, [leadId]);
  return rows[0];
}

/** `email` must be normalised (trimmed, lower case), as the read model stores it. */
export async function findLeadByEmail(db: Queryable, email: string): Promise<LeadRow | undefined> {
  const { rows } = await db.query<LeadRow>(byEmailSql, [email, emailLeadId(email)]);
  return rows[0];
}
