import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { request } from './http-client.js';

/** The step of a load-plan event id (`<lead>-s<step>`). */
const stepOf = (eventId: string) => Number(eventId.slice(eventId.lastIndexOf('-s') + 2));

interface Probe {
  readonly leadId: string;
  readonly step: number;
  readonly acceptedAt: number;
  readonly resolve: (ms: number) => void;
  readonly reject: (error: Error) => void;
}

export interface ScoreVisibilityOptions {
  readonly databaseUrl: string;
  readonly apiUrl: string;
  readonly readKey: string;
  /** Of its database connection, so that its backend's CPU can be told apart. */
  readonly applicationName: string;
  /** Between two looks at the database. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

/**
 * When an accepted event's score becomes visible in GET /v1/leads/{id}, for many probed events at
 * once, at a cost that does not grow with the latency measured. One query every few ms looks
 * at lead_scores for every probe still waiting (the table the API reads, committed rows only);
 * each probe whose lead shows the event, or a later step of it, is then confirmed with one GET to
 * the API, and its time is taken when that answer arrives. (Polling the API per probe, as this
 * bench did before, sent the API thousands of requests a second once latencies reached seconds,
 * and so loaded the machine it measured more the slower it was.)
 */
export class ScoreVisibility {
  readonly #client: pg.Client;
  readonly #options: ScoreVisibilityOptions;
  readonly #waiting = new Map<string, Probe[]>();
  #running = true;
  #loop: Promise<void> = Promise.resolve();

  private constructor(client: pg.Client, options: ScoreVisibilityOptions) {
    this.#client = client;
    this.#options = options;
  }

  static async start(options: ScoreVisibilityOptions): Promise<ScoreVisibility> {
    const client = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: options.applicationName,
    });
    await client.connect();
    const visibility = new ScoreVisibility(client, options);
    visibility.#loop = visibility.#watch();
    return visibility;
  }

  /** Resolves with ms from `acceptedAt` (performance.now()) until the API shows the event's score. */
  probe(leadId: string, eventId: string, acceptedAt: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const probes = this.#waiting.get(leadId) ?? [];
      probes.push({ leadId, step: stepOf(eventId), acceptedAt, resolve, reject });
      this.#waiting.set(leadId, probes);
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#client.end();
    for (const probes of this.#waiting.values()) {
      for (const probe of probes) probe.reject(new Error(`score of ${probe.leadId} never became visible`));
    }
  }

  async #watch(): Promise<void> {
    const timeoutMs = this.#options.timeoutMs ?? 60_000;
    while (this.#running) {
      if (this.#waiting.size > 0) {
        const { rows } = await this.#client.query<{ lead_id: string; last_event_id: string }>(
          'SELECT lead_id, last_event_id FROM lead_scores WHERE lead_id = ANY($1::text[])',
          [[...this.#waiting.keys()]],
        );
        for (const row of rows) this.#scored(row.lead_id, stepOf(row.last_event_id));
        this.#expire(performance.now() - timeoutMs);
      }
      await sleep(this.#options.intervalMs ?? 5);
    }
  }

  #scored(leadId: string, scoredStep: number): void {
    for (const probe of this.#take(leadId, (waiting) => waiting.step <= scoredStep))
      void this.#confirm(probe);
  }

  /** Removes the lead's waiting probes that `done` picks, and returns them. */
  #take(leadId: string, done: (probe: Probe) => boolean): Probe[] {
    const probes = this.#waiting.get(leadId) ?? [];
    const taken = probes.filter(done);
    if (taken.length === 0) return taken;
    const left = probes.filter((probe) => !done(probe));
    if (left.length === 0) this.#waiting.delete(leadId);
    else this.#waiting.set(leadId, left);
    return taken;
  }

  // The database shows it; the time is taken when the API does.
  async #confirm(probe: Probe): Promise<void> {
    try {
      const response = await request(`${this.#options.apiUrl}/v1/leads/${probe.leadId}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${this.#options.readKey}` },
      });
      const now = performance.now();
      const body = JSON.parse(response.body) as { scored?: { eventId: string } };
      if (response.status === 200 && body.scored && stepOf(body.scored.eventId) >= probe.step) {
        probe.resolve(now - probe.acceptedAt);
      } else {
        probe.reject(new Error(`lead ${probe.leadId}: scored in lead_scores but not in the API`));
      }
    } catch (error) {
      probe.reject(error as Error);
    }
  }

  #expire(acceptedBefore: number): void {
    for (const leadId of [...this.#waiting.keys()]) {
      for (const probe of this.#take(leadId, (waiting) => waiting.acceptedAt < acceptedBefore))
        probe.reject(new Error(`score of ${leadId} not visible within the timeout`));
    }
  }
}
