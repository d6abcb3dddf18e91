/**
 * A printed summary as a list of pieces, rendered as text (R's console
 * layout, line for line) or as markdown (tables as markdown tables, text
 * escaped). A piece is a line of text, a table (its R-printed lines and its
 * cells), or a passage R prints wrapped at 80 characters (its lines, and the
 * one line markdown shows).
 */
import { markdownText, visibleControls } from './escape.js';
import { markdownTable } from './format.js';
import { isFailure, type Diagnostic } from '../diagnostics.js';

export type TextFormat = 'text' | 'markdown';

/** Options of the printed summaries. */
export interface SummaryOptions {
  /** The data's name for the `Data:` line (R prints its data argument; the CLI gives the file). */
  data?: string;
  /** Show the correlation of the fixed effects whatever p (true) or never (false); default p <= 12, as lme4. */
  correlation?: boolean;
}

export interface TablePiece {
  /** The table as R prints it. */
  text: readonly string[];
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface WrappedPiece {
  text: readonly string[];
  line: string;
}

export type Piece = string | TablePiece | WrappedPiece;

export function table(text: readonly string[], header: readonly string[], rows: readonly (readonly string[])[]): TablePiece {
  return { text, header, rows: rows.map((r) => r.map((c) => c.trim())) };
}

export function wrapped(text: readonly string[], line: string): WrappedPiece {
  return { text, line };
}

function isTable(p: Piece): p is TablePiece {
  return typeof p !== 'string' && 'header' in p;
}

/**
 * The pieces as text (control characters from the data shown as symbols,
 * escape.ts, so that none reaches the terminal and a line break in a level
 * name cannot break a table) or as markdown (text escaped and without leading
 * spaces, which markdown would read as code; tables followed by one empty line).
 */
export function renderPieces(pieces: readonly Piece[], format: TextFormat): string {
  const lines: string[] = [];
  pieces.forEach((p, i) => {
    if (format === 'text') lines.push(...(typeof p === 'string' ? [p] : p.text).map((l) => visibleControls(l)));
    else if (typeof p === 'string') {
      if (p !== '' || i === 0 || !isTable(pieces[i - 1])) lines.push(p === '---' ? p : markdownText(p.trimStart()));
    } else if (isTable(p)) lines.push(markdownTable(p.header, p.rows));
    else lines.push(markdownText(p.line.trimStart()));
  });
  return lines.join('\n') + '\n';
}

/** The fit's notes, after the summary: `note: ...` lines after an empty line. */
export function notes(ms: readonly string[]): Piece[] {
  return ms.length === 0 ? [] : ['', ...ms.map((s) => `note: ${s}`)];
}

/**
 * The failures (convergence, separation) as lme4's summary prints its
 * warnings: one line each, right below the optimiser's line.
 */
export function failures(ds: readonly Diagnostic[]): string[] {
  return ds.filter(isFailure).map((d) => d.message);
}

/** The other diagnostics' messages, printed as notes at the end. */
export function otherMessages(ds: readonly Diagnostic[]): string[] {
  return ds.filter((d) => !isFailure(d)).map((d) => d.message);
}
