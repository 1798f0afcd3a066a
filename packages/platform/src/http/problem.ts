/** RFC 9457 problem details: the body of every leadscore error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs are URNs: stable identifiers that do not pretend to be web pages. */
export const problemType = (slug: string): string => `urn:leadscore:problem:${slug}`;

export interface InvalidField {
  /** Where the field was: body, querystring, params or headers. */
  readonly in: string;
  /** Path inside that part, e.g. events[3].lead.email. */
  readonly path: string;
  readonly message: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly InvalidField[];
  readonly [extension: string]: unknown;
}

export interface HttpProblemOptions {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  /** Slug of the problem type, e.g. "lead-not-found"; also the error's code. */
  readonly code: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * An error a route throws to answer with a specific problem. Its detail is shown to the caller,
 * so it must not carry internals; anything that is not an HttpProblem answers 500 without detail.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(options: HttpProblemOptions) {
    super(options.detail ?? options.title);
    this.code = options.code;
    this.status = options.status;
    this.title = options.title;
    this.detail = options.detail;
    this.extensions = options.extensions ?? {};
  }

  toProblem(instance: string): ProblemDetails {
    return {
      ...this.extensions,
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      instance,
    };
  }
}

/** The shape both fastify's ajv validator and fastify-type-provider-zod put on error.validation. */
export interface SchemaValidationIssue {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** "/events/3/lead/email" -> "events[3].lead.email"; ajv's missing properties are appended. */
export function toInvalidField(where: string, issue: SchemaValidationIssue): InvalidField {
  const segments = issue.instancePath.split('/').filter((segment) => segment !== '');
  const missing = issue.params?.missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  const path = segments
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
  return { in: where, path, message: issue.message ?? 'is invalid' };
}

export function validationProblem(instance: string, fields: readonly InvalidField[]): ProblemDetails {
  return {
    type: problemType('validation'),
    title: 'Request is invalid',
    status: 400,
    detail: fields.map((field) => `${field.path || field.in}: ${field.message}`).join('; '),
    instance,
    errors: fields,
  };
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A problem whose type is the HTTP status itself (RFC 9457 section 4.2.1, "about:blank"). */
export function statusProblem(status: number, instance: string, detail?: string): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    ...(detail === undefined ? {} : { detail }),
    instance,
  };
}
