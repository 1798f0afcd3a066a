import { type AlertMessage, alertMessageSchema } from '../../../packages/contracts/src/index.js';
import type { Bus } from '../../../packages/kafka/src/index.js';

/** Reads the alerts topic from the beginning as a sales tool would; a message off contract fails the parse. */
export async function readAlertTopic(bus: Bus, topic: string): Promise<AlertMessage[]> {
  const received: AlertMessage[] = [];
  await bus.subscribe({
    groupId: `${topic}.sales-tool.${Date.now()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      for (const message of batch.messages) {
        received.push(alertMessageSchema.parse(JSON.parse(message.value.toString('utf8'))));
      }
    },
  });
  return received;
}
