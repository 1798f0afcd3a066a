import { z } from 'zod';
import { ADDRESSES, CHANNELS, type ChannelSpec } from './channels.js';

/** Where the committed document lives, from the repository root. */
export const ASYNCAPI_PATH = 'openapi/asyncapi.yaml';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema draft-07 (the dialect AsyncAPI 3.0 schemas extend), as a message
 * must be written: input side, so a consumer sees what a producer may send. The schema's own
 * definitions move under its component, where its local references then point.
 */
function toComponentSchema(schema: z.ZodType, name: string): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  return JSON.parse(
    JSON.stringify(json).replaceAll('"#/definitions/', `"#/components/schemas/${name}/definitions/`),
  );
}

const ref = (path: string) => ({ $ref: path });

function messageOf(channel: ChannelSpec) {
  return {
    name: channel.message,
    title: channel.title,
    summary: channel.description,
    contentType: channel.payload === null ? 'application/octet-stream' : 'application/json',
    headers: ref(`#/components/schemas/${channel.message}Headers`),
    payload:
      channel.payload === null
        ? { description: "The refused message's original bytes" }
        : ref(`#/components/schemas/${channel.message}`),
    bindings: { kafka: { key: ref(`#/components/schemas/${channel.message}Key`), bindingVersion: '0.5.0' } },
  };
}

/** The AsyncAPI 3.0 document of every leadscore topic, generated from the contracts' zod schemas. */
export function buildAsyncApiDocument() {
  const schemas: Record<string, JsonSchema> = {};
  for (const channel of CHANNELS) {
    if (channel.payload !== null)
      schemas[channel.message] = toComponentSchema(channel.payload, channel.message);
    schemas[`${channel.message}Headers`] = toComponentSchema(channel.headers, `${channel.message}Headers`);
    schemas[`${channel.message}Key`] = {
      ...toComponentSchema(channel.key.schema, `${channel.message}Key`),
      description: channel.key.description,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'leadscore topics',
      version: '1.0.0',
      description:
        'Every Kafka topic of leadscore: who writes it, who reads it, the message key and the JSON payload. ' +
        "Topic names carry the deployment's TOPIC_PREFIX in front of the addresses below. Delivery is at " +
        'least once and ordered per key; every message carries a stable id to dedupe by.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'Any broker of KAFKA_BROKERS' },
    },
    channels: Object.fromEntries(
      CHANNELS.map((channel) => [
        channel.topic,
        {
          address: ADDRESSES[channel.topic],
          title: channel.title,
          description: `${channel.description} Written by ${channel.producer}; read by ${channel.consumers.join(', ')}.`,
          messages: { [channel.message]: ref(`#/components/messages/${channel.message}`) },
        },
      ]),
    ),
    operations: Object.fromEntries(
      CHANNELS.flatMap((channel) => {
        const messages = [ref(`#/channels/${channel.topic}/messages/${channel.message}`)];
        const channelRef = ref(`#/channels/${channel.topic}`);
        return [
          [
            `send${channel.message}`,
            { action: 'send', channel: channelRef, summary: `Written by ${channel.producer}`, messages },
          ],
          [
            `receive${channel.message}`,
            {
              action: 'receive',
              channel: channelRef,
              summary: `Read by ${channel.consumers.join(', ')}`,
              messages,
            },
          ],
        ];
      }),
    ),
    components: {
      messages: Object.fromEntries(CHANNELS.map((channel) => [channel.message, messageOf(channel)])),
      schemas,
    },
  };
}

export type AsyncApiDocument = ReturnType<typeof buildAsyncApiDocument>;
