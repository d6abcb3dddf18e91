/**
 * Lines of the model summary longer than this are prose (a note, a warning) and wrap in the
 * page; the summary's tables are narrower and keep their columns (as in the HTML report,
 * src/report/html.ts).
 */
export const WRAP_OVER = 100;

/** A piece of the summary's text: a long line alone (`wrap`), or lines that keep their layout. */
export interface SummaryRun {
  text: string;
  wrap: boolean;
}

/** The summary cut into runs whose texts, joined, are the summary itself: each long line is a run of its own. */
export function summaryRuns(text: string): SummaryRun[] {
  const runs: SummaryRun[] = [], lines = text.split('\n');
  let plain = '';
  lines.forEach((line, i) => {
    const end = i < lines.length - 1 ? '\n' : '';
    if (line.length <= WRAP_OVER) {
      plain += line + end;
      return;
    }
    if (plain !== '') runs.push({ text: plain, wrap: false });
    runs.push({ text: line, wrap: true });
    plain = end;
  });
  if (plain !== '') runs.push({ text: plain, wrap: false });
  return runs;
}
