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

/** The API did not answer at all: nothing listens there, or the network is down. */
export class ApiUnreachableError extends Error {
  readonly code = 'API_UNREACHABLE';
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`cannot reach ${baseUrl} (${reasonOf(cause)})`, { cause });
    this.name = 'ApiUnreachableError';
  }
}

// fetch says only "fetch failed"; the socket's error (ECONNREFUSED ...) is its cause.
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ?? (error as Error).message;
}

/** The API answered something that is not JSON: most likely the URL names another server (a proxy, a web site). */
export class NotAnApiAnswerError extends Error {
  readonly code = 'NOT_AN_API_ANSWER';
  constructor(url: URL, response: Response) {
    const type = response.headers.get('content-type') ?? 'no content type';
    super(
      `${url} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} with ${type}, not JSON: is LEADSCORE_URL a leadscore API?`,
    );
    this.name = 'NotAnApiAnswerError';
  }
}

/**
 * The URL of an API path below the base URL's own path: behind a proxy at https://host/leadscore,
 * /v1/leads is https://host/leadscore/v1/leads (URL resolution of an absolute path would drop
 * /leadscore, and send the key to whatever answers at the host's root).
 */
export function endpointOf(baseUrl: string, path: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url;
}

function parsedAnswer(text: string, url: URL, response: Response): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new NotAnApiAnswerError(url, response);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** A POST that answers 201 for a new resource, or 200 with one already stored. */
  create<T>(path: string, body: unknown): Promise<{ readonly created: boolean; readonly body: T }>;
}

/** A thin JSON client: Bearer key, JSON in and out, problems as ApiError. */
export function apiClient(
  baseUrl: string,
  apiKey: string | undefined,
  fetchImpl: typeof fetch = fetch,
): ApiClient {
  async function send<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const url = endpointOf(baseUrl, path);
    const response = await fetchImpl(url, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new ApiUnreachableError(baseUrl, error);
    });
    const json = parsedAnswer(await response.text(), url, response);
    if (!response.ok) throw new ApiError(response.status, json as ApiError['problem']);
    return { status: response.status, body: json as T };
  }
  return {
    get: async <T>(path: string) => (await send<T>('GET', path)).body,
    post: async <T>(path: string, body: unknown) => (await send<T>('POST', path, body)).body,
    create: async <T>(path: string, body: unknown) => {
      const answer = await send<T>('POST', path, body);
      return { created: answer.status === 201, body: answer.body };
    },
  };
}
