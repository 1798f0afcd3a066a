import type { SubscribeOptions, TopicSpec } from './bus.js';
import { BusOptionsError } from './errors.js';

/** Rejects a subscription that could never receive anything, before it joins a group. */
export function validateSubscribeOptions(options: SubscribeOptions): void {
  if (options.groupId.trim() === '') throw new BusOptionsError('groupId', 'must not be empty');
  if (options.topics.length === 0) throw new BusOptionsError('topics', 'name at least one topic');
  for (const topic of options.topics) {
    if (topic.trim() === '') throw new BusOptionsError('topics', 'a topic name must not be empty');
  }
}

export function validateTopicSpecs(specs: readonly TopicSpec[]): void {
  for (const spec of specs) {
    if (spec.name.trim() === '') throw new BusOptionsError('name', 'a topic name must not be empty');
    const { partitions } = spec;
    if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1)) {
      throw new BusOptionsError(
        'partitions',
        `topic ${spec.name}: expected a whole number >= 1, got ${partitions}`,
      );
    }
  }
}
