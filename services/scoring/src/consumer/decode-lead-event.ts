import { type LeadEvent, leadEventSchema, leadIdSchema } from '@leadscore/contracts';
import type { ConsumedMessage } from '@leadscore/kafka';

export type DecodedLeadEvent =
  | { readonly ok: true; readonly event: LeadEvent }
  | {
      readonly ok: false;
      /** The message key, when it is a lead id: that lead can still be scored from its stream. */
      readonly leadId: string | undefined;
      readonly reason: string;
    };

/** Reads a lead-events message; never throws, so one bad message cannot stall its partition. */
export function decodeLeadEvent(message: ConsumedMessage): DecodedLeadEvent {
  const key = leadIdSchema.safeParse(message.key);
  const leadId = key.success ? key.data : undefined;
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { ok: false, leadId, reason: `value is not JSON: ${(error as Error).message}` };
  }
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
