import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@leadscore/platform';

const DESCRIPTIONS = {
  400: 'A parameter or the body is invalid; `errors` names each bad field',
  401: 'No API key, or one that matches no configured key',
  403: 'The API key lacks the scope this operation needs',
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
