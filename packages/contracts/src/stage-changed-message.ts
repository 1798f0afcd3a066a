import { z } from 'zod';
import { eventIdSchema, instantSchema } from './activity-event.js';
import { emailSchema, leadIdSchema } from './lead-key.js';
import { gradeSchema, scoreSnapshotSchema } from './score-changed-message.js';

/** The CloudEvents `type` of every message on `leadscore.stage-changed.v1`. */
export const stageChangedCloudEventType = 'com.leadscore.lead.stage_changed.v1';

/** The funnel in order (lead < mql < sql < prospect) plus the side stages disqualified and recycled. */
export const leadStageSchema = z.enum(['lead', 'mql', 'sql', 'prospect', 'disqualified', 'recycled']);
export type LeadStage = z.infer<typeof leadStageSchema>;

/**
 * Why a lead changed stage: its score crossed a threshold after an event, it communicated both
 * ways, decay alone carried its score across a threshold, it was rescored under another ruleset,
 * or a person moved it.
 */
export const stageChangeReasonSchema = z.enum(['threshold', 'two-way-signal', 'decay', 'rescored', 'manual']);
export type StageChangeReason = z.infer<typeof stageChangeReasonSchema>;

/** The score summary a stage change carries: the snapshot without the grade, which travels beside it. */
export const stageScoreSummarySchema = scoreSnapshotSchema.omit({ grade: true });

/**
 * A lead's stage change: the data of a `LeadStageChanged` event in the lead's stream, and the
 * JSON body of its message on `leadscore.stage-changed.v1` (CloudEvents binary mode, key = lead
 * id, `ce_id` = `id`). Each change is decided once and keeps its id on every redelivery, so a CRM
 * dedupes by `id`. Unknown fields are dropped when reading, so optional fields may be added within v1.
 */
export const stageChangedMessageSchema = z.object({
  /** The stored event's id, equal to `ce_id`. */
  id: eventIdSchema,
  leadId: leadIdSchema,
  email: emailSchema.optional(),
  from: leadStageSchema,
  to: leadStageSchema,
  reason: stageChangeReasonSchema,
  /** When the lead entered `to`: the triggering event's occurredAt, the crossing instant, or the manual move. */
  occurredAt: instantSchema,
  score: stageScoreSummarySchema,
  grade: gradeSchema,
  rulesetId: z.string().min(1),
  rulesetVersion: z.number().int().positive(),
  /** The event whose score change caused it; null for decay-driven and manual changes. */
  triggeringEventId: eventIdSchema.nullable(),
  /** Who moved the lead, for manual changes (an API key id or a user). */
  actor: z.string().min(1).optional(),
  /** Why a person moved the lead, in their words. */
  note: z.string().optional(),
});
export type StageChangedMessage = z.infer<typeof stageChangedMessageSchema>;
export type StageChangedMessageInput = z.input<typeof stageChangedMessageSchema>;
