export { IndicatorFileError, readIndicatorFile, type IndicatorProblem } from './bundle-file.js';
export { loadIndicatorFiles, type LoadedIndicators } from './load.js';
export { indicatorSchema, type StixIndicator } from './schema.js';
export { fileIndicatorProvider } from './file-provider.js';
export type { IndicatorProvider, IndicatorSnapshot } from './provider.js';
