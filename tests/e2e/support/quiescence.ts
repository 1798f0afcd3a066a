import { type Admin, Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import type { Topics } from '../../../packages/contracts/src/index.js';

/** The consumer groups of the services, as they name them from the topic prefix. */
export function serviceGroups(prefix: string, topics: Topics): { group: string; topic: string }[] {
  return [
    { group: `${prefix}leadscore-ingest`, topic: topics.activity },
    { group: `${prefix}leadscore-scoring`, topic: topics.leadEvents },
    { group: `${prefix}leadscore-projector`, topic: topics.scoreChanged },
  ];
}

export interface Progress {
  /** Messages each group has yet to commit, by group. */
  readonly lag: Readonly<Record<string, number>>;
  /** Events in the store the relay has not published yet. */
  readonly unrelayed: number;
  /** Score changes and alerts the scoring service stored but has not published yet. */
  readonly unpublished: number;
  /**
   * Decay checks of the projector that are due (wall clock) and not yet taken: a lead whose score
   * decayed across a band before its events were processed is checked right after, by the
   * scheduler's next pass, and rewritten then.
   */
  readonly dueChecks: number;
  /**
   * Events appended so far, by the store's position sequence (an append rolled back counts too):
   * it moves with every append.
   */
  readonly appendedEvents: number;
}

const settled = (progress: Progress) =>
  progress.unrelayed === 0 &&
  progress.unpublished === 0 &&
  progress.dueChecks === 0 &&
  Object.values(progress.lag).every((lag) => lag === 0);

/**
 * Watches the whole pipeline from outside, the way an operator would: consumer-group lag on each
 * topic (committed offsets against the end of the log), the relay's checkpoint against the store,
 * and the scoring outbox. Quiet means nothing is anywhere in flight.
 */
export class PipelineWatch {
  private readonly admin: Admin;

  constructor(
    brokers: readonly string[],
    private readonly pool: pg.Pool,
    private readonly groups: readonly { group: string; topic: string }[],
  ) {
    this.admin = new Kafka({
      brokers: [...brokers],
      clientId: 'e2e-watch',
      logLevel: logLevel.NOTHING,
    }).admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  async progress(): Promise<Progress> {
    const lag: Record<string, number> = {};
    for (const { group, topic } of this.groups) lag[group] = (await this.groupLag(group, topic)).lag;
    const { rows } = await this.pool.query<{
      unrelayed: number;
      unpublished: number;
      due_checks: number;
      appended: string;
    }>(
      // In the relay's own order, (transaction id, global position): a transaction that took its id
      // early and its positions late (the projector locks rows before it appends) sorts before
      // events with lower positions, and is behind the checkpoint once relayed. Counted through
      // that order's index (ORDER BY ... LIMIT), and the appends by the identity sequence, not by
      // counting the log: this runs every half second, and a pass over the log would load the
      // machine it watches more the longer a run goes.
      `WITH relayed AS (
         SELECT coalesce((SELECT last_transaction_id FROM eventstore.subscriber_checkpoints
                           WHERE subscriber = 'relay'), '0'::xid8) AS transaction_id,
                coalesce((SELECT last_global_position FROM eventstore.subscriber_checkpoints
                           WHERE subscriber = 'relay'), 0) AS global_position)
       SELECT (SELECT count(*)::int
                 FROM (SELECT 1 FROM eventstore.messages m
                        WHERE (m.transaction_id, m.global_position)
                              > ((SELECT transaction_id FROM relayed), (SELECT global_position FROM relayed))
                        ORDER BY m.transaction_id, m.global_position
                        LIMIT 1000000000) AS behind) AS unrelayed,
              (SELECT count(*)::int FROM scoring_outbox)
                + (SELECT coalesce(sum(json_array_length(messages::json)), 0)::int
                     FROM rescoring_outbox) AS unpublished,
              (SELECT count(*)::int FROM lead_stages WHERE next_check_at <= now()) AS due_checks,
              coalesce(pg_sequence_last_value(
                pg_get_serial_sequence('eventstore.messages', 'global_position')::regclass), 0)
                AS appended`,
    );
    const row = rows[0]!;
    return {
      lag,
      unrelayed: row.unrelayed,
      unpublished: row.unpublished,
      dueChecks: row.due_checks,
      appendedEvents: Number(row.appended),
    };
  }

  /**
   * Waits until every group, the relay, the outbox and the due decay checks are caught up, twice in
   * a row with no append in between: a stage change appended while one pass ran is seen by the next.
   */
  async untilQuiet(timeoutMs: number, describe: () => string = () => ''): Promise<Progress> {
    const deadline = Date.now() + timeoutMs;
    let previous: Progress | undefined;
    for (;;) {
      const progress = await this.progress();
      if (
        settled(progress) &&
        previous &&
        settled(previous) &&
        previous.appendedEvents === progress.appendedEvents
      ) {
        return progress;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `pipeline not quiet after ${timeoutMs} ms: ${JSON.stringify(progress)}\n${describe()}`,
        );
      }
      previous = progress;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** How far a group has committed on a topic, and how far the topic goes (sums over partitions). */
  async groupPosition(groupId: string, topic: string): Promise<{ committed: number; end: number }> {
    const { lag, end } = await this.groupLag(groupId, topic);
    return { committed: end - lag, end };
  }

  /** The group's lag on the topic, and the topic's end (sums over partitions), from one fetch. */
  private async groupLag(groupId: string, topic: string): Promise<{ lag: number; end: number }> {
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedByPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    let lag = 0;
    let total = 0;
    for (const end of ends) {
      // -1: nothing committed yet, so everything from the log's start is still to come.
      const at = committedByPartition.get(end.partition) ?? -1;
      lag += Number(end.high) - (at < 0 ? Number(end.low) : at);
      total += Number(end.high);
    }
    return { lag, end: total };
  }
}
