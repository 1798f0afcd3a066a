// @leadscore/scoring: the pure scoring domain. No I/O, no clock: every time is an argument (epoch ms).

export {
  type RecordedActivity,
  type StoredActivity,
  scoringEventFromActivity,
  scoringEventFromStored,
} from './activity-event.js';
export { crossingThresholds } from './crossing-thresholds.js';
export { canonicalEvents, explainEvents, foldEvents, scoreEvents } from './engine/canonical.js';
export { type Explanation, ExplanationSchema, explain } from './engine/explain.js';
export { type Alert, type FoldResult, fold } from './engine/fold.js';
export {
  type Accumulator,
  emptyLeadState,
  type LeadState,
  LeadStateSchema,
  parseLeadState,
  type RuleTally,
  type TraitValue,
} from './engine/lead-state.js';
export { type Crossing, nextCrossing } from './engine/next-crossing.js';
export { type ScoreView, ScoreViewSchema, scoreAt } from './engine/score-view.js';
export {
  AsOfBeforeStateError,
  EventInvalidError,
  type Issue,
  LeadStateInvalidError,
  RulesetInvalidError,
  RulesetMismatchError,
  ScoringError,
} from './errors.js';
export { compareEvents, parseScoringEvent, type ScoringEvent, ScoringEventSchema } from './event.js';
export {
  type CompiledEngagementRule,
  type CompiledFitRule,
  type CompiledRuleset,
  compileRuleset,
  rulesetKey,
} from './ruleset/compile-ruleset.js';
export { type Condition, ConditionSchema } from './ruleset/condition.schema.js';
export { defaultRuleset } from './ruleset/default-ruleset.js';
export { parseRuleset, parseRulesetOrThrow, type RulesetParseResult } from './ruleset/parse-ruleset.js';
export {
  type EngagementRule,
  EngagementRuleSchema,
  type FitRule,
  FitRuleSchema,
  type Grade,
  GradeSchema,
  type Ruleset,
  type RulesetInput,
  RulesetSchema,
  type StagePolicy,
  StagePolicySchema,
  type WindowUnit,
} from './ruleset/ruleset.schema.js';
export {
  parseRulesetDocument,
  type RulesetDocument,
  type RulesetDocumentParseResult,
} from './ruleset/ruleset-document.js';
export { changeInstant } from './stages/change-instant.js';
export { afterLook, decide, evolve, stageThresholds } from './stages/decide.js';
export { manualMoveSources, movesByHand } from './stages/manual-moves.js';
export {
  initialStageState,
  type Stage,
  type StageChanged,
  StageChangedSchema,
  type StageChangeReason,
  StageChangeReasonSchema,
  StageSchema,
  type StageScore,
  StageScoreSchema,
  type StageSignal,
  StageSignalSchema,
  type StageState,
  StageStateSchema,
} from './stages/stage.schema.js';
