export { buildApp, type ProjectorDependencies } from './app.js';
