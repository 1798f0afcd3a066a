import { z } from 'zod';
import { Grade, Instant, Stage, Temperature, Touch } from '../../http/common-schemas.js';

export const Score = z
  .object({
    at: Instant.describe('The instant the score is computed for'),
    total: z.number().describe('engagement + fit, clamped to the ruleset floor and cap'),
    engagement: z.number().describe('Decayed behaviour points'),
    fit: z.number().describe('Profile points (no decay)'),
    grade: Grade,
    temperature: Temperature,
  })
  .meta({ id: 'Score' });

export const Lead = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    stage: z.object({
      name: Stage,
      since: Instant.nullable().describe('When the lead entered the stage; null if it never changed stage'),
    }),
    score: Score.describe(
      "The score now, at the time of the request (decay included), or at the lead's latest event when a sender's clock dated it ahead of the request",
    ),
    scored: z
      .object({
        at: Instant.describe("The lead's latest event"),
        total: z.number(),
        temperature: Temperature.describe('The temperature band of that total'),
        eventId: z
          .string()
          .describe(
            'The event applied last: the latest to arrive, which after a late event is not the one at `at`',
          ),
      })
      .describe(
        'The score as of the latest event, without the decay since: what the lead list sorts and filters by (minScore, temperature)',
      ),
    ruleset: z.object({ id: z.string(), version: z.number().int() }),
    twoWayAt: Instant.nullable().describe('First two-way communication (reply, meeting), if any'),
    firstTouch: Touch.nullable(),
    lastTouch: Touch.nullable(),
    nextCrossingAt: Instant.nullable().describe(
      'When decay alone next moves the score across a stage threshold or temperature band, after now; null if it never does',
    ),
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof Lead>;
