import { HttpProblem } from '@leadscore/platform';

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
    new HttpProblem({
      status: 400,
      code: 'validation',
      title: 'Request is invalid',
      detail: `cursor: ${reason}`,
      extensions: { errors: [{ in: 'querystring', path: 'cursor', message: reason }] },
    }),
  invalidRange: (path: string, reason: string) =>
    new HttpProblem({
      status: 400,
      code: 'validation',
      title: 'Request is invalid',
      detail: `${path}: ${reason}`,
      extensions: { errors: [{ in: 'querystring', path, message: reason }] },
    }),
};
