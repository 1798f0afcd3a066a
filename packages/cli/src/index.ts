export { type ApiClient, ApiError, apiClient } from './api-client.js';
export { main } from './main.js';
export { renderProgress } from './progress-bar.js';
export type { Terminal } from './terminal.js';
