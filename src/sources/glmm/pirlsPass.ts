/**
 * One PIRLS pass over the rows in the engine, for one scalar random-effects
 * term and a canonical link (glmm/pirls/modesPass.ts and rowKernel.ts, written
 * in SQL): at eta_i = x_i'beta + offset_i + theta z_i u_g (u joined from an
 * attached table on the group's column), or at a given start eta, the row
 * quantities
 *
 *   binomial/logit: mu = e^eta / (1 + e^eta) (R's clamps at |eta| > 30),
 *                   W = pw mu (1 - mu), wr = pw (y - mu),
 *                   dev = 2 pw (s + log(1 + e^eta) - y eta), s = y log y + (1 - y) log(1 - y);
 *   poisson/log:    mu = max(e^eta, eps), W = pw mu, wr = pw (y - mu),
 *                   dev = 2 pw (s + mu - y eta), s = y log y - y;
 *   W' = dW/deta = W (1 - 2 mu) (logit) or W (log);
 *
 * and per group the sums every step needs (PassSums): the modes' gradient and
 * curvature (sum z wr, sum z^2 W), the deviance, the Laplace gradient's
 * (sum z^3 W', sum z^2 W' x, sum z W x, sum wr x) and the joint step's
 * (sum W x x', sum z t, sum x t with t = W (eta - offset) + wr). One query.
 */
import type { AttachedTable } from '../source.js';
import type { EngineModel } from './engineModel.js';

const EPS = 2.220446049250313e-16;

export interface PassSums {
  /** Group index of each result row. */
  G: number;
  p: number;
  dev: Float64Array;
  zwr: Float64Array;
  zzW: Float64Array;
  zzzW1: Float64Array;
  /** G x p, group-major. */
  zzW1x: Float64Array;
  zWx: Float64Array;
  zt: Float64Array;
  /** Totals: sum wr x (p), sum W x x' (p x p), sum x t (p). */
  wrx: Float64Array;
  xwx: Float64Array;
  xt: Float64Array;
  /** Rows where exp(eta) overflowed. */
  bad: number;
  /** Rows whose fitted mean is numerically at a bound (0 or 1, or a rate of 0). */
  edge: number;
  /** Per group: the smallest and largest y. */
  ymin: Float64Array;
  ymax: Float64Array;
}

/** Row quantities over a relation with mm__eta, mm__y, mm__pw, mm__s (the module comment). */
function rowQuantities(m: EngineModel): { mu: string; W: string; wr: string; dev: string; W1: string } {
  const d = m.sql.source.dialect, e = 'mm__eta', eps = d.number(EPS);
  if (m.family === 'binomial') {
    const ex = `CASE WHEN ${e} < -30 THEN ${eps} WHEN ${e} > 30 THEN ${d.number(1 / EPS)} ELSE ${d.exp(e)} END`;
    const ylogy = (y: string, mu: string) => `CASE WHEN ${y} = 0 THEN 0 ELSE ${y} * ${d.ln(`${y} / ${mu}`)} END`;
    const clamped = `(${e} < -30 OR ${e} > 30)`;
    return {
      mu: `(${ex}) / (1 + (${ex}))`,
      W: `CASE WHEN ${clamped} THEN mm__pw * ${eps} * ${eps} / (mm__mu * (1 - mm__mu)) ELSE mm__pw * mm__mu * (1 - mm__mu) END`,
      wr: `CASE WHEN ${clamped} THEN mm__pw * (mm__y - mm__mu) * ${eps} / (mm__mu * (1 - mm__mu)) ELSE mm__pw * (mm__y - mm__mu) END`,
      dev: `CASE WHEN ${clamped} THEN 2 * mm__pw * (${ylogy('mm__y', 'mm__mu')} + ${ylogy('(1 - mm__y)', '(1 - mm__mu)')}) ` +
        `ELSE 2 * mm__pw * (mm__s + ${d.ln(`1 + ${d.exp(e)}`)} - mm__y * ${e}) END`,
      W1: 'mm__W * (1 - 2 * mm__mu)',
    };
  }
  return {
    mu: `CASE WHEN ${e} > 709 THEN NULL WHEN ${e} < ${d.number(Math.log(EPS))} THEN ${eps} ELSE ${d.exp(e)} END`,
    W: 'mm__pw * mm__mu',
    wr: 'mm__pw * (mm__y - mm__mu)',
    dev: `2 * mm__pw * (mm__s + mm__mu - mm__y * CASE WHEN mm__mu = ${eps} THEN ${d.ln(eps)} ELSE ${e} END)`,
    W1: 'mm__W',
  };
}

/**
 * The pass's SQL: at (theta, beta, u) when `at` is given (u in the attached
 * table mm_u), else at the start eta of the model.
 */
export function passSql(m: EngineModel, at: { theta: number; beta: ArrayLike<number> } | null): string {
  const d = m.sql.source.dialect, p = m.p;
  const xs = Array.from({ length: p }, (_, j) => `mm__x${j}`);
  const carried = ['mm__key', ...xs, 'mm__z', 'mm__y', 'mm__pw', 'mm__o', 'mm__s'];
  let etaLayer: string;
  if (at === null) {
    etaLayer = `SELECT ${carried.join(', ')}, ${m.startEta} AS mm__eta FROM (${m.rowsSql}) AS r0`;
  } else {
    const f = xs.map((x, j) => `${d.number(at.beta[j])} * ${x}`).concat(['mm__o']).join(' + ');
    const eta = `${f} + ${d.number(at.theta)} * mm__z * mm__u`;
    etaLayer = `SELECT ${carried.join(', ')}, ${eta} AS mm__eta FROM ${d.joinAttached(`(${m.rowsSql})`, 'r0', 'mm_u', 'mm__key')}`;
  }
  const q = rowQuantities(m), fence = d.fence;
  const withMu = `SELECT ${carried.join(', ')}, mm__eta, ${q.mu} AS mm__mu FROM (${etaLayer}${fence}) AS r1`;
  const withW = `SELECT ${carried.join(', ')}, mm__eta, mm__mu, ${q.W} AS mm__W, ${q.wr} AS mm__wr, ${q.dev} AS mm__dev FROM (${withMu}${fence}) AS r2`;
  const rows = `SELECT ${carried.join(', ')}, mm__eta, mm__mu, mm__W, mm__wr, mm__dev, ${q.W1} AS mm__W1, mm__W * (mm__eta - mm__o) + mm__wr AS mm__t FROM (${withW}${fence}) AS r3`;
  const aggs = [
    'sum(mm__dev) AS a_dev', 'sum(mm__z * mm__wr) AS a_zwr', 'sum(mm__z * mm__z * mm__W) AS a_zzw', 'sum(mm__z * mm__z * mm__z * mm__W1) AS a_zzzw1',
    'sum(mm__z * mm__t) AS a_zt', 'sum(CASE WHEN mm__mu IS NULL THEN 1 ELSE 0 END) AS a_bad',
    `sum(CASE WHEN mm__pw > 0 AND (mm__mu < ${d.number(10 * EPS)}${m.family === 'binomial' ? ` OR mm__mu > ${d.number(1 - 10 * EPS)}` : ''}) THEN 1 ELSE 0 END) AS a_edge`,
    'min(mm__y) AS a_ymin', 'max(mm__y) AS a_ymax',
    ...xs.map((x, j) => `sum(mm__z * mm__z * mm__W1 * ${x}) AS a_e${j}`),
    ...xs.map((x, j) => `sum(mm__z * mm__W * ${x}) AS a_f${j}`),
    ...xs.map((x, j) => `sum(mm__wr * ${x}) AS a_g${j}`),
    ...xs.map((x, j) => `sum(${x} * mm__t) AS a_t${j}`),
    ...xs.flatMap((x, a) => xs.slice(a).map((y, k) => `sum(mm__W * ${x} * ${y}) AS a_w${a}_${a + k}`)),
  ];
  return `SELECT mm__key, ${aggs.join(', ')} FROM (${rows}${fence}) AS r4 GROUP BY mm__key`;
}

/** The attached table of the modes: the group's key values and u. */
export function modesTable(m: EngineModel, u: Float64Array): AttachedTable {
  return { name: 'mm_u', columns: [{ name: 'mm__key', sqlType: m.keyType }, { name: 'mm__u', sqlType: m.sql.source.dialect.doubleType }], values: [m.keys, u] };
}

/** Runs one pass and reads its sums, by group index. */
export async function runPass(m: EngineModel, at: { theta: number; beta: ArrayLike<number>; u: Float64Array } | null): Promise<PassSums> {
  const sql = passSql(m, at);
  const res = await m.sql.source.query(sql, { attached: at === null ? [] : [modesTable(m, at.u)], scans: m.total });
  const G = m.levels, p = m.p;
  const col = (name: string) => res.columns[res.names.indexOf(name)] as Float64Array;
  const keys = res.columns[0];
  const out: PassSums = {
    G, p,
    dev: new Float64Array(G), zwr: new Float64Array(G), zzW: new Float64Array(G), zzzW1: new Float64Array(G),
    zzW1x: new Float64Array(G * p), zWx: new Float64Array(G * p), zt: new Float64Array(G),
    wrx: new Float64Array(p), xwx: new Float64Array(p * p), xt: new Float64Array(p), bad: 0, edge: 0,
    ymin: new Float64Array(G).fill(Infinity), ymax: new Float64Array(G).fill(-Infinity),
  };
  const [dev, zwr, zzw, zzzw1, zt, bad, edge, ymin, ymax] = ['a_dev', 'a_zwr', 'a_zzw', 'a_zzzw1', 'a_zt', 'a_bad', 'a_edge', 'a_ymin', 'a_ymax'].map(col);
  const w = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => (k >= j ? col(`a_w${j}_${k}`) : null)));
  const e = Array.from({ length: p }, (_, j) => col(`a_e${j}`)), f = Array.from({ length: p }, (_, j) => col(`a_f${j}`));
  const g = Array.from({ length: p }, (_, j) => col(`a_g${j}`)), t = Array.from({ length: p }, (_, j) => col(`a_t${j}`));
  for (let r = 0; r < res.nrow; r++) {
    const l = m.levelOf(keys[r] as number | string | null);
    out.dev[l] += dev[r];
    out.zwr[l] += zwr[r];
    out.zzW[l] += zzw[r];
    out.zzzW1[l] += zzzw1[r];
    out.zt[l] += zt[r];
    out.bad += bad[r];
    out.edge += edge[r];
    out.ymin[l] = Math.min(out.ymin[l], ymin[r]);
    out.ymax[l] = Math.max(out.ymax[l], ymax[r]);
    for (let j = 0; j < p; j++) {
      out.zzW1x[l * p + j] += e[j][r];
      out.zWx[l * p + j] += f[j][r];
      out.wrx[j] += g[j][r];
      out.xt[j] += t[j][r];
      for (let k = j; k < p; k++) out.xwx[k + j * p] += w[j][k]![r];
    }
  }
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) out.xwx[j + k * p] = out.xwx[k + j * p];
  return out;
}
