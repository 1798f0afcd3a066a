import { HttpProblem, validationRefusal } from '@leadscore/platform';

/** The API's own problems, beyond validation and API keys (packages/platform renders all of them). */
export const apiProblems = {
  leadNotFound: (leadId: string) =>
    new HttpProblem({
      status: 404,
      code: 'lead-not-found',
      title: 'Lead not found',
      detail: `no lead with id "${leadId}"`,
      extensions: { leadId },
    }),
  emailNotFound: (email: string) =>
    new HttpProblem({
      status: 404,
      code: 'lead-not-found',
      title: 'Lead not found',
      detail: `no lead with email "${email}"`,
      extensions: { email },
    }),
  invalidCursor: (reason: string) =>
    validationRefusal([{ in: 'querystring', path: 'cursor', message: reason }]),
  invalidRange: (path: string, reason: string) =>
    validationRefusal([{ in: 'querystring', path, message: reason }]),
  /** The webhook answers the same code for the same mistake, so a client handles both one way. */
  malformedJson: (detail: string) =>
    new HttpProblem({ status: 400, code: 'malformed-json', title: 'Malformed JSON', detail }),
  unsupportedMediaType: (contentType: string | undefined) =>
    new HttpProblem({
      status: 415,
      code: 'unsupported-media-type',
      title: 'Unsupported media type',
      detail: `the body must be application/json, got ${contentType ? `"${contentType}"` : 'no content type'}`,
    }),
  bodyTooLarge: (limitBytes: number) =>
    new HttpProblem({
      status: 413,
      code: 'body-too-large',
      title: 'Request body too large',
      detail: `the body exceeds ${limitBytes} bytes`,
    }),
};
