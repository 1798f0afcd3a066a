import { Ajv, type ValidateFunction } from 'ajv';
import type { AsyncApiDocument } from './asyncapi-document.js';

export interface KafkaMessage {
  readonly key: string | null;
  readonly value: Buffer | string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MessageCheck {
  /** The channel whose address the topic ends with; undefined when the document has none. */
  readonly channel: string | undefined;
  /** Every way the message departs from the schemas the document names; empty when it conforms. */
  readonly problems: readonly string[];
}

interface MessageComponent {
  readonly contentType: string;
  readonly headers: { readonly $ref: string };
  readonly payload: { readonly $ref?: string };
  readonly bindings: { readonly kafka: { readonly key: { readonly $ref: string } } };
}

const DOCUMENT_ID = 'asyncapi';

/**
 * Checks Kafka messages against an AsyncAPI document: the topic's channel (found by address, so
 * any TOPIC_PREFIX works), then its message's key, headers and JSON payload against the schemas
 * that message names. Formats are not checked (date-time strings carry patterns that are).
 */
export function createMessageValidator(document: AsyncApiDocument) {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document, DOCUMENT_ID);
  const compiled = new Map<string, ValidateFunction>();
  const schemaAt = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`${DOCUMENT_ID}${pointer}`);
      if (!validate) throw new Error(`the AsyncAPI document has no schema at ${pointer}`);
      compiled.set(pointer, validate);
    }
    return validate;
  };
  const check = (part: string, pointer: string, value: unknown): string[] => {
    const validate = schemaAt(pointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${part}${error.instancePath} ${error.message ?? 'is invalid'}`,
    );
  };

  const channels = Object.entries(document.channels)
    // Longest address first: leadscore.activity.dlq.v1 must not be taken for leadscore.activity.v1.
    .sort(([, a], [, b]) => b.address.length - a.address.length);

  return function checkMessage(topic: string, message: KafkaMessage): MessageCheck {
    const found = channels.find(([, channel]) => topic.endsWith(channel.address));
    if (!found)
      return { channel: undefined, problems: [`no channel of the document has the address of ${topic}`] };
    const [channelId, channel] = found;
    const messageRef = Object.values(channel.messages)[0]!.$ref;
    const component = (document.components.messages as Record<string, MessageComponent>)[
      messageRef.split('/').at(-1)!
    ]!;
    const problems = [
      ...check('key', component.bindings.kafka.key.$ref, message.key ?? ''),
      ...check('headers', component.headers.$ref, message.headers),
    ];
    if (component.payload.$ref !== undefined) {
      let payload: unknown;
      try {
        payload = JSON.parse(message.value.toString());
      } catch {
        return { channel: channelId, problems: [...problems, 'payload is not JSON'] };
      }
      problems.push(...check('payload', component.payload.$ref, payload));
    }
    return { channel: channelId, problems };
  };
}
