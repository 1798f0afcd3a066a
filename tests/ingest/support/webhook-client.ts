import { signWebhookBody } from '../../../services/ingest/src/http/hmac-signature.js';

export interface PostOptions {
  readonly apiKey?: string | undefined;
  readonly contentType?: string | undefined;
  /** Signs `timestamp.body` with this secret; `signedAt` (Unix seconds) defaults to now. */
  readonly hmacSecret?: string;
  readonly signedAt?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface WebhookResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** POSTs raw bytes to /v1/events the way a marketing tool would. */
export async function postEvents(
  baseUrl: string,
  body: string | Buffer,
  options: PostOptions = {},
): Promise<WebhookResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  if (options.hmacSecret !== undefined) {
    const timestamp = String(options.signedAt ?? Math.floor(Date.now() / 1000));
    headers['x-leadscore-timestamp'] = timestamp;
    headers['x-leadscore-signature'] = signWebhookBody(options.hmacSecret, timestamp, body);
  }
  const response = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
}
