/**
 * A specification resized to a page: a single plot gets `width` pixels of
 * plotting area; panels side by side (`hconcat`, or `concat` with `columns`)
 * share it, each losing AXIS pixels for its own axis and the spacing between
 * panels. Heights are left as they are.
 */
import type { PlotSpec } from './types.js';

/** Room a panel's y axis (labels and title) takes beside its plotting area. */
const AXIS = 70;

function panelWidth(width: number, columns: number, spacing: number): number {
  return Math.max(120, Math.floor((width - (columns - 1) * (spacing + AXIS)) / columns));
}

export function fitWidth(spec: PlotSpec, width: number): PlotSpec {
  if (typeof spec.width === 'number') return { ...spec, width };
  const spacing = typeof spec.spacing === 'number' ? spec.spacing : 20;
  const resize = (panels: PlotSpec[], columns: number) => panels.map((p) => (typeof p.width === 'number' ? { ...p, width: panelWidth(width, columns, spacing) } : p));
  if (Array.isArray(spec.hconcat)) return { ...spec, hconcat: resize(spec.hconcat as PlotSpec[], spec.hconcat.length) };
  if (Array.isArray(spec.concat)) {
    const columns = typeof spec.columns === 'number' ? spec.columns : spec.concat.length;
    return { ...spec, concat: resize(spec.concat as PlotSpec[], Math.min(columns, spec.concat.length)) };
  }
  return spec;
}
