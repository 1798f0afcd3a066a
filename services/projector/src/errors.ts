/** Base of the errors the projector throws on purpose; `code` is stable for callers (the API) to test. */
export abstract class ProjectorError extends Error {
  abstract readonly code: string;
}

/** A score change names a ruleset this projector does not know: it cannot tell the stage policy. */
export class RulesetNotFoundError extends ProjectorError {
  readonly code = 'RULESET_NOT_FOUND';
  constructor(
    readonly rulesetId: string,
    readonly rulesetVersion: number,
  ) {
    super(`ruleset ${rulesetId}@${rulesetVersion} is not known to the projector`);
    this.name = 'RulesetNotFoundError';
  }
}

/** A manual stage change for a lead the projector has never scored (unknown, or not projected yet). */
export class LeadNotFoundError extends ProjectorError {
  readonly code = 'LEAD_NOT_FOUND';
  constructor(readonly leadId: string) {
    super(`lead ${leadId} has no stage yet: it is unknown, or its first score has not been projected`);
    this.name = 'LeadNotFoundError';
  }
}

/** A manual stage change request that cannot be carried out whatever the lead's state. */
export class InvalidStageChangeError extends ProjectorError {
  readonly code = 'INVALID_STAGE_CHANGE';
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid stage change: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'InvalidStageChangeError';
  }
}

/**
 * Another decision for the same lead committed between our read and our write; nothing of ours
 * was stored. Retried with a fresh read; escapes only when it keeps happening.
 */
export class StageDecisionContendedError extends ProjectorError {
  readonly code = 'STAGE_DECISION_CONTENDED';
  constructor(
    readonly leadId: string,
    readonly attempts: number,
  ) {
    super(
      `stage decision for lead ${leadId} kept conflicting with concurrent writers (${attempts} attempts)`,
    );
    this.name = 'StageDecisionContendedError';
  }
}
