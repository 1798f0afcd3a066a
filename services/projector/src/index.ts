export { buildApp, type ProjectorDependencies } from './app.js';
export { PROJECTOR_CONSUMER_GROUP } from './consumer/score-changed-consumer.js';
export {
  InvalidStageChangeError,
  LeadNotFoundError,
  ProjectorError,
  RulesetNotFoundError,
  StageDecisionContendedError,
} from './errors.js';
export { createProjectorMetrics, type ProjectorMetrics } from './metrics.js';
export { type Projector, type ProjectorOptions, registerProjector } from './projector-module.js';
export { fixedRulesetCatalog, type RulesetCatalog, storedRulesetCatalog } from './ruleset-catalog.js';
export { REFUSED_IN_ACTOR, REFUSED_IN_REASON } from './stages/manual-move-text.js';
export {
  type ChangeStageManually,
  createManualStageChange,
  type ManualStageChange,
} from './stages/manual-stage-change.js';
