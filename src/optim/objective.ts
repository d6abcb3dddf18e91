/**
 * The objective as the optimisers see it: a counted, budgeted wrapper around the
 * user's `f` that remembers the best point evaluated so far.
 *
 * Non-finite values (NaN, +-Infinity) are not passed on. An optimiser that builds a
 * model of `f` (BOBYQA) would be wrecked by them, and one that compares values
 * (Nelder-Mead) would misorder NaN. Such a value is replaced by a finite stand-in,
 * `worst + 10 * max(1, worst - best)`, where `worst` and `best` are the largest and
 * smallest finite values seen so far: a point where `f` fails then looks clearly
 * worse than every point seen, on the scale of the problem, so the search moves
 * away from it and keeps going. The first value, at the starting point, must be
 * finite (lme4 also stops there).
 */
import { MixedModelsError } from '../errors.js';

export type Objective = (x: Float64Array) => number;

export class CountedObjective {
  /** Evaluations made so far. */
  count = 0;
  /** Best (smallest) value seen and where; `bestX` is a copy. */
  bestF = Infinity;
  readonly bestX: Float64Array;
  private worstF = -Infinity;

  constructor(
    private readonly f: Objective,
    n: number,
    readonly maxEval: number,
  ) {
    this.bestX = new Float64Array(n);
  }

  get exhausted(): boolean {
    return this.count >= this.maxEval;
  }

  /**
   * f(x) with non-finite values replaced (see module comment). f gets a fresh copy
   * of x, which it may keep or change.
   */
  evaluate(x: ArrayLike<number>): number {
    this.count++;
    const raw = this.f(Float64Array.from(x));
    let v = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(v)) {
      if (this.count === 1) {
        throw new MixedModelsError(`the objective is not finite at the starting point (got ${raw})`);
      }
      const range = this.worstF - this.bestF;
      v = this.worstF + (range > 0 ? range : Math.max(1, Math.abs(this.worstF)));
    } else if (v > this.worstF) {
      this.worstF = v;
    }
    if (v < this.bestF) {
      this.bestF = v;
      this.bestX.set(x);
    }
    return v;
  }
}
