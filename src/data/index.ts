export type { Column, DataTable } from './types.js';
export { toTable, columnNames, type TableOptions } from './table.js';
export { sortLevels, withReference } from './levels.js';
export { toFactor, asCategorical, type Factor } from './factor.js';
export { formatNumber } from './rnumber.js';
