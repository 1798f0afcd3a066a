export { buildApp, type IngestDependencies } from './app.js';
