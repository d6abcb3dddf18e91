/**
 * Shared look of every plot: sizes, fonts and the Vega-Lite `config` block.
 *
 * The font stack names fonts found in browsers first and fonts found on Linux
 * servers after, so the same SVG renders with real glyphs in both (resvg takes
 * the first family it has installed).
 */
import type { PlotSpec } from './types.js';

export const WIDTH = 500;
export const HEIGHT = 320;
export const PANEL_WIDTH = 280;
export const PANEL_HEIGHT = 260;
export const FONT = 'Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif';
/** Colour of points and lines when there is no colour encoding. */
export const INK = '#2f6f9f';
export const REFERENCE = '#888888';

const CONFIG = {
  background: 'white',
  font: FONT,
  padding: 8,
  view: { stroke: '#d0d0d0' },
  title: { anchor: 'start', fontSize: 15, fontWeight: 600, subtitleFontSize: 12, subtitleColor: '#555555', offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    gridColor: '#ececec',
    domainColor: '#999999',
    tickColor: '#999999',
    labelLimit: 180,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500 },
  header: { labelFontSize: 12, titleFontSize: 13 },
};

/** A title block; the subtitle is left out when empty. */
export function title(text: string, subtitle?: string): Record<string, unknown> {
  return subtitle ? { text, subtitle } : { text };
}

/** `spec` as a top-level specification with the shared config. */
export function topLevel(spec: PlotSpec): PlotSpec {
  return { ...spec, config: CONFIG };
}

/** A horizontal or vertical reference line at `value` (its own one-row data, so it is drawn once). */
export function referenceRule(channel: 'x' | 'y', value: number): PlotSpec {
  return {
    data: { values: [{}] },
    mark: { type: 'rule', color: REFERENCE, strokeDash: [4, 4] },
    encoding: { [channel]: { datum: value } },
  };
}

/** `0.95` -> `95%`. */
export function percent(level: number): string {
  return `${Number((level * 100).toPrecision(6))}%`;
}
