/**
 * Limits checked before a simulation or bootstrap starts, so that a request
 * that cannot finish (`nsim = 1e9`) is refused at once with the limit and the
 * largest `nsim` that fits, instead of running out of memory or for months.
 *
 * - Memory: the results are nsim x m float64 numbers (m: values per
 *   replicate); at most MAX_VALUES (1 GiB).
 * - Time: a bootstrap refits the model nsim times; each refit costs about
 *   as much as the original fit (it starts at the estimates, so usually
 *   less), so the estimate is nsim x that fit's seconds; at most MAX_SECONDS.
 * - Intervals: the percentile interval at level L uses the order statistic at
 *   rank (R + 1) a, a = (1 - L) / 2; with fewer than 1/a replicates that rank
 *   is below 2 and the interval is bounded by the extreme replicates (zero
 *   width with one replicate), so fewer are refused.
 */
import { MixedModelsError } from '../../errors.js';

/** Most float64 results kept: 2^27 numbers, 1 GiB. */
export const MAX_VALUES = 2 ** 27;
/** Longest estimated bootstrap: one day. */
export const MAX_SECONDS = 24 * 3600;

/** Refuses nsim x perReplicate numbers beyond MAX_VALUES; `what` names the run ("simulate()"). */
export function checkMemory(what: string, nsim: number, perReplicate: number): void {
  if (nsim * perReplicate <= MAX_VALUES) return;
  const most = Math.floor(MAX_VALUES / Math.max(1, perReplicate));
  throw new MixedModelsError(
    `${what}: nsim = ${nsim} replicates of ${perReplicate} number${perReplicate === 1 ? '' : 's'} would need ${formatBytes(nsim * perReplicate * 8)} of memory; ` +
      `the limit is ${formatBytes(MAX_VALUES * 8)} (${MAX_VALUES} numbers): use nsim <= ${most}`,
  );
}

/** Refuses a bootstrap whose estimated time (nsim refits of `secondsPerRefit`) is beyond MAX_SECONDS. */
export function checkTime(what: string, nsim: number, secondsPerRefit: number): void {
  const seconds = nsim * secondsPerRefit;
  if (!(seconds > MAX_SECONDS)) return;
  const most = Math.floor(MAX_SECONDS / secondsPerRefit);
  throw new MixedModelsError(
    `${what}: nsim = ${nsim} refits would take about ${duration(seconds)} (one fit took ${secondsPerRefit.toPrecision(2)} s); ` +
      `the limit is ${duration(MAX_SECONDS)}: use nsim <= ${most}`,
  );
}

/** The fewest replicates whose percentile interval at `level` is not bounded by the extreme replicates. */
export function minimumReplicates(level: number): number {
  const a = (1 - level) / 2;
  return Math.ceil(1 / a - 1e-9);
}

export function checkIntervalReplicates(what: string, nsim: number, level: number): void {
  const least = minimumReplicates(level);
  if (nsim >= least) return;
  throw new MixedModelsError(
    `${what}: a ${Number((100 * level).toPrecision(4))}% percentile interval needs at least ${least} replicates (nsim = ${nsim} would put its ends at the extreme replicates${nsim === 1 ? ', an interval of zero width' : ''}); use nsim = 1000 or more for stable limits`,
  );
}

/** A size in bytes as people read it: `512 bytes`, `1.5 GiB`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number(n.toPrecision(3))} ${units[u]}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} seconds`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} hours`;
  if (seconds < 2 * 365 * 86400) return `${Math.round(seconds / 86400)} days`;
  return `${Number((seconds / (365 * 86400)).toPrecision(2))} years`;
}
