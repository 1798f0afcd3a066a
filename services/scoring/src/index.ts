export { buildApp, type ScoringDependencies } from './app.js';
