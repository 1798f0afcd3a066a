export { type ApiDependencies, buildApp } from './app.js';
