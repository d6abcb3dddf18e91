/**
 * A linear mixed model fitted where the data live: the blocks of A from the
 * engine's GROUP BYs (lmmSums.ts), then exactly the in-memory pipeline from the
 * problem on (lmm/lmer.ts fitLmm: the same start, optimiser, checks and
 * finish; Satterthwaite's df from the same problem). The frame has no rows:
 * fitted values and residuals stay in the engine, and the residual summary,
 * when asked for, is one more aggregate query (residuals.ts).
 */
import type { FitOptions, LinearMixedModel } from '../../api/fit.js';
import { lmmCoefficients } from '../../api/coefficients.js';
import type { DataTable } from '../../data/types.js';
import { fitLmmProblem, registerBlocks } from '../../lmm/index.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import { checkLmmResponse, lmmSums, type LmmSums } from './lmmSums.js';
import { lmmResidualQuantiles } from './residuals.js';

export interface SourceModelOptions extends FitOptions {
  /** Compute the residual summary (one more pass; only a text summary shows it). */
  residuals?: boolean;
  /** `on`: compute in the engine whatever can be (GLMM PIRLS from 100,000 rows on, not only from ENGINE_ROWS). */
  pushdown?: 'auto' | 'on' | 'off';
}

/** An empty table with the relation's column names (a frame without rows has no data to keep). */
export function emptyTable(sql: SqlFrame): DataTable {
  return { names: [...sql.columns.keys()], nrow: 0, columns: new Map() };
}

/**
 * Fits a linear mixed model from sums computed in the engine (GROUP BY queries for the blocks of [Z X y]'W[Z X y]); the same optimiser and finish as the in-memory fit.
 */
export async function lmerFromSource(sql: SqlFrame, formula: string, options: SourceModelOptions): Promise<{ model: LinearMixedModel; sums: LmmSums }> {
  checkLmmResponse(sql);
  const sums = await lmmSums(sql, { contrasts: options.contrasts, reference: options.reference });
  const REML = options.REML ?? true;
  // The frame has no rows: its blocks are registered for the problems the fit and the inference form from it.
  registerBlocks(sums.frame, sums.factors, sums.A);
  const fitted = fitLmmProblem(sums.frame, { REML });
  let fit = fitted.fit;
  if (options.residuals) fit = { ...fit, residualQuantiles: await lmmResidualQuantiles(sums, fit) };
  const base = { kind: 'lmm' as const, formula, frame: sums.frame, data: emptyTable(sql), options, fit };
  const { coefficients, note } = lmmCoefficients(base, options.ddf ?? 'auto', fitted.problem);
  const notes = note ? [note] : [];
  return { model: { ...base, fit: notes.length ? { ...fit, messages: [...notes, ...fit.messages] } : fit, coefficients }, sums };
}
