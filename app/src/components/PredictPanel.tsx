/**
 * Predictions for a few new rows typed into a small table: the model's
 * predictor columns, prefilled with the first rows of the data. The rows go
 * to the library as a CSV, as `mixedmodels predict --newdata` reads them; a
 * group the fit has not seen is predicted with a zero random effect.
 */
import { useEffect, useState } from 'preact/hooks';
import { signif } from '../model/explain.js';
import type { DataPreview, PredictionRows } from '../worker/protocol.js';
import { ScrollBox } from './ScrollBox.js';

type Interval = 'none' | 'confidence' | 'prediction';

interface Props {
  mixed: boolean;
  /** The columns a new row needs, in formula order. */
  columns: readonly string[];
  preview: DataPreview;
  onPredict(csv: string, population: boolean, interval: Interval, level: number): Promise<PredictionRows>;
}

function csvField(s: string): string {
  return s === '' ? '' : `"${s.replace(/"/g, '""')}"`;
}

/** The table as CSV text (every value quoted, as read.csv reads quoted numbers as numbers; empty = missing). */
export function rowsCsv(columns: readonly string[], rows: readonly string[][]): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

function initialRows(columns: readonly string[], preview: DataPreview): string[][] {
  const at = columns.map((c) => preview.columns.findIndex((x) => x.name === c));
  return preview.rows.slice(0, 3).map((row) => at.map((j) => (j < 0 ? '' : row[j])));
}

export function PredictPanel({ mixed, columns, preview, onPredict }: Props) {
  const [rows, setRows] = useState<string[][]>(() => initialRows(columns, preview));
  const [population, setPopulation] = useState(false);
  const [interval, setIntervalKind] = useState<Interval>('confidence');
  const [out, setOut] = useState<PredictionRows | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = columns.join('\u0000');
  useEffect(() => {
    setRows(initialRows(columns, preview));
    setOut(null);
  }, [key, preview]);
  const setCell = (i: number, j: number, v: string) => {
    setRows(rows.map((r, a) => (a === i ? r.map((x, b) => (b === j ? v : x)) : r)));
    setOut(null);
  };
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setOut(await onPredict(rowsCsv(columns, rows), population, interval, 0.95));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="pred-h">
      <h2 id="pred-h">Predictions for new rows</h2>
      <p class="hint">Edit the values, add rows, then predict.{mixed && ' A group the model has not seen (type a new name) gets the average group’s prediction.'}</p>
      <form onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <ScrollBox label="New rows and predictions">
          <table class="numbers editable" data-testid="predict-table">
            <caption>New rows{out ? ' and their predictions (95% intervals)' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">row</th>
                {columns.map((c) => <th scope="col" key={c}>{c}</th>)}
                {out && <><th scope="col">prediction</th>{out.lower && <><th scope="col">lower</th><th scope="col">upper</th></>}</>}
                <th scope="col"><span class="sr-only">remove</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{i + 1}</th>
                  {r.map((v, j) => (
                    <td key={j}><input type="text" value={v} aria-label={`row ${i + 1}, ${columns[j]}`} size={8} onInput={(e) => setCell(i, j, e.currentTarget.value)} /></td>
                  ))}
                  {out && <><td>{signif(out.fit[i], 5)}</td>{out.lower && <><td>{signif(out.lower[i], 5)}</td><td>{signif(out.upper![i], 5)}</td></>}</>}
                  <td><button type="button" class="chip-remove" aria-label={`remove row ${i + 1}`} onClick={() => { setRows(rows.filter((_, a) => a !== i)); setOut(null); }} disabled={rows.length === 1}>×</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
        <div class="field-row">
          <button type="button" class="secondary" onClick={() => { setRows([...rows, columns.map(() => '')]); setOut(null); }}>Add a row</button>
          <div class="field">
            <label for="pred-interval">Interval</label>
            <select id="pred-interval" value={interval} onChange={(e) => { setIntervalKind(e.currentTarget.value as Interval); setOut(null); }}>
              <option value="none">none</option>
              <option value="confidence">confidence (the mean)</option>
              <option value="prediction">prediction (a new observation; linear models)</option>
            </select>
          </div>
          {mixed && <label class="check"><input type="checkbox" checked={population} onChange={(e) => { setPopulation(e.currentTarget.checked); setOut(null); }} /> average group only (fixed effects)</label>}
          <button type="submit" class="secondary" data-testid="predict" disabled={busy}>Predict</button>
        </div>
      </form>
      <div aria-live="polite">
        {busy && <p class="status">Predicting…</p>}
        {error && <pre class="error" role="alert">{error}</pre>}
        {out?.messages.map((m) => <p class="note" key={m}>{m}</p>)}
      </div>
    </section>
  );
}
