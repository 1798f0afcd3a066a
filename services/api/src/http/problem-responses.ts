import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@leadscore/platform';

/** The problems every route words the same way, whatever its resources. */
export const COMMON_PROBLEM_DESCRIPTIONS = {
  401: 'No API key, or one that matches no configured key',
  403: 'The API key lacks the scope this operation needs',
  413: 'The body is larger than the limit (1 MiB)',
  415: 'The body is not application/json',
} as const;

/** The start of every 400's description: a body that is not JSON is a 400 of its own type. */
export const INVALID_REQUEST =
  'A parameter or the body is invalid: `errors` names each bad field (text holding U+0000 or an unpaired ' +
  'surrogate included); a body that is not JSON answers urn:leadscore:problem:malformed-json, without `errors`';

const DESCRIPTIONS = {
  ...COMMON_PROBLEM_DESCRIPTIONS,
  400: INVALID_REQUEST,
  404: 'No lead with this id or email',
  409: 'The request conflicts with the lead as it is now',
} as const;

export type ProblemStatus = keyof typeof DESCRIPTIONS;

/**
 * A declarer of the response entries for the problems a route can answer, keyed by status and
 * described from `descriptions` (a group of routes may word them for its own resources). They are
 * declared per media type, so fastify serializes problem bodies with ProblemSchema and the OpenAPI
 * document shows application/problem+json (see openapi/openapi-transform.ts).
 */
export function problemResponsesDescribedBy<const D extends Readonly<Record<number, string>>>(
  descriptions: D,
) {
  return <const S extends keyof D & number>(...statuses: S[]): Record<S, ProblemResponse> => {
    const responses = {} as Record<S, ProblemResponse>;
    for (const status of statuses) {
      responses[status] = {
        // S is a key of D: indexing with it cannot miss.
        description: descriptions[status] as string,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      };
    }
    return responses;
  };
}

/** The lead routes' problem responses (problemResponsesDescribedBy). */
export const problemResponses = problemResponsesDescribedBy(DESCRIPTIONS);

export interface ProblemResponse {
  readonly description: string;
  readonly content: Readonly<Record<string, { readonly schema: typeof ProblemSchema }>>;
}
