/** Elastic-net references (glmnet 4.1.6 at thresh = 1e-14) and their data, as path/CV inputs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/io/readTable.js';
import { expandFormula, parseFormula } from '../../src/formula/index.js';
import { penalizedFrame, type PenalizedFrame } from '../../src/glmnet/penalizedFrame.js';
import type { PathData, PathOptions } from '../../src/glmnet/path.js';
import type { DataTable } from '../../src/data/types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** The glmnet references in test/fixtures/refs (R 4.2.2, glmnet 4.1.6, thresh = 1e-14). */
export const GLMNET_REFS = ['glmnet_gauss_lasso', 'glmnet_gauss_enet', 'glmnet_gauss_ridge', 'glmnet_pois_lasso', 'glmnet_pn_binomial_lasso', 'glmnet_pn_gauss_enet_w', 'glmnet_pn_binomial_ridge_w'];

export function readRef(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(FIXTURES, 'refs', `${name}.json`), 'utf8'));
}

export function readData(name: string): DataTable {
  return readCsvFile(join(FIXTURES, 'data', `${name}.csv`));
}

/** The reference's frame, path data and options, and its fold ids. */
export function refInputs(ref: Record<string, any>): { frame: PenalizedFrame; data: PathData; options: PathOptions; foldid: Int32Array; table: DataTable } {
  const table = readData(ref.data);
  const f = expandFormula(parseFormula(ref.formula), table.names);
  const frame = penalizedFrame(f, table, { factors: ref.factors, family: ref.family, weights: ref.weights ?? undefined });
  const fold = table.columns.get(ref.foldid)!;
  if (fold.kind !== 'numeric') throw new Error('fold column');
  return {
    frame,
    table,
    data: { x: frame.design, y: frame.y, weights: frame.weights, offset: frame.offset, blocks: frame.design.blocks },
    options: { family: ref.family, alpha: ref.alpha },
    foldid: Int32Array.from(frame.rows, (r) => fold.values[r]),
  };
}

/** |a - b| <= tol, with a message. */
export function near(a: number, b: number, tol: number, what: string): void {
  if (!(Math.abs(a - b) <= tol)) throw new Error(`${what}: ${a} vs ${b} (tolerance ${tol.toExponential(2)})`);
}
