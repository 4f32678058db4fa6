/** The library entry point of `matcher`. */
export * from './pattern/index.js';
export type * from './contracts.js';
