import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import { seededRandom } from '../../support/seeded-random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Fit traits worth grade A under the default ruleset (decision maker, software, 250 people). */
export const VP_TRAITS = { title: 'VP Marketing', industry: 'software', companySize: 250 };

export interface GeneratedLead {
  readonly leadId: string;
  /** In time order, one minute or more apart. */
  readonly events: readonly ActivityEventInput[];
}

/**
 * Leads with mixed behaviour: clicks, downloads, forms, sometimes a reply (two-way), half of them
 * decision makers at target companies (so sql is within reach), all in time order per lead.
 */
export function generateHistory(leads: number, start: number, seed: number): GeneratedLead[] {
  const next = seededRandom(seed);
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return Array.from({ length: leads }, (_, i) => {
    const leadId = `bt-${String(i).padStart(3, '0')}`;
    const kinds: { type: string; properties?: Record<string, unknown> }[] = [
      ...Array.from({ length: between(0, 16) }, () => ({ type: 'email.clicked' })),
      ...Array.from({ length: between(0, 3) }, () => ({ type: 'content.downloaded' })),
      ...Array.from({ length: between(0, 2) }, () => ({
        type: 'form.submitted',
        properties: { form: 'contact' },
      })),
      ...(next() < 0.25 ? [{ type: 'email.replied' }] : []),
      { type: 'page.visited', properties: { url: 'https://acme.example/blog' } },
    ];
    // Shuffled so replies and clicks fall anywhere in the lead's life.
    for (let k = kinds.length - 1; k > 0; k -= 1) {
      const j = between(0, k);
      [kinds[k], kinds[j]] = [kinds[j]!, kinds[k]!];
    }
    const fit = next() < 0.5;
    let at = start + i * HOUR;
    const events = kinds.map((kind, k) => {
      at += between(1, 600) * MINUTE;
      return {
        type: kind.type,
        lead: { id: leadId },
        occurredAt: new Date(at).toISOString(),
        ...(kind.properties === undefined ? {} : { properties: kind.properties }),
        ...(k === 0 && fit ? { traits: VP_TRAITS } : {}),
      } as ActivityEventInput;
    });
    return { leadId, events };
  });
}
