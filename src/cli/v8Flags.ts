/**
 * The V8 flags a command sets once it runs (bin.ts), and their defaults.
 *
 * The young generation of V8's heap starts at 1 MB a half and doubles (to 16 MB) as objects survive
 * its collections. A fit's data and matrices live in typed arrays outside that heap; what survives is
 * a few megabytes of short tables (a 50,000-level ranefTable), and doubling for them cost 16 to 30 MB
 * of resident memory at the end of lmm_crossed_1e6 (333 -> 303 MB peak) for no gain in time, so this
 * one-shot process keeps the young generation at its starting size.
 *
 * V8's code cache (codeCache.ts) is only taken under the flags it was made under, and the program is
 * compiled before a command sets these: the launcher puts the defaults back before it makes the data.
 */
export const RUN_FLAGS = '--semi-space-growth-factor=1';
export const DEFAULT_FLAGS = '--semi-space-growth-factor=2';
