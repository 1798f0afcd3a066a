import type { z } from 'zod';

export type Issue = { path: string; message: string };

/** Every error the engine throws: a stable `code` to branch on, plus the context to act on it. */
export abstract class ScoringError extends Error {
  abstract readonly code: string;
}

export class RulesetInvalidError extends ScoringError {
  readonly code = 'RULESET_INVALID';
  constructor(readonly issues: Issue[]) {
    super(`ruleset is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'RulesetInvalidError';
  }
}

export class EventInvalidError extends ScoringError {
  readonly code = 'EVENT_INVALID';
  constructor(readonly issues: Issue[]) {
    super(`event is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'EventInvalidError';
  }
}

export class LeadStateInvalidError extends ScoringError {
  readonly code = 'LEAD_STATE_INVALID';
  constructor(readonly issues: Issue[]) {
    super(`lead state is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'LeadStateInvalidError';
  }
}

/** A state built under one ruleset version was handed to another: the lead must be rescored. */
export class RulesetMismatchError extends ScoringError {
  readonly code = 'RULESET_MISMATCH';
  constructor(
    readonly stateRuleset: string,
    readonly givenRuleset: string,
  ) {
    super(
      `lead state was built with ruleset ${stateRuleset} but ${givenRuleset} was given; rescore the lead`,
    );
    this.name = 'RulesetMismatchError';
  }
}

/** Folding cannot be undone, so a state cannot be read before its last event: replay instead. */
export class AsOfBeforeStateError extends ScoringError {
  readonly code = 'AS_OF_BEFORE_STATE';
  constructor(
    readonly at: number,
    readonly lastOccurredAt: number,
  ) {
    super(`cannot read the score at ${at}: the state already holds an event at ${lastOccurredAt}`);
    this.name = 'AsOfBeforeStateError';
  }
}

/**
 * Every problem of a failed parse, by path. An unknown key is named at its own path (`rules[0].wieght`),
 * as the API names an unknown field of a request, rather than zod's one issue at the object holding it,
 * with the message `is not a field of ${document}`: what was parsed, in the caller's words ("a lead
 * state"). Rulesets are the default: their documents are what people write, and misspell.
 */
export function toIssues(error: z.ZodError, document = 'a ruleset document'): Issue[] {
  const unknownKey = `is not a field of ${document}`;
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: unknownKey }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
