import { leadIdSchema, leadStreamId } from '@leadscore/contracts';
import { readStream } from '@leadscore/eventstore';
import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { Instant, LeadIdParams } from '../../http/common-schemas.js';
import { cursorParameter, decodeCursor, encodeCursor, limitParameter } from '../../http/cursor.js';
import { problemResponses } from '../../http/problem-responses.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';

const EventsQuery = z.object({ limit: limitParameter(100, 1_000), cursor: cursorParameter });

/**
 * The lead and the position of the last event of the previous page in its stream: a cursor
 * replayed on another lead's history is refused rather than read as a position there. Each field
 * is held to what it stands for (a lead id, a stream position: a safe positive integer), so a
 * tampered cursor is refused as one the API did not return.
 */
const EventsCursor = z.strictObject({ l: leadIdSchema, p: z.number().int().positive() });

const StoredEvent = z
  .object({
    eventId: z.string(),
    type: z.string().describe('An activity type (email.opened, ...) or LeadStageChanged'),
    streamPosition: z.number().int().describe("1 for the lead's first event, then +1 per event"),
    occurredAt: Instant,
    recordedAt: Instant,
    data: z.unknown(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'StoredEvent' });

const EventsPage = z.object({
  leadId: z.string(),
  events: z.array(StoredEvent),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** GET /v1/leads/{id}/events: the lead's stream in the order it was recorded, page by page. */
export function leadEventsRoute(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/leads/:id/events',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'listLeadEvents',
        summary: "A lead's event history",
        description:
          'Every event of the lead, activity and stage changes, in stream order. Pages are keyed by stream ' +
          'position, so events appended while paging show up on later pages and never shift earlier ones.',
        tags: ['leads'],
        security: requires('read'),
        params: LeadIdParams,
        querystring: EventsQuery,
        response: { 200: EventsPage, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? 0 : positionAfter(decodeCursor(EventsCursor, cursor), id);
      // One more than asked tells whether another page follows without a count.
      const stream = await readStream(context.db, leadStreamId(id), { from: after + 1, maxCount: limit + 1 });
      if (stream.currentVersion === 0) throw apiProblems.leadNotFound(id);
      const page = stream.events.slice(0, limit);
      const last = page.at(-1);
      return {
        leadId: id,
        events: page.map((event) => ({
          eventId: event.eventId,
          type: event.type,
          streamPosition: event.streamPosition,
          occurredAt: event.occurredAt.toISOString(),
          recordedAt: event.recordedAt.toISOString(),
          data: event.data,
          metadata: event.metadata,
        })),
        nextCursor:
          stream.events.length > limit && last ? encodeCursor({ l: id, p: last.streamPosition }) : null,
      };
    },
  );
}

function positionAfter(cursor: z.infer<typeof EventsCursor>, leadId: string): number {
  if (cursor.l !== leadId) throw apiProblems.invalidCursor("belongs to another lead's history");
  return cursor.p;
}
