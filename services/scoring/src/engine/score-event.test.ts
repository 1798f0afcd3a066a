import type { LeadEvent } from '@leadscore/contracts';
import {
  compileRuleset,
  defaultRuleset,
  foldEvents,
  scoreEvents,
  scoringEventFromActivity,
} from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadActivityOf } from './lead-activity.js';
import type { LeadScoreRecord } from './lead-record.js';
import { recomputeLead } from './recompute-lead.js';
import { scoreEvent } from './score-event.js';

const ruleset = compileRuleset(defaultRuleset);
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

const draft = fc.record({
  type: fc.constantFrom(
    'email.opened',
    'email.clicked',
    'page.visited',
    'form.submitted',
    'email.replied',
    'email.unsubscribed',
  ),
  hour: fc.nat(24 * 60),
  url: fc.constantFrom('/pricing', '/blog', '/demo'),
  utmSource: fc.option(fc.constantFrom('google', 'newsletter'), { nil: undefined }),
});

/** Distinct events of one lead, then an arrival order in which some are delivered twice. */
const deliveries = fc
  .uniqueArray(draft, { minLength: 1, maxLength: 25, selector: (d) => d.hour })
  .chain((drafts) =>
    fc.tuple(
      fc.constant(drafts),
      fc.shuffledSubarray(
        drafts.map((_, i) => i),
        { minLength: drafts.length, maxLength: drafts.length },
      ),
      fc.array(fc.nat(drafts.length - 1), { maxLength: 5 }),
    ),
  );

type Draft = { type: string; hour: number; url: string; utmSource: string | undefined };

function leadEvent(d: Draft, i: number, position: number): LeadEvent {
  const at = new Date(START + d.hour * HOUR).toISOString();
  return {
    eventId: `e-${i}`,
    leadId: 'lead-1',
    type: d.type as LeadEvent['type'],
    occurredAt: at,
    recordedAt: at,
    globalPosition: String(position),
    streamPosition: position,
    data: {
      email: 'ann@acme.io',
      properties: { url: d.url, form: 'whitepaper' },
      ...(d.utmSource ? { source: { utmSource: d.utmSource } } : {}),
    },
  };
}

describe('scoreEvent with recomputeLead', () => {
  it('ends at the canonical state and score whatever the arrival order and redeliveries', () => {
    fc.assert(
      fc.property(deliveries, ([drafts, order, redelivered]) => {
        // The store assigns positions in arrival order; a redelivery repeats a stored event.
        const stored = order.map((index, n) => leadEvent(drafts[index]!, index, n + 1));
        const arrivals = [...stored, ...redelivered.map((n) => stored[n]!)];
        let record: LeadScoreRecord | undefined;
        arrivals.forEach((event) => {
          const outcome = scoreEvent(record, event, ruleset);
          if (outcome.kind === 'applied') record = outcome.record;
          if (outcome.kind === 'recompute') {
            const visible = stored.filter((e) => BigInt(e.globalPosition) <= BigInt(event.globalPosition));
            record = recomputeLead(
              record,
              visible.map(leadActivityOf),
              leadActivityOf(event),
              ruleset,
            )!.record;
          }
        });
        const scoring = stored.map((event) => scoringEventFromActivity(leadActivityOf(event)));
        const latest = Math.max(...scoring.map((e) => e.occurredAt));
        expect(record!.state).toEqual(foldEvents(scoring, ruleset));
        expect(record!.view).toEqual(scoreEvents(scoring, ruleset, latest));
        expect(record!.lastGlobalPosition).toBe(BigInt(stored.length));
        const sourced = scoring
          .map((e, i) => ({ at: e.occurredAt, source: stored[i]!.data.source }))
          .filter((t) => t.source !== undefined);
        expect(record!.firstTouch?.at ?? null).toBe(
          sourced.length ? Math.min(...sourced.map((t) => t.at)) : null,
        );
      }),
    );
  });

  it('publishes the same changes whether or not the stream already held later events at a recompute', () => {
    /** Every change the deliveries produce, recomputing from what `streamAt` says the store held. */
    const changesOf = (
      stored: readonly LeadEvent[],
      streamAt: (trigger: LeadEvent) => readonly LeadEvent[],
    ) => {
      let record: LeadScoreRecord | undefined;
      return stored.map((event) => {
        const outcome = scoreEvent(record, event, ruleset);
        if (outcome.kind === 'already-applied') return undefined;
        const result =
          outcome.kind === 'applied'
            ? outcome
            : recomputeLead(record, streamAt(event).map(leadActivityOf), leadActivityOf(event), ruleset)!;
        record = result.record;
        return result.change && { ...result.change, record: undefined };
      });
    };
    fc.assert(
      fc.property(deliveries, ([drafts, order]) => {
        const stored = order.map((index, n) => leadEvent(drafts[index]!, index, n + 1));
        const delivered = (trigger: LeadEvent) =>
          stored.filter((e) => BigInt(e.globalPosition) <= BigInt(trigger.globalPosition));
        // A lagging consumer: by the time it recomputes, ingest has appended everything.
        expect(changesOf(stored, () => stored)).toEqual(changesOf(stored, delivered));
      }),
    );
  });

  it('treats a redelivered event as already applied', () => {
    const first = leadEvent({ type: 'email.clicked', hour: 1, url: '/blog', utmSource: 'google' }, 0, 1);
    const applied = scoreEvent(undefined, first, ruleset);
    if (applied.kind !== 'applied') throw new Error('first event not applied');
    expect(scoreEvent(applied.record, first, ruleset)).toEqual({ kind: 'already-applied' });
  });
});
