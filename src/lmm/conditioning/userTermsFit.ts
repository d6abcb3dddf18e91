/**
 * A fit of centred terms (termCentring.ts) as a fit of the user's: theta, u, b, the conditional
 * modes and variances and the variance components mapped back (termAlgebra.ts), a note added.
 */
import { diagnose, diagnostic, type Diagnosed } from '../../diagnostics.js';
import type { ModelFrame } from '../../frame/types.js';
import type { FactorBlock } from '../factorBlocks.js';
import { ranefTable } from '../finish.js';
import type { LambdaMap } from '../lambda.js';
import type { LmmFit, RanefGroup } from '../types.js';
import { applyA, congruentBlock, lowerOf, putTriangle, slotOf, termTriangle, userVarCorr } from './termAlgebra.js';
import type { TermCentring } from './termCentring.js';
import { termText } from './termPrecision.js';

/** The fields a fit of the centred terms has mapped (LmmFit's, GlmmFit's). */
type TermsFit = Diagnosed & Pick<LmmFit, 'theta' | 'u' | 'b' | 'ranef' | 'ranefTable' | 'varCorr'>;

/** What the note says of the inference that follows an LMM (lmer) fit. */
const LMM_AFTER = 'its df, likelihood profiles and bootstrap refits are computed on the centred term too';
/** And of a GLMM's (glmer). */
export const GLMM_AFTER = 'its likelihood profiles and bootstrap refits are made on the centred term too';

/**
 * The fit of the centred frame as a fit of the user's terms (module comment): theta, u, b,
 * the conditional modes and variances and the variance components mapped back, a note added.
 * `map` and `factors`: the centred problem's (the same layout as the user's).
 */
export function userTermsFit<F extends TermsFit>(fit: F, tc: TermCentring, user: ModelFrame, map: LambdaMap, factors: readonly FactorBlock[], after = LMM_AFTER): F {
  const theta = Float64Array.from(fit.theta), u = Float64Array.from(fit.u), b = Float64Array.from(fit.b);
  const ranef: RanefGroup[] = fit.ranef.map((g) => ({ ...g, values: Float64Array.from(g.values), condVar: Float64Array.from(g.condVar) }));
  // Where each term's u and b start (term-major, then level-major).
  const starts: number[] = [];
  user.reTerms.reduce((at, t) => (starts.push(at), at + t.levels.length * t.k), 0);
  for (const s of tc.shifts) {
    const t = user.reTerms[s.term], k = t.k, { j, o, K } = slotOf(factors, s.term), index = map.index[j];
    const { T, G } = lowerOf(s, k, termTriangle(fit.theta, index, o, K, k));
    putTriangle(T, index, o, K, k, theta);
    const nl = t.levels.length, uu = new Float64Array(k);
    for (let l = 0; l < nl; l++) {
      const at = starts[s.term] + l * k;
      applyA(s, k, b, at);
      for (let c = 0; c < k; c++) {
        let acc = 0;
        for (let r = 0; r < k; r++) acc += G[r + c * k] * fit.u[at + r];
        uu[c] = acc;
      }
      u.set(uu, at);
      applyA(s, k, ranef[j].values, l * K + o);
      congruentBlock(s, k, o, K, ranef[j].condVar, l * K * K);
    }
  }
  const varCorr = userVarCorr(fit.varCorr, tc.shifts);
  const notes = tc.shifts.flatMap((s) => {
    const t = user.reTerms[s.term];
    return Array.from(s.means, (m, c) => ({ m, c })).filter(({ c }) => c !== s.i0 && s.means[c] !== 0).map(({ m, c }) =>
      diagnostic(
        'note',
        `${t.cnames[c]} in the random-effects term (${termText(t)}) is far from 0 relative to its spread: the model was fitted with it centred (${t.cnames[c]} - ${m.toPrecision(6)}), ` +
          `the same model, and theta, the variance components and the conditional modes mapped back (the optimiser's summary is in the centred terms' theta); ` +
          after,
      ),
    );
  });
  return { ...fit, theta, u, b, ranef, ranefTable: ranefTable(ranef), varCorr, ...diagnose([...fit.diagnostics, ...notes]) };
}
