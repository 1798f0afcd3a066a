import { z } from 'zod';
import { eventIdSchema, instantSchema } from './activity-event.js';
import { positionStringSchema } from './lead-event.js';
import { emailSchema, leadIdSchema } from './lead-key.js';

/** Fit grade, best first. */
export const gradeSchema = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type GradeName = z.infer<typeof gradeSchema>;

/** A lead's score at one instant, as the scoring service computed it. */
export const scoreSnapshotSchema = z.object({
  /** Decayed engagement points, before the total's floor and cap. */
  engagement: z.number(),
  fit: z.number(),
  /** engagement + fit, clamped to the ruleset's floor and cap. */
  total: z.number(),
  grade: gradeSchema,
  /** A band name of the ruleset (default: cold, warm, hot). */
  temperature: z.string().min(1),
});
export type ScoreSnapshot = z.infer<typeof scoreSnapshotSchema>;

/** Facts about the lead beyond the numbers that stage deciders read. */
export const scoreSignalsSchema = z.object({
  /** The lead has communicated both ways (replied, booked a meeting) at some time. */
  twoWay: z.boolean(),
  /** When the first two-way communication happened, if any. */
  twoWayAt: instantSchema.nullable(),
});
export type ScoreSignals = z.infer<typeof scoreSignalsSchema>;

/**
 * What moved between old and new, so a consumer need not diff the snapshots itself. `ruleset`: the
 * lead was rescored under a ruleset whose stage policy differs, so its stage may be decided
 * differently even where the numbers did not move.
 */
export const scoreChangeSchema = z.enum(['score', 'grade', 'temperature', 'signals', 'ruleset']);
export type ScoreChange = z.infer<typeof scoreChangeSchema>;

/**
 * The value of a message on `leadscore.score-changed.v1`, key = lead id, published by the scoring
 * service after the transaction that stored the new score committed. Delivery is at least once:
 * a redelivered message carries the same `eventId` and `globalPosition`, so consumers dedupe by
 * (leadId, globalPosition) and ignore positions at or below the last one they applied. Unknown
 * fields are dropped when reading, so optional fields may be added within v1.
 */
export const scoreChangedMessageSchema = z.object({
  leadId: leadIdSchema,
  /** The lead's e-mail address, when any of its events carried one. */
  email: emailSchema.optional(),
  /** The event whose scoring produced this change, and its position in the store's global log. */
  eventId: eventIdSchema,
  globalPosition: positionStringSchema,
  /** The ruleset the score was computed with: `${rulesetId}@${rulesetVersion}`. */
  rulesetId: z.string().min(1),
  rulesetVersion: z.number().int().positive(),
  /** occurredAt of the triggering event. */
  occurredAt: instantSchema,
  /**
   * The instant both snapshots are computed at: the lead's latest event time. It equals
   * occurredAt, except after a late event, where the lead was recomputed up to its latest event.
   */
  scoredAt: instantSchema,
  /** The triggering event arrived after later ones: the lead was recomputed from its stream. */
  recomputed: z.boolean(),
  /** When the scoring service computed the change (wall clock). */
  computedAt: instantSchema,
  /** The score before the event, as of scoredAt; null for a lead seen for the first time. */
  old: scoreSnapshotSchema.nullable(),
  new: scoreSnapshotSchema,
  changes: z.array(scoreChangeSchema).min(1),
  signals: scoreSignalsSchema,
  /**
   * The next instant at which decay alone moves the total across a stage threshold or temperature
   * band, or null if it never does: when the projector must look at the lead again.
   */
  nextCrossingAt: instantSchema.nullable(),
  /**
   * Present when publishing a ruleset version caused the change (the rescoring job replayed the
   * lead's events under it), not a new event: `globalPosition` is then the lead's latest event,
   * already announced under the previous version. The projector records the stage changes it
   * causes with reason `rescored`.
   */
  rescore: z.object({ jobId: z.string().min(1) }).optional(),
});
export type ScoreChangedMessage = z.infer<typeof scoreChangedMessageSchema>;
/** A message as a producer writes it (instants may carry any offset). */
export type ScoreChangedMessageInput = z.input<typeof scoreChangedMessageSchema>;
