import {
  type CloudEventAttributes,
  fromCloudEventHeaders,
  type StageChangedMessage,
  stageChangedMessageSchema,
} from '../../../packages/contracts/src/index.js';
import type { Bus, ConsumedMessage } from '../../../packages/kafka/src/index.js';

/** A message read back from the stage-changed topic, checked against both contracts. */
export interface PublishedStageChange {
  readonly key: string | null;
  readonly attributes: CloudEventAttributes;
  readonly body: StageChangedMessage;
  readonly raw: ConsumedMessage;
}

export interface StageTopic {
  /** Every stage change consumed so far, in consumption order. */
  readonly received: PublishedStageChange[];
  forLead(leadId: string): PublishedStageChange[];
}

/**
 * Reads the stage-changed topic from the beginning with a group of its own, the way a CRM would.
 * Headers are parsed as CloudEvents 1.0 binary mode and the body with the contract schema: a
 * message that is neither fails the parse, and with it the test.
 */
export async function readStageTopic(bus: Bus, topic: string): Promise<StageTopic> {
  const received: PublishedStageChange[] = [];
  await bus.subscribe({
    groupId: `${topic}.crm.${Date.now()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      for (const message of batch.messages) {
        received.push({
          key: message.key,
          attributes: fromCloudEventHeaders(message.headers),
          body: stageChangedMessageSchema.parse(JSON.parse(message.value.toString('utf8'))),
          raw: message,
        });
      }
    },
  });
  return { received, forLead: (leadId) => received.filter((change) => change.key === leadId) };
}

/** Polls until `condition` holds; fails with `describe()` after the timeout. */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  describe: () => Promise<string> | string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lets time pass so that a message which should not come has had the chance to. */
export const settle = (ms = 2_000) => new Promise((resolve) => setTimeout(resolve, ms));
