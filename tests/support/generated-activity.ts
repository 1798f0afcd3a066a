import type { ActivityEventInput } from '../../packages/contracts/src/index.js';

const types = [
  'email.opened',
  'email.clicked',
  'page.visited',
  'form.submitted',
  'content.downloaded',
] as const;

/** What differs between the users of the generator: when the events start and what they carry. */
export interface ActivityStyle {
  /** occurredAt of the first event (epoch ms); each next one is a second later. */
  readonly start: number;
  readonly email: (lead: number) => string;
  readonly properties: (i: number) => NonNullable<ActivityEventInput['properties']>;
}

/**
 * `count` distinct valid webhook events over `leads` leads, in posting order. Half the leads are
 * named by id, half by email only; every other event has no id, so deterministic ids are
 * exercised too.
 */
export function generateActivityEvents(
  count: number,
  leads: number,
  tag: string,
  style: ActivityStyle,
): ActivityEventInput[] {
  return Array.from({ length: count }, (_, i) => {
    const lead = i % leads;
    return {
      ...(i % 2 === 0 ? { id: `${tag}-${i}` } : {}),
      type: types[i % types.length]!,
      lead: lead % 2 === 0 ? { id: `${tag}-lead-${lead}` } : { email: style.email(lead) },
      occurredAt: new Date(style.start + i * 1_000).toISOString(),
      properties: style.properties(i),
    };
  });
}
