/**
 * stix2-patterning-js: the STIX 2.1 (and 2.0) pattern language.
 * This folder imports nothing from the rest of the project, so it can be published on its own.
 */
export type * from './ast.js';
export { PatternSyntaxError } from './errors.js';
