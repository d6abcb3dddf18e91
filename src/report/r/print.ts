/**
 * R's console printing of the objects a model summary is made of, at R's
 * default width of 80 characters (getOption("width")):
 *
 * - printMatrix: print() of a character matrix (src/main/printmatrix.c). Each
 *   column is as wide as its widest cell or label; row labels are left-aligned;
 *   cells and labels are left- or right-aligned (print's `right`), each column
 *   preceded by one space (R_print.gap). Columns that do not fit in the width
 *   continue in a further block: a block takes columns while
 *   rowLabelWidth + sum(width_j + gap) < 80.
 * - printNamedVector: print() of a named vector: every entry right-aligned to
 *   one common width (the widest value or name) and followed by `gap` spaces,
 *   names above values, as many per line as fit in the width.
 * - catFill: cat(..., sep, fill = TRUE): items joined by `sep`, a line break
 *   before an item (not the first) when width-so-far + item + sep > 80.
 * - strwrap: greedy word wrap into lines shorter than `width`, words split at
 *   white space and joined by one space, later lines indented by `exdent`.
 *
 * Trailing spaces, which R prints, are dropped from every line.
 */
import { maxOf } from '../../data/extent.js';

export const R_WIDTH = 80;

export interface MatrixOptions {
  rowNames: readonly string[];
  colNames: readonly string[];
  /** Right-align cells and column labels (print(x, right = TRUE)); R's default for characters is left. */
  right?: boolean;
  width?: number;
}

function pad(s: string, w: number, right: boolean): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

/** Lines of print(cells, quote = FALSE, right) for a matrix given row by row. */
export function printMatrix(cells: readonly (readonly string[])[], o: MatrixOptions): string[] {
  const right = o.right ?? false;
  const width = o.width ?? R_WIDTH;
  const ncol = o.colNames.length;
  const rlabw = Math.max(0, ...o.rowNames.map((r) => r.length));
  const w = o.colNames.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const lines: string[] = [];
  for (let jmin = 0; jmin < ncol; ) {
    let jmax = jmin;
    let total = rlabw;
    do total += w[jmax++] + 1;
    while (jmax < ncol && total + w[jmax] + 1 < width);
    const cols = Array.from({ length: jmax - jmin }, (_, k) => jmin + k);
    lines.push(''.padEnd(rlabw) + cols.map((j) => ' ' + pad(o.colNames[j], w[j], right)).join(''));
    cells.forEach((row, i) => lines.push(o.rowNames[i].padEnd(rlabw) + cols.map((j) => ' ' + pad(row[j], w[j], right)).join('')));
    jmin = jmax;
  }
  return lines.map((l) => l.trimEnd());
}

/** Lines of print() of a named vector whose values are already formatted. */
export function printNamedVector(values: readonly string[], names: readonly string[], gap = 1, width = R_WIDTH): string[] {
  const w = Math.max(maxOf(values.map((v) => v.length)), maxOf(names.map((n) => n.length)));
  const perLine = Math.max(1, Math.floor(width / (w + gap)));
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const cell = (s: string) => s.padStart(w) + ' '.repeat(gap);
    lines.push(names.slice(i, i + perLine).map(cell).join('').trimEnd());
    lines.push(values.slice(i, i + perLine).map(cell).join('').trimEnd());
  }
  return lines;
}

/** The lines of cat(items, sep = sep, fill = TRUE). */
export function catFill(items: readonly string[], sep = ' ', width = R_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  items.forEach((item, i) => {
    if (i > 0 && used + item.length + sep.length > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += item + (i < items.length - 1 ? sep : '');
    used += item.length + sep.length;
  });
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** strwrap(text, width, exdent): words (split at white space) filled greedily into lines shorter than `width`. */
export function strwrap(text: string, width: number, exdent = 0): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const indent = lines.length > 0 ? ' '.repeat(exdent) : '';
    if (line === '') line = indent + word;
    else if (line.length + 1 + word.length < width) line += ' ' + word;
    else {
      lines.push(line);
      line = ' '.repeat(exdent) + word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
