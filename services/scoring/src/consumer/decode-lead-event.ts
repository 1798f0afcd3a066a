import { isWellFormedLeadEvent, type LeadEvent, leadEventSchema, leadIdSchema } from '@leadscore/contracts';
import type { ConsumedMessage } from '@leadscore/kafka';

export type DecodedLeadEvent =
  | { readonly ok: true; readonly event: LeadEvent }
  | {
      readonly ok: false;
      /** The message key, when it is a lead id: that lead can still be scored from its stream. */
      readonly leadId: string | undefined;
      readonly reason: string;
    };

/**
 * Reads a lead-events message; never throws, so one bad message cannot stall its partition.
 * What the relay published is well-formed already and skips the schema (isWellFormedLeadEvent,
 * a fraction of its cost); anything else goes through it and is refused with the reason.
 */
export function decodeLeadEvent(message: ConsumedMessage): DecodedLeadEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { ok: false, leadId: leadIdOf(message), reason: `value is not JSON: ${(error as Error).message}` };
  }
  if (isWellFormedLeadEvent(json) && json.leadId === message.key) return { ok: true, event: json };
  const leadId = leadIdOf(message);
  const parsed = leadEventSchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    return { ok: false, leadId, reason };
  }
  if (leadId !== undefined && parsed.data.leadId !== leadId) {
    return { ok: false, leadId, reason: `key ${leadId} differs from leadId ${parsed.data.leadId}` };
  }
  return { ok: true, event: parsed.data };
}

function leadIdOf(message: ConsumedMessage): string | undefined {
  const key = leadIdSchema.safeParse(message.key);
  return key.success ? key.data : undefined;
}
