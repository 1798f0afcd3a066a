import type { TopicLog } from './topic-log.js';

/** A member of a group as the group sees it: which topics it reads. */
export interface GroupMemberRef {
  readonly topics: readonly string[];
}

export interface PartitionWork {
  readonly topic: TopicLog;
  readonly partition: number;
  readonly fromOffset: number;
}

export type Claim =
  | { readonly kind: 'work'; readonly work: PartitionWork }
  | { readonly kind: 'idle'; readonly retryInMs: number | undefined };

interface RetryState {
  readonly failures: number;
  readonly notBefore: number;
}

/**
 * The state Kafka's group coordinator keeps for one consumer group: committed offsets, members
 * and which member owns which partition. Ownership is recomputed from the member list on every
 * claim, so a join or leave is a rebalance; the `inHand` set guarantees that a partition moving
 * to another member is not fetched again until the batch its old owner holds has finished.
 *
 * The fetch position is always the committed offset: a batch is committed before the partition's
 * next batch is claimed, and an uncommitted (failed) batch is therefore fetched again.
 */
export class ConsumerGroup {
  private readonly committed = new Map<string, number>();
  private readonly members: GroupMemberRef[] = [];
  private readonly inHand = new Set<string>();
  private readonly retries = new Map<string, RetryState>();
  private scanStart = 0;

  constructor(
    readonly groupId: string,
    private readonly topicsByName: (name: string) => TopicLog,
  ) {}

  get memberCount(): number {
    return this.members.length;
  }

  /** Adds a member; a group that has never read a partition starts it at the beginning or the end. */
  join(member: GroupMemberRef, fromBeginning: boolean): void {
    for (const name of member.topics) {
      const topic = this.topicsByName(name);
      for (let partition = 0; partition < topic.partitionCount; partition += 1) {
        const key = partitionKey(name, partition);
        if (!this.committed.has(key)) this.committed.set(key, fromBeginning ? 0 : topic.endOffset(partition));
      }
    }
    this.members.push(member);
  }

  leave(member: GroupMemberRef): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
  }

  /** The next partition this member should read, marked as in hand; or how long to wait. */
  claim(member: GroupMemberRef, now: number): Claim {
    const candidates = this.ownedPartitions(member);
    let retryInMs: number | undefined;
    // Rotating the starting point keeps one busy partition from starving the others.
    this.scanStart = (this.scanStart + 1) % Math.max(1, candidates.length);
    for (let i = 0; i < candidates.length; i += 1) {
      const candidate = candidates[(this.scanStart + i) % candidates.length];
      if (!candidate) continue;
      const { topic, partition } = candidate;
      const key = partitionKey(topic.name, partition);
      const fromOffset = this.committed.get(key) ?? 0;
      if (this.inHand.has(key) || fromOffset >= topic.endOffset(partition)) continue;
      const retry = this.retries.get(key);
      if (retry && retry.notBefore > now) {
        retryInMs = Math.min(retryInMs ?? Number.POSITIVE_INFINITY, retry.notBefore - now);
        continue;
      }
      this.inHand.add(key);
      return { kind: 'work', work: { topic, partition, fromOffset } };
    }
    return { kind: 'idle', retryInMs };
  }

  /** The batch in hand ended at `lastOffset` and its handler succeeded. */
  commit(work: PartitionWork, lastOffset: number): void {
    const key = partitionKey(work.topic.name, work.partition);
    this.committed.set(key, lastOffset + 1);
    this.retries.delete(key);
    this.inHand.delete(key);
  }

  /** The batch in hand failed: it stays uncommitted and is offered again from `notBefore`. */
  release(work: PartitionWork, notBefore: (failures: number) => number): number {
    const key = partitionKey(work.topic.name, work.partition);
    const failures = (this.retries.get(key)?.failures ?? 0) + 1;
    this.retries.set(key, { failures, notBefore: notBefore(failures) });
    this.inHand.delete(key);
    return failures;
  }

  private ownedPartitions(member: GroupMemberRef): { topic: TopicLog; partition: number }[] {
    const owned: { topic: TopicLog; partition: number }[] = [];
    for (const name of member.topics) {
      const readers = this.members.filter((other) => other.topics.includes(name));
      const index = readers.indexOf(member);
      if (index < 0) continue;
      const topic = this.topicsByName(name);
      for (let partition = index; partition < topic.partitionCount; partition += readers.length) {
        owned.push({ topic, partition });
      }
    }
    return owned;
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}
