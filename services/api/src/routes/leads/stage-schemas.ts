import { stageChangeReasonSchema } from '@leadscore/contracts';
import { z } from 'zod';
import { Grade, Instant, Stage, Temperature } from '../../http/common-schemas.js';

export const StageChange = z
  .object({
    eventId: z.string().describe('The LeadStageChanged event id: the CloudEvents id CRMs receive'),
    from: Stage,
    to: Stage,
    at: Instant,
    reason: stageChangeReasonSchema,
    triggeringEventId: z.string().nullable(),
    actor: z.string().nullable().describe('Who moved the lead, for manual changes'),
    note: z.string().nullable(),
    score: z.object({ total: z.number(), grade: Grade, temperature: Temperature.optional() }),
    ruleset: z.object({ id: z.string(), version: z.number().int() }),
  })
  .meta({ id: 'StageChange' });
export type StageChange = z.infer<typeof StageChange>;
