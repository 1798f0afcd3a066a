export type * from './bus.js';
