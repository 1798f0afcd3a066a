import {
  isWellFormedScoreChange,
  type ScoreChangedMessage,
  scoreChangedMessageSchema,
} from '@leadscore/contracts';
import type { ConsumedMessage } from '@leadscore/kafka';

export type DecodedScoreChange =
  | { readonly ok: true; readonly message: ScoreChangedMessage }
  | { readonly ok: false; readonly reason: string };

/** Reads a score-changed message; says why when it is not one (not JSON, off-contract, wrong key). */
export function decodeScoreChanged(consumed: ConsumedMessage): DecodedScoreChange {
  let json: unknown;
  try {
    json = JSON.parse(consumed.value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const message = isWellFormedScoreChange(json) ? json : parseWithSchema(json);
  if (typeof message === 'string') return { ok: false, reason: message };
  // The key decides the partition and so the order of a lead's changes: a mismatch means the
  // producer broke per-lead ordering, and deciding on it could apply changes out of order.
  if (consumed.key !== message.leadId) {
    return { ok: false, reason: `key ${String(consumed.key)} is not the lead id ${message.leadId}` };
  }
  return { ok: true, message };
}

/** The schema, for what the fast check does not recognise: the message normalised, or why not. */
function parseWithSchema(json: unknown): ScoreChangedMessage | string {
  const parsed = scoreChangedMessageSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`)
    .join('; ');
}
