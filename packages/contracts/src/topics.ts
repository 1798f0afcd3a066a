/**
 * Every Kafka topic of leadscore. The prefix lets several deployments (or test files) share a
 * cluster: `topics('staging.')` -> `staging.leadscore.activity.v1`, ...
 */
export interface Topics {
  /** Raw webhook events, key = lead key. */
  readonly activity: string;
  /** Activity messages the ingest consumer could not read, with the reason in a header. */
  readonly activityDlq: string;
  /** Recorded activity/profile events from the relay, key = lead id. */
  readonly leadEvents: string;
  readonly scoreChanged: string;
  /** Stage changes for CRMs (CloudEvents), key = lead id. */
  readonly stageChanged: string;
  /** Pivotal-page alerts for sales tools. */
  readonly alerts: string;
}

export class InvalidTopicPrefixError extends Error {
  readonly code = 'INVALID_TOPIC_PREFIX';
  constructor(readonly prefix: string) {
    super(`topic prefix ${JSON.stringify(prefix)} may only hold letters, digits, '.', '_' and '-' (max 200)`);
    this.name = 'InvalidTopicPrefixError';
  }
}

export function topics(prefix = ''): Topics {
  // Kafka's own rule for topic names; checked here so a bad prefix fails at start-up, not at publish.
  if (!/^[A-Za-z0-9._-]{0,200}$/.test(prefix)) throw new InvalidTopicPrefixError(prefix);
  return {
    activity: `${prefix}leadscore.activity.v1`,
    activityDlq: `${prefix}leadscore.activity.dlq.v1`,
    leadEvents: `${prefix}leadscore.lead-events.v1`,
    scoreChanged: `${prefix}leadscore.score-changed.v1`,
    stageChanged: `${prefix}leadscore.stage-changed.v1`,
    alerts: `${prefix}leadscore.alerts.v1`,
  };
}
