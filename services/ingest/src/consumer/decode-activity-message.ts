import {
  type ActivityMessage,
  activityMessageSchema,
  describeIssues,
  isNormalisedActivityMessage,
  leadIdPattern,
  leadKeyOf,
} from '@leadscore/contracts';
import type { ConsumedMessage } from '@leadscore/kafka';
import type { Rejection } from './dead-letter.js';

export type DecodedActivity =
  | { readonly ok: true; readonly activity: ActivityMessage; readonly leadId: string }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * Reads one message of the activity topic. Anything the webhook would not have published is
 * refused with a reason: bytes that are not JSON, a value that fails the schema, or a key that is
 * not the lead key of the event (a wrong key means a wrong partition, so per-lead order could not
 * be trusted).
 *
 * What the webhook published is valid and normalised already; `isNormalisedActivityMessage`
 * recognises that in a fraction of the schema's cost, and only anything else (a message from
 * another producer, a poison message) goes through the full schema, which normalises or refuses it.
 */
export function decodeActivityMessage(message: ConsumedMessage): DecodedActivity {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return reject('invalid-json', `value is not JSON: ${(error as Error).message}`);
  }
  let activity: ActivityMessage;
  if (isNormalisedActivityMessage(json)) activity = json;
  else {
    const parsed = activityMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
      return reject('invalid-event', issues.join('; '));
    }
    activity = parsed.data;
  }
  const leadId = leadKeyOf(activity.lead);
  if (message.key === null || !leadIdPattern.test(message.key)) {
    return reject('invalid-lead-key', `message key ${JSON.stringify(message.key)} is not a lead key`);
  }
  if (message.key !== leadId) {
    return reject(
      'invalid-lead-key',
      `message key ${JSON.stringify(message.key)} is not the event's lead key ${JSON.stringify(leadId)}`,
    );
  }
  return { ok: true, activity, leadId };
}

function reject(reason: Rejection['reason'], detail: string): DecodedActivity {
  return { ok: false, rejection: { reason, detail } };
}
