import type { ConformanceCase } from './case.js';
import { cidrCases } from './cases/cidr.js';
import { comparisonOperatorCases } from './cases/comparison-operators.js';
import { constantCases } from './cases/constants.js';
import { objectPathCases } from './cases/object-paths.js';
import { observationExpressionCases } from './cases/observation-expressions.js';
import { qualifierCases } from './cases/qualifiers.js';
import { stix20Cases } from './cases/stix20.js';
import { syntaxCases } from './cases/syntax.js';

/** Every conformance case, in the order of the specification's sections. */
export const allCases: readonly ConformanceCase[] = [
  ...constantCases,
  ...syntaxCases,
  ...observationExpressionCases,
  ...qualifierCases,
  ...comparisonOperatorCases,
  ...cidrCases,
  ...objectPathCases,
  ...stix20Cases,
];
