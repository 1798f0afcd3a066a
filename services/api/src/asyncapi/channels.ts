import {
  activityMessageSchema,
  alertMessageSchema,
  cloudEventsSpecVersion,
  leadEventSchema,
  leadIdSchema,
  scoreChangedMessageSchema,
  stageChangedCloudEventType,
  stageChangedMessageSchema,
  type Topics,
  topics,
} from '@leadscore/contracts';
import { z } from 'zod';

/** CloudEvents 1.0 binary mode: the attributes as ce_* headers (Kafka protocol binding). */
const cloudEventHeaders = (type: z.ZodType) =>
  z.object({
    ce_specversion: z.literal(cloudEventsSpecVersion),
    ce_id: z
      .string()
      .min(1)
      .describe('The stored event id: the same on every redelivery, so consumers dedupe by it'),
    ce_type: type,
    ce_source: z.string().min(1),
    ce_subject: z.string().min(1).describe('The lead id'),
    ce_time: z.string().min(1).describe('When the event occurred (ISO-8601)'),
    'content-type': z.literal('application/json'),
  });

/** The dead-letter headers ingest adds to the original message's own. */
const deadLetterHeaders = z.looseObject({
  'x-dlq-reason': z.enum([
    'invalid-json',
    'invalid-event',
    'invalid-lead-key',
    'unstorable-event',
    'id-conflict',
  ]),
  'x-dlq-error': z.string().describe('What exactly was wrong, cut at 2,000 characters'),
  'x-dlq-source-topic': z.string(),
  'x-dlq-source-partition': z.string().regex(/^\d+$/),
  'x-dlq-source-offset': z.string().regex(/^\d+$/),
});

export interface ChannelSpec {
  /** Key of topics(): the channel id. */
  readonly topic: keyof Topics;
  /** Name of the message and of its payload schema in the document. */
  readonly message: string;
  readonly title: string;
  readonly description: string;
  readonly key: { readonly schema: z.ZodType; readonly description: string };
  /** null: any bytes (the DLQ keeps refused messages untouched). */
  readonly payload: z.ZodType | null;
  readonly headers: z.ZodType;
  readonly producer: string;
  readonly consumers: readonly string[];
}

const leadKey = {
  schema: leadIdSchema,
  description: 'The lead id: every message of a lead lands on one partition, in order',
};

/** Every topic of contracts' topics(), with its key, payload and headers. */
export const CHANNELS: readonly ChannelSpec[] = [
  {
    topic: 'activity',
    message: 'ActivityMessage',
    title: 'Accepted webhook events',
    description:
      'Every event POST /v1/events accepted, with its id resolved; the 202 is sent only once Kafka acknowledged it.',
    key: {
      schema: leadIdSchema,
      description: 'The lead key: the lead id, or em_<hash> of the email for leads known by email',
    },
    payload: activityMessageSchema,
    headers: z.looseObject({
      'x-leadscore-api-key-id': z.string().describe('The API key that posted the event'),
    }),
    producer: 'ingest webhook',
    consumers: ['ingest consumer (stores events in the lead streams)'],
  },
  {
    topic: 'activityDlq',
    message: 'DeadLetter',
    title: 'Refused activity messages',
    description:
      'Activity messages the ingest consumer could not store: the original bytes and headers, plus why and where from.',
    key: { schema: z.string(), description: 'The original message key (empty when it had none)' },
    payload: null,
    headers: deadLetterHeaders,
    producer: 'ingest consumer',
    consumers: ['operators (inspect, fix, replay)'],
  },
  {
    topic: 'leadEvents',
    message: 'LeadEvent',
    title: 'Recorded lead events',
    description:
      'Activity and profile events as the event store recorded them, relayed from the store (outbox).',
    key: leadKey,
    payload: leadEventSchema,
    headers: cloudEventHeaders(
      z
        .string()
        .regex(/^io\.leadscore\./)
        .describe('io.leadscore.<event type>'),
    ),
    producer: 'event store relay',
    consumers: ['scoring'],
  },
  {
    topic: 'scoreChanged',
    message: 'ScoreChanged',
    title: 'Score changes',
    description:
      "A lead's score, grade, temperature or signals moved; published after the scoring transaction committed.",
    key: leadKey,
    payload: scoreChangedMessageSchema,
    headers: z.looseObject({}),
    producer: 'scoring',
    consumers: ['projector'],
  },
  {
    topic: 'stageChanged',
    message: 'StageChanged',
    title: 'Stage changes for CRMs',
    description:
      'LeadStageChanged events relayed from the lead streams as CloudEvents 1.0 (binary mode); ce_id is stable across redeliveries.',
    key: leadKey,
    payload: stageChangedMessageSchema,
    headers: cloudEventHeaders(z.literal(stageChangedCloudEventType)),
    producer: 'event store relay (events appended by the projector and the api)',
    consumers: ['CRMs'],
  },
  {
    topic: 'alerts',
    message: 'Alert',
    title: 'Pivotal-page alerts',
    description: 'A lead at least as warm as the rule asks (re)visited a pivotal page (pricing, demo).',
    key: leadKey,
    payload: alertMessageSchema,
    headers: z.looseObject({}),
    producer: 'scoring',
    consumers: ['sales tools'],
  },
];

/** Topic addresses without a prefix; deployments prepend TOPIC_PREFIX. */
export const ADDRESSES: Topics = topics('');
