export type * from './types.js';
export type { IncentiveEngine } from './engine.js';
export { compileIncentives } from './engine.js';
export type { AccrualBatch } from './batch.js';
export { dayNumber } from './compile.js';
export type {
  CloseColumns,
  ColumnarClose,
  ColumnarPartners,
  ColumnarPeriodTotals,
  ComparisonColumns,
} from './columnar-close.js';
export { columnarTotalsToRows, compileColumnarClose } from './columnar-close.js';
