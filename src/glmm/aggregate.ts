/**
 * Collapsing rows into counts (binomial and Poisson). Rows that share every
 * grouping level, random-effects value, fixed-effects row and offset share
 * eta, and both log-likelihood kernels are sums of
 * pw_i (y_i log mu - b(mu)) terms, so they can be replaced by one row with
 *
 *   pw = sum pw_i,   y = sum pw_i y_i / sum pw_i
 *
 * (binomial: successes and trials added up). The conditional deviance changes
 * only by a constant, which is put back on the user's rows when the
 * log-likelihood is reported (finish.ts); the aggregated response carries
 * C = 0. Done only when it pays: at most AGGREGATE_RATIO of the rows remain.
 * Only for the canonical links (logit, log): there the penalised deviance is
 * convex and PIRLS ends where it ends from any start; under other links it can
 * have several stationary points (the sqrt link's mirror images), and PIRLS
 * started from the user's rows' mustart, as lme4's is, ends at lme4's.
 */
import type { ModelFrame, ReTerm } from '../frame/types.js';
import type { GlmmResponse } from './response.js';

/** Aggregate only when the distinct patterns are at most this fraction of the rows. */
export const AGGREGATE_RATIO = 0.75;
const PROBE = 20000;

export interface Aggregated {
  frame: ModelFrame;
  resp: GlmmResponse;
  /** Aggregated row of each user row. */
  index: Int32Array;
}

/** The key values of row i: levels and z of every term, X row, offset. */
function keyReader(frame: ModelFrame, offset: Float64Array): { len: number; read(i: number, out: Float64Array): void } {
  const n = frame.nobs, p = frame.p, terms = frame.reTerms;
  const len = terms.reduce((s, t) => s + 1 + t.k, 0) + p + 1;
  return {
    len,
    read(i, out) {
      let o = 0;
      for (const t of terms) {
        out[o++] = t.refs[i];
        for (let c = 0; c < t.k; c++) out[o++] = t.z[i * t.k + c];
      }
      for (let a = 0; a < p; a++) out[o++] = frame.X[i + a * n];
      out[o] = offset[i];
    },
  };
}

function hashKey(bits: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let e = 0; e < bits.length; e++) h = Math.imul(h ^ bits[e], 0x01000193);
  // Small whole numbers have all-zero low bits: mix the high bits down (murmur3's fmix32).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Group ids for the first `limit` rows (distinct patterns numbered in order
 * of first appearance) and their number; the count only grows, so the rows
 * stop as soon as it exceeds `most` (ids then incomplete: aggregation does not pay).
 */
function patterns(frame: ModelFrame, offset: Float64Array, limit: number, most: number): { ids: Int32Array; count: number; firstRow: Int32Array } {
  const reader = keyReader(frame, offset), len = reader.len;
  let size = 1;
  while (size < 2 * limit) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const keys = new Float64Array(limit * len);
  const ids = new Int32Array(limit);
  const firstRow = new Int32Array(limit);
  const cur = new Float64Array(len);
  const curBits = new Uint32Array(cur.buffer);
  let count = 0;
  for (let i = 0; i < limit && count <= most; i++) {
    reader.read(i, cur);
    let slot = hashKey(curBits) & (size - 1);
    for (;;) {
      const id = table[slot];
      if (id === -1) {
        table[slot] = count;
        keys.set(cur, count * len);
        firstRow[count] = i;
        ids[i] = count++;
        break;
      }
      let same = true;
      for (let e = 0; e < len && same; e++) same = Object.is(keys[id * len + e], cur[e]) || keys[id * len + e] === cur[e];
      if (same) {
        ids[i] = id;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  return { ids, count, firstRow };
}

function gatherTerm(t: ReTerm, rows: Int32Array): ReTerm {
  const z = new Float64Array(rows.length * t.k);
  rows.forEach((r, e) => z.set(t.z.subarray(r * t.k, (r + 1) * t.k), e * t.k));
  return { ...t, refs: Int32Array.from(rows, (r) => t.refs[r]), z };
}

/** The aggregated model, or null when aggregation would not pay (or the family does not allow it). */
export function aggregateRows(frame: ModelFrame, resp: GlmmResponse): Aggregated | null {
  const fam = resp.family.name, link = resp.family.link.name;
  if (!((fam === 'binomial' && link === 'logit') || (fam === 'poisson' && link === 'log'))) return null;
  const n = frame.nobs;
  if (n < 2) return null;
  const probe = Math.min(n, PROBE);
  if (probe < n && patterns(frame, resp.offset, probe, AGGREGATE_RATIO * probe).count > AGGREGATE_RATIO * probe) return null;
  const { ids, count, firstRow } = patterns(frame, resp.offset, n, AGGREGATE_RATIO * n);
  if (count > AGGREGATE_RATIO * n) return null;
  const rows = firstRow.slice(0, count);
  const pw = new Float64Array(count), sy = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    pw[ids[i]] += resp.pw[i];
    sy[ids[i]] += resp.pw[i] * resp.y[i];
  }
  const y = sy.map((s, e) => (pw[e] > 0 ? s / pw[e] : 0));
  const p = frame.p, X = new Float64Array(count * p);
  for (let a = 0; a < p; a++) for (let e = 0; e < count; e++) X[e + a * count] = frame.X[rows[e] + a * n];
  const offset = Float64Array.from(rows, (r) => resp.offset[r]);
  const aggFrame: ModelFrame = {
    ...frame,
    nobs: count,
    rows: Int32Array.from(rows, (r) => frame.rows[r]),
    y,
    trials: null,
    weights: null,
    offset,
    X,
    reTerms: frame.reTerms.map((t) => gatherTerm(t, rows)),
  };
  const aggResp: GlmmResponse = { family: resp.family, n: count, y, pw, offset, size: pw.map((v) => Math.max(v, 1)), aicConstant: 0 };
  return { frame: aggFrame, resp: aggResp, index: ids };
}
