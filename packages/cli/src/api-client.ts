/** A problem+json answer (or any non-2xx) from the leadscore API. */
export class ApiError extends Error {
  readonly code = 'API_ERROR';
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { path: string; message: string }[] },
  ) {
    super(`${status} ${problem.title ?? 'error'}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** A thin JSON client: Bearer key, JSON in and out, problems as ApiError. */
export function apiClient(
  baseUrl: string,
  apiKey: string | undefined,
  fetchImpl: typeof fetch = fetch,
): ApiClient {
  async function send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(new URL(path, baseUrl), {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json: unknown = text === '' ? {} : JSON.parse(text);
    if (!response.ok) throw new ApiError(response.status, json as ApiError['problem']);
    return json as T;
  }
  return { get: (path) => send('GET', path), post: (path, body) => send('POST', path, body) };
}
