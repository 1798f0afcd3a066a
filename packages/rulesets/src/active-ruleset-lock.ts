import type pg from 'pg';

// Two-key advisory locks, apart from the event store's ('est', 'rly') and node-pg-migrate's.
const rulesetLockClass = 0x72736c; // 'rsl'
const activeRulesetKey = 1;

/**
 * The switch between ruleset versions. A scorer holds the shared lock for the whole transaction in
 * which it reads the active version and writes scores with it; a publication takes it exclusively.
 * So when the publication commits, no transaction that read the old version is still writing, and
 * every later one reads the new version: the rescoring job that starts then can never be undone
 * by a scorer still working with the old version.
 */
// The shared side as a statement without parameters: scorers send it with their BEGIN
// (StoredRulesets.activeOpening), so taking it costs no round trip of its own.
export const holdActiveRulesetSharedSql = `SELECT pg_advisory_xact_lock_shared(${rulesetLockClass}, ${activeRulesetKey})`;

export async function holdActiveRulesetExclusive(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [rulesetLockClass, activeRulesetKey]);
}
