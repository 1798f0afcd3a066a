import { z } from 'zod';
import { GradeSchema } from '../ruleset/ruleset.schema.js';

/** The funnel in order (lead < mql < sql < prospect) plus the side stages. */
export const StageSchema = z.enum(['lead', 'mql', 'sql', 'prospect', 'disqualified', 'recycled']);
export type Stage = z.infer<typeof StageSchema>;

/** The part of a score the stage requirements read. */
export const StageScoreSchema = z.object({ total: z.number(), grade: GradeSchema });
export type StageScore = z.infer<typeof StageScoreSchema>;

export const StageStateSchema = z.object({
  stage: StageSchema,
  /** When the lead entered the stage; null for a lead that never changed stage. */
  since: z.number().int().nullable(),
  /**
   * The score the previous look at the lead saw (see afterLook); absent when none is remembered.
   * A recycled lead goes back to mql only when its score reaches the requirement after a look that
   * did not (see decide), and this is how the decider knows, without reading any history.
   */
  lastLook: StageScoreSchema.optional(),
});
export type StageState = z.infer<typeof StageStateSchema>;

export const initialStageState: StageState = { stage: 'lead', since: null };

/** What asks the decider to look at a lead again. */
export const StageSignalSchema = z.discriminatedUnion('kind', [
  /**
   * An event changed the score. `before` is the score just before it, at the same instant (the
   * scoring service's old score): it tells a recycled lead's dip below the mql threshold even when
   * the decay check that would have looked at the dip was overtaken by this change.
   */
  z.object({
    kind: z.literal('event'),
    at: z.number().int(),
    eventId: z.string(),
    before: StageScoreSchema.optional(),
  }),
  /** A scheduled check: decay moved the score across a threshold (see nextCrossing). */
  z.object({ kind: z.literal('decay'), at: z.number().int() }),
  /** The lead was rescored under another ruleset version. */
  z.object({ kind: z.literal('rescored'), at: z.number().int(), ruleset: z.string() }),
  /** A person moved the lead; the only way into or out of disqualified. */
  z.object({ kind: z.literal('manual'), at: z.number().int(), to: StageSchema, note: z.string().optional() }),
]);
export type StageSignal = z.infer<typeof StageSignalSchema>;

export const StageChangeReasonSchema = z.enum(['threshold', 'two-way-signal', 'manual', 'rescored', 'decay']);
export type StageChangeReason = z.infer<typeof StageChangeReasonSchema>;

export const StageChangedSchema = z.object({
  type: z.literal('LeadStageChanged'),
  from: StageSchema,
  to: StageSchema,
  at: z.number().int(),
  reason: StageChangeReasonSchema,
  /** The event whose score change caused it, when one did. */
  eventId: z.string().optional(),
  total: z.number(),
  grade: GradeSchema,
  note: z.string().optional(),
});
export type StageChanged = z.infer<typeof StageChangedSchema>;
