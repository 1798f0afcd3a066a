import { gradeSchema, leadIdSchema, leadStageSchema } from '@leadscore/contracts';
import { z } from 'zod';

/** An instant in a response: ISO-8601 in UTC with milliseconds. */
export const Instant = z.iso.datetime().describe('ISO-8601 instant in UTC');

/** An instant in a query: any ISO-8601 date-time with an offset, read as epoch ms. */
export const InstantParameter = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with an offset, e.g. 2024-05-01T10:00:00Z',
  })
  .transform((value) => Date.parse(value));

export const LeadIdParams = z.object({
  id: leadIdSchema.describe('The lead id (yours, or em_... for leads known by email)'),
});

export const Grade = gradeSchema.describe('Fit grade, A (best) to F');
export const Stage = leadStageSchema.describe('Funnel stage (lead < mql < sql < prospect) or a side stage');
export const Temperature = z.string().describe('Temperature band of the ruleset (default: cold, warm, hot)');

export const Touch = z
  .object({
    at: Instant,
    utmSource: z.string().optional(),
    utmMedium: z.string().optional(),
    utmCampaign: z.string().optional(),
  })
  .describe('Campaign attribution of one event');

/** A stringly boolean query flag: `true` or `false`. */
export const FlagParameter = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true');
