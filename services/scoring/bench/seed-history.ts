import { compileRuleset, defaultRuleset, emptyLeadState } from '@leadscore/scoring';
import type pg from 'pg';

// A stored history made by the server itself (generate_series): seeding is not what is measured,
// so it skips the append path. Leads get a mix of clicks, opens, pricing visits and downloads.
const seedStreamsSql = `
INSERT INTO eventstore.streams (stream_id, version, first_occurred_at)
SELECT 'lead-bench-' || lpad(i::text, 7, '0'), $2::bigint,
       timestamptz '2026-01-01' + i * interval '1 second' + interval '37 minutes'
  FROM generate_series(1, $1::int) AS i`;

const seedMessagesSql = `
INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at)
SELECT 'lead-bench-' || lpad(i::text, 7, '0'), p, 'bench-' || i || '-' || p,
       (ARRAY['email.clicked', 'email.opened', 'page.visited', 'content.downloaded'])[1 + (i + p) % 4],
       CASE WHEN (i + p) % 4 = 2 THEN '{"properties": {"url": "https://acme.example/pricing"}}'::jsonb
            ELSE '{"email": "bench@acme.example"}'::jsonb END,
       timestamptz '2026-01-01' + i * interval '1 second' + p * interval '37 minutes'
  FROM generate_series($2::int, $3::int) AS i, generate_series(1, $1::int) AS p`;

// Scored under version 1 with an empty state: the rescoring job recomputes every lead anyway.
const seedScoresSql = `
INSERT INTO lead_scores (lead_id, engagement, fit, total, grade, temperature, scored_at, state,
                         last_global_position, last_event_id, ruleset_id, ruleset_version)
SELECT 'bench-' || lpad(i::text, 7, '0'), 0, 0, 0, 'F', 'cold', now(), $2::json, 0, 'none', 'default', 1
  FROM generate_series(1, $1::int) AS i`;

export async function seedHistory(pool: pg.Pool, leads: number, eventsPerLead: number): Promise<void> {
  await pool.query(seedStreamsSql, [leads, eventsPerLead]);
  const chunk = 20_000;
  for (let from = 1; from <= leads; from += chunk) {
    await pool.query(seedMessagesSql, [eventsPerLead, from, Math.min(leads, from + chunk - 1)]);
  }
  await pool.query(seedScoresSql, [leads, JSON.stringify(emptyLeadState(compileRuleset(defaultRuleset)))]);
  await pool.query('ANALYZE eventstore.messages; ANALYZE eventstore.streams; ANALYZE lead_scores');
}
