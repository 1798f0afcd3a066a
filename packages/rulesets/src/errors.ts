import type { Issue } from '@leadscore/scoring';

/** Every refusal of the ruleset catalog: a stable `code` and the context to act on it. */
export abstract class RulesetCatalogError extends Error {
  abstract readonly code: string;
}

export class RulesetVersionNotFoundError extends RulesetCatalogError {
  readonly code = 'RULESET_VERSION_NOT_FOUND';
  constructor(readonly version: number) {
    super(`no ruleset version ${version}`);
    this.name = 'RulesetVersionNotFoundError';
  }
}

/** A draft that is not a valid ruleset: every problem, by path inside the document. */
export class RulesetDraftInvalidError extends RulesetCatalogError {
  readonly code = 'RULESET_DRAFT_INVALID';
  constructor(readonly issues: readonly Issue[]) {
    super(`ruleset draft is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'RulesetDraftInvalidError';
  }
}

/** The draft names a version, and the catalog's next version is another one. */
export class RulesetVersionTakenError extends RulesetCatalogError {
  readonly code = 'RULESET_VERSION_TAKEN';
  constructor(
    readonly requested: number,
    readonly next: number,
  ) {
    super(`version ${requested} cannot be drafted: the next version is ${next}`);
    this.name = 'RulesetVersionTakenError';
  }
}

export class RulesetAlreadyActiveError extends RulesetCatalogError {
  readonly code = 'RULESET_ALREADY_ACTIVE';
  constructor(readonly version: number) {
    super(`ruleset version ${version} is already the active one`);
    this.name = 'RulesetAlreadyActiveError';
  }
}

/** The catalog has no published version: the database was not seeded (ensureDefaultRuleset). */
export class NoActiveRulesetError extends RulesetCatalogError {
  readonly code = 'NO_ACTIVE_RULESET';
  constructor() {
    super('no ruleset version is published; call ensureDefaultRuleset at start-up');
    this.name = 'NoActiveRulesetError';
  }
}

/** Drafting or publishing kept losing the race for the rulesets stream. */
export class RulesetCatalogContendedError extends RulesetCatalogError {
  readonly code = 'RULESET_CATALOG_CONTENDED';
  constructor(readonly attempts: number) {
    super(`the ruleset catalog kept changing concurrently (${attempts} attempts)`);
    this.name = 'RulesetCatalogContendedError';
  }
}

/**
 * A rebuild was asked for while the publication of the active version is being rescored. That
 * job rescores only the leads under another version (a lead already under this one, rolled back
 * to, say, is left as it is), so joining it would not rebuild them, and a second job would stop
 * it half-way: the rebuild is asked for again once it has completed.
 */
export class PublicationRescoringRunningError extends RulesetCatalogError {
  readonly code = 'PUBLICATION_RESCORING_RUNNING';
  constructor(
    readonly jobId: string,
    readonly version: number,
  ) {
    super(
      `version ${version} is being published (rescoring job ${jobId}); ask for the rebuild again once that job has completed`,
    );
    this.name = 'PublicationRescoringRunningError';
  }
}
