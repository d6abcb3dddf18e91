/**
 * Shared test helpers for plots: a seeded normal generator, rendering that
 * fails on any Vega or Vega-Lite warning, and counts of marks in Vega's SVG.
 */
import assert from 'node:assert/strict';
import { toSVG } from '../../src/plot/svg.js';
import type { PlotSpec } from '../../src/plot/types.js';

/** Standard normal draws from a Park-Miller generator with Box-Muller (deterministic). */
export function rnorm(n: number, seed = 1): Float64Array {
  let s = seed;
  const unif = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif()));
}

/** `toSVG(spec)`, asserting that Vega and Vega-Lite printed no warning or error. */
export async function renderQuietly(spec: PlotSpec): Promise<string> {
  const messages: unknown[][] = [];
  const { warn, error } = console;
  console.warn = (...args: unknown[]) => void messages.push(args);
  console.error = (...args: unknown[]) => void messages.push(args);
  try {
    const svg = await toSVG(spec);
    assert.deepEqual(messages, []);
    return svg;
  } finally {
    Object.assign(console, { warn, error });
  }
}

/**
 * Number of items Vega drew for marks of `type` (symbol, rule, rect, line, area, text)
 * and `role` (`mark` for data marks; `axis-label`, `title-text`, ... for guides).
 * Vega writes each mark set as a `<g class="mark-TYPE role-ROLE ...">` of leaf elements.
 */
export function countMarks(svg: string, type: string, role = 'mark'): number {
  const groups = svg.matchAll(new RegExp(`<g class="mark-${type} role-${role}[ "][^>]*>(.*?)</g>`, 'gs'));
  let count = 0;
  for (const [, inner] of groups) count += (inner.match(/<(path|line|text|rect)\b/g) ?? []).length;
  return count;
}

/** The text of every `<text>` element. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** `spec.layer` (or the layers of a concatenated panel) as plain objects. */
export function layers(spec: PlotSpec): PlotSpec[] {
  return spec.layer as PlotSpec[];
}

/** Field name and type a layer encodes on `channel`. */
export function encoding(layer: PlotSpec, channel: string): { field?: string; type?: string; datum?: unknown } {
  return (layer.encoding as Record<string, { field?: string; type?: string; datum?: unknown }>)[channel];
}

/** The inline data rows of a spec or layer. */
export function rows(spec: PlotSpec): Record<string, unknown>[] {
  return (spec.data as { values: Record<string, unknown>[] }).values;
}

/** Mark type of a layer. */
export function markType(layer: PlotSpec): string {
  return (layer.mark as { type: string }).type;
}
