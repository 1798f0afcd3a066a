import { gradeSchema, leadIdSchema, leadStageSchema } from '@leadscore/contracts';
import { z } from 'zod';

/** An instant in a response: ISO-8601 in UTC with milliseconds. */
export const Instant = z.iso.datetime().describe('ISO-8601 instant in UTC');

/**
 * The instants a response can name: an ISO-8601 instant in UTC has a four-digit year. A request's
 * offset can move a valid date-time past them (9999-12-31T23:59:59-23:59 is in year 10000), whose
 * ISO string (+010000-...) no response schema accepts: such an instant is refused as input instead.
 */
const EARLIEST_INSTANT = '0001-01-01T00:00:00Z';
const LATEST_INSTANT = '9999-12-31T23:59:59.999Z';
const [earliest, latest] = [Date.parse(EARLIEST_INSTANT), Date.parse(LATEST_INSTANT)];

/**
 * An instant in a request (query or body): any ISO-8601 date-time with an offset whose UTC instant
 * lies in years 1 to 9999, read as epoch ms. Every instant parameter is this one schema.
 */
export const InstantParameter = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with an offset, e.g. 2024-05-01T10:00:00Z',
  })
  .transform((value) => Date.parse(value))
  .refine(
    (epochMs) => epochMs >= earliest && epochMs <= latest,
    `must be between ${EARLIEST_INSTANT} and ${LATEST_INSTANT} once converted to UTC`,
  );

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
