/**
 * Generated data sets and formulas for the property suites (fast-check): a
 * structure drawn by fast-check (groups, sizes, true variances, formula,
 * scales) and the values drawn from it by a seeded generator, so that each
 * case is reproducible from its fast-check seed and path.
 *
 * Adversarial on purpose: variance components that are exactly 0 (singular
 * fits), groups of one row, a predictor constant within groups, crossed
 * factors with few levels, predictors and responses in units from 1e-9 to
 * 1e9, responses far from 0, unbalanced groups.
 */
import fc from 'fast-check';

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal numbers (Box-Muller) from a uniform generator. */
export function normal(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export type Columns = Record<string, (number | string)[]>;

export interface Case {
  formula: string;
  data: Columns;
  /** 'gaussian' for lmer, else glmer's family. */
  family: 'gaussian' | 'binomial' | 'poisson';
  REML: boolean;
  /** Whether the formula has (x | g), whose zero-correlation version is nested in it. */
  correlated: boolean;
  /** The prior weights' column ('w'), or undefined. */
  weights?: string;
}

export interface Structure {
  groups: number;
  /** Rows per group before the unbalanced drop. */
  size: number;
  /** Probability of dropping a row (unbalanced groups; groups may keep a single row). */
  drop: number;
  crossed: number;
  sdIntercept: number;
  sdSlope: number;
  /** x constant within groups. */
  between: boolean;
  template: number;
  REML: boolean;
  /** log10 units of x and of y, and y's offset from 0 in units of its spread. */
  xUnits: number;
  yUnits: number;
  yOffset: number;
  /** Prior weights: none, small whole numbers, or spread over four orders of magnitude. */
  weights: 'none' | 'counts' | 'spread';
  seed: number;
}

const TEMPLATES = [
  { rhs: 'x + (1 | g)', correlated: false },
  { rhs: 'x + (x | g)', correlated: true },
  { rhs: 'x + (x || g)', correlated: false },
  { rhs: 'x + f + (1 | g) + (1 | h)', correlated: false },
  { rhs: 'x + (1 | g) + (x | h)', correlated: true },
  { rhs: '1 + (1 | g/h)', correlated: false },
];

export function structure(): fc.Arbitrary<Structure> {
  return fc.record({
    groups: fc.integer({ min: 2, max: 14 }),
    size: fc.integer({ min: 1, max: 12 }),
    drop: fc.constantFrom(0, 0, 0.2, 0.5),
    crossed: fc.integer({ min: 2, max: 6 }),
    sdIntercept: fc.constantFrom(0, 0, 0.05, 0.5, 1, 3),
    sdSlope: fc.constantFrom(0, 0, 0.1, 0.5, 2),
    between: fc.boolean(),
    template: fc.integer({ min: 0, max: TEMPLATES.length - 1 }),
    REML: fc.boolean(),
    xUnits: fc.integer({ min: -9, max: 9 }),
    yUnits: fc.integer({ min: -9, max: 9 }),
    yOffset: fc.constantFrom(0, 0, 10, 1e4, 1e7),
    weights: fc.constantFrom('none', 'none', 'counts', 'spread'),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
}

/** The rows of a structure: group g, crossed factor h, two-level f, predictor x, and the linear predictor eta (in x's natural units). */
function design(s: Structure) {
  const u = uniform(s.seed), z = normal(u);
  const g: string[] = [], h: string[] = [], f: string[] = [], x: number[] = [], eta: number[] = [];
  const b0 = Array.from({ length: s.groups }, () => s.sdIntercept * z());
  const b1 = Array.from({ length: s.groups }, () => s.sdSlope * z());
  const c0 = Array.from({ length: s.crossed }, () => 0.7 * z());
  const gx = Array.from({ length: s.groups }, () => 2 * z());
  for (let a = 0; a < s.groups; a++) {
    for (let r = 0; r < s.size; r++) {
      if (r > 0 && u() < s.drop) continue;
      const hl = Math.floor(u() * s.crossed), xv = s.between ? gx[a] : 2 * z();
      g.push(`g${a}`);
      h.push(`h${hl}`);
      f.push(u() < 0.5 ? 'A' : 'B');
      x.push(xv);
      eta.push(0.5 + (1 + b1[a]) * xv * 0.3 + b0[a] + c0[hl]);
    }
  }
  return { g, h, f, x, eta, z };
}

/** A gaussian (LMM) case; with weights w the residual sd of a row is 1 / sqrt(w). */
export function lmmCase(s: Structure): Case {
  const { g, h, f, x, eta, z } = design(s);
  const u = uniform(s.seed ^ 0x2545f491);
  const w = eta.map(() => (s.weights === 'counts' ? 1 + Math.floor(u() * 8) : s.weights === 'spread' ? 10 ** (4 * u() - 2) : 1));
  const ys = 10 ** s.yUnits, xs = 10 ** s.xUnits;
  const y = eta.map((e, i) => (e + z() / Math.sqrt(w[i]) + s.yOffset) * ys);
  const t = TEMPLATES[s.template];
  const data: Columns = { y, x: x.map((v) => v * xs), g, h, f };
  if (s.weights !== 'none') data.w = w;
  return { formula: `y ~ ${t.rhs}`, data, family: 'gaussian', REML: s.REML, correlated: t.correlated, weights: s.weights === 'none' ? undefined : 'w' };
}

/** A binomial or Poisson (GLMM) case; only the intercept-and-slope templates. */
export function glmmCase(s: Structure, family: 'binomial' | 'poisson'): Case {
  const { g, h, f, x, eta } = design(s);
  const u = uniform(s.seed ^ 0x5bd1e995);
  const y = eta.map((e) => {
    if (family === 'binomial') return u() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
    const mu = Math.exp(Math.min(e, 5)), v = u();
    let k = 0, p = Math.exp(-mu), c = p;
    while (v > c && k < 1000) {
      k++;
      p *= mu / k;
      c += p;
    }
    return k;
  });
  const t = TEMPLATES[s.template % 3];
  return { formula: `y ~ ${t.rhs}`, data: { y, x: x.map((v) => v * 10 ** s.xUnits), g, h, f }, family, REML: true, correlated: t.correlated };
}

/** The rows of a case in another order (a seeded permutation). */
export function permuted(c: Case, seed: number): Case {
  const n = c.data.y.length, u = uniform(seed), order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { ...c, data: Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, order.map((i) => v[i])])) };
}

/** The grouping factors' levels renamed so that they sort in another order. */
export function relabelled(c: Case, seed: number): Case {
  const u = uniform(seed);
  const rename = (v: (number | string)[]) => {
    const levels = [...new Set(v.map(String))];
    const names = new Map(levels.map((l) => [l, `L${Math.floor(u() * 1e6)}_${l}`]));
    return v.map((l) => names.get(String(l))!);
  };
  return { ...c, data: { ...c.data, g: rename(c.data.g), h: rename(c.data.h) } };
}

/** A numeric column multiplied by a factor. */
export function scaled(c: Case, column: 'x' | 'y' | 'w', factor: number): Case {
  return { ...c, data: { ...c.data, [column]: c.data[column].map((v) => (v as number) * factor) } };
}

/** The response plus a constant. */
export function shifted(c: Case, by: number): Case {
  return { ...c, data: { ...c.data, y: c.data.y.map((v) => (v as number) + by) } };
}
