/**
 * Variance components as rows, as R's as.data.frame(VarCorr(m)) gives them:
 * per term its variances (sdcor = standard deviation), then its covariances
 * (sdcor = correlation), the residual last (absent for families without a scale).
 */
import type { VarCorr } from '../lmm/varCorr.js';

export interface VarCorrRow {
  group: string;
  var1: string | null;
  var2: string | null;
  vcov: number;
  sdcor: number;
}

export function varCorrRows(vc: VarCorr, withResidual = true): VarCorrRow[] {
  const rows: VarCorrRow[] = [];
  for (const t of vc.terms) {
    const k = t.cnames.length;
    for (let r = 0; r < k; r++) rows.push({ group: t.group, var1: t.cnames[r], var2: null, vcov: t.cov[r * (k + 1)], sdcor: t.sd[r] });
    for (let c = 0; c < k; c++) {
      for (let r = c + 1; r < k; r++) {
        rows.push({ group: t.group, var1: t.cnames[c], var2: t.cnames[r], vcov: t.cov[r + c * k], sdcor: t.corr[r + c * k] });
      }
    }
  }
  if (withResidual) rows.push({ group: 'Residual', var1: null, var2: null, vcov: vc.residualSd ** 2, sdcor: vc.residualSd });
  return rows;
}
