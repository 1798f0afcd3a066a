import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import { KEYS } from './service-pipeline.js';

export class UnexpectedResponseError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'UnexpectedResponseError';
  }
}

/** Posts a batch to the webhook as a marketing tool does; resolves with the ids once accepted (202). */
export async function postEvents(
  ingestUrl: string,
  events: readonly ActivityEventInput[],
): Promise<string[]> {
  const url = `${ingestUrl}/v1/events`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const text = await response.text();
  if (response.status !== 202) throw new UnexpectedResponseError(url, response.status, text);
  return (JSON.parse(text) as { ids: string[] }).ids;
}

/**
 * Posts like a tool whose webhook endpoint may be down: a refused connection or a 5xx is retried
 * with the same batch (same ids, so whatever was taken before is not stored twice).
 */
export async function postEventsUntilAccepted(
  ingestUrl: string,
  events: readonly ActivityEventInput[],
  timeoutMs = 120_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await postEvents(ingestUrl, events);
    } catch (error) {
      const retryable = !(error instanceof UnexpectedResponseError) || error.status >= 500;
      if (!retryable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** GET on the REST API with the read key; the parsed body of a 200, else an error. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export async function getJson(apiUrl: string, path: string): Promise<any> {
  const url = `${apiUrl}${path}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${KEYS.read}` } });
  const text = await response.text();
  if (response.status !== 200) throw new UnexpectedResponseError(url, response.status, text);
  return JSON.parse(text);
}
