import { HttpProblem } from '@leadscore/platform';
import {
  COMMON_PROBLEM_DESCRIPTIONS,
  INVALID_REQUEST,
  problemResponsesDescribedBy,
} from '../../http/problem-responses.js';

const DESCRIPTIONS = {
  ...COMMON_PROBLEM_DESCRIPTIONS,
  400: `${INVALID_REQUEST}. Every problem of a ruleset document is listed, by path`,
  404: 'No ruleset version (or rescoring job) with this number or id',
  409:
    'The catalog moved: the version is already active, or another draft took the version number; or a rebuild ' +
    'was asked for while the active version’s publication is being rescored',
} as const;

/** Problem responses of the ruleset and rescoring routes. */
export const rulesetProblemResponses = problemResponsesDescribedBy(DESCRIPTIONS);

/** The catalog's refusals, by their stable codes, as problems; anything else stays a 500. */
export function toRulesetProblem(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  const context = error as Record<string, unknown>;
  if (code === 'RULESET_VERSION_NOT_FOUND') {
    throw new HttpProblem({
      status: 404,
      code: 'ruleset-not-found',
      title: 'Ruleset version not found',
      detail: (error as Error).message,
      extensions: { version: context.version },
    });
  }
  if (code === 'RULESET_DRAFT_INVALID') {
    const issues = context.issues as { path: string; message: string }[];
    const errors = issues.map((issue) => ({
      in: 'body',
      path: issue.path === '' ? 'ruleset' : `ruleset.${issue.path}`.replace('.[', '['),
      message: issue.message,
    }));
    throw new HttpProblem({
      status: 400,
      code: 'validation',
      title: 'Request is invalid',
      detail: errors.map((field) => `${field.path}: ${field.message}`).join('; '),
      extensions: { errors },
    });
  }
  if (code === 'PUBLICATION_RESCORING_RUNNING') {
    throw new HttpProblem({
      status: 409,
      code: 'publication-rescoring-running',
      title: 'A publication is being rescored',
      detail: (error as Error).message,
      extensions: { jobId: context.jobId, version: context.version },
    });
  }
  if (
    code === 'RULESET_VERSION_TAKEN' ||
    code === 'RULESET_ALREADY_ACTIVE' ||
    code === 'RULESET_CATALOG_CONTENDED'
  ) {
    throw new HttpProblem({
      status: 409,
      code: String(code).toLowerCase().replaceAll('_', '-'),
      title: 'Ruleset catalog conflict',
      detail: (error as Error).message,
    });
  }
  throw error;
}

export const rescoringJobNotFound = (jobId: string) =>
  new HttpProblem({
    status: 404,
    code: 'rescoring-job-not-found',
    title: 'Rescoring job not found',
    detail: `no rescoring job with id "${jobId}"`,
    extensions: { jobId },
  });
