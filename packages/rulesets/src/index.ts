// @leadscore/rulesets: ruleset versions stored as events (draft, publish), the active version the
// scorers use, diffs between versions, and the rescoring jobs publications start.

export {
  type ChangedRule,
  diffRulesets,
  type FieldChange,
  type RuleRef,
  type RuleSection,
  type RulesetDiff,
} from './diff-rulesets.js';
export {
  NoActiveRulesetError,
  PublicationRescoringRunningError,
  RulesetAlreadyActiveError,
  RulesetCatalogContendedError,
  RulesetCatalogError,
  RulesetDraftInvalidError,
  RulesetVersionNotFoundError,
  RulesetVersionTakenError,
} from './errors.js';
export { type PublishRequest, type PublishResult, publishRuleset } from './publish-ruleset.js';
export { type RebuildResult, rebuildScores } from './rebuild-scores.js';
export {
  progressOf,
  type RescoringJob,
  type RescoringJobStatus,
  RescoringJobStatusSchema,
  type RescoringProgress,
  UNFINISHED_PROGRESS,
} from './rescoring/rescoring-job.js';
export {
  claimedJob,
  claimRunningJobSql,
  findRescoringJob,
  findRunningRescoringJob,
  listRescoringJobs,
  type RescoringBatchResult,
  recordRescoringBatch,
  runningAtCheckpointSql,
} from './rescoring/rescoring-job-table.js';
export type { RulesetCatalogState, RulesetStatus, RulesetVersion } from './ruleset-catalog.js';
export { rulesetAuthorSchema, rulesetCommentSchema } from './ruleset-events.js';
export {
  catalogVersionSql,
  type DraftedRuleset,
  type DraftRequest,
  draftRuleset,
  ensureDefaultRuleset,
  readCatalog,
} from './ruleset-store.js';
export { type SimulateOptions, simulateRulesets } from './simulation/simulate-rulesets.js';
export {
  type MqlPrediction,
  SCORE_BUCKET_EDGES,
  type ScoreDistribution,
  type SimulationReport,
} from './simulation/simulation-report.js';
export { type StoredRulesets, storedRulesets } from './stored-rulesets.js';
