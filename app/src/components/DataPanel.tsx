/**
 * The data: a bundled example or the user's CSV file (picked or dropped; it
 * never leaves the browser), then a preview with each column's type as the
 * CLI's reader detected it. A numeric column can be switched to categorical
 * (the CLI's `--factor`); text columns are categorical already.
 */
import { useState } from 'preact/hooks';
import { EXAMPLES, type Example } from '../model/examples.js';
import type { DataPreview } from '../worker/protocol.js';

interface Props {
  preview: DataPreview | null;
  sourceLabel: string | null;
  loading: boolean;
  error: string | null;
  /** The file a shared link was made with, when it is not loaded yet. */
  wantedFile: string | null;
  factors: readonly string[];
  onExample(e: Example): void;
  onFile(f: File): void;
  onFactors(factors: string[]): void;
}

export function DataPanel({ preview, sourceLabel, loading, error, wantedFile, factors, onExample, onFile, onFactors }: Props) {
  const [dragging, setDragging] = useState(false);
  return (
    <section class={`card data${dragging ? ' dragging' : ''}`} aria-labelledby="data-h"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer?.files[0];
        if (f) onFile(f);
      }}>
      <h2 id="data-h">Your data</h2>
      <p class="hint">Choose an example, or load a CSV file with a header row (or drop it here). The file is read in this page and goes nowhere else.</p>
      <div class="examples" role="group" aria-label="Example data sets">
        {EXAMPLES.map((e) => (
          <button type="button" class="example" key={e.id} onClick={() => onExample(e)} aria-describedby={`ex-${e.id}`}>
            <span class="example-title">{e.title}</span>
            <span class="example-about" id={`ex-${e.id}`}>{e.about}</span>
          </button>
        ))}
      </div>
      <div class="field file">
        <label for="file">Load a CSV file</label>
        <input id="file" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) onFile(f);
          e.currentTarget.value = '';
        }} />
      </div>
      {wantedFile && !preview && <p class="note">This link was made with the file <strong>{wantedFile}</strong>, which a link cannot carry: load it to continue.</p>}
      <div aria-live="polite">
        {loading && <p class="status">Reading the data…</p>}
        {error && <pre class="error" role="alert">{error}</pre>}
      </div>
      {preview && <PreviewTable preview={preview} label={sourceLabel ?? preview.source} factors={factors} onFactors={onFactors} />}
    </section>
  );
}

function PreviewTable({ preview, label, factors, onFactors }: { preview: DataPreview; label: string; factors: readonly string[]; onFactors(f: string[]): void }) {
  const setType = (name: string, categorical: boolean) => {
    const rest = factors.filter((f) => f !== name);
    onFactors(categorical ? [...rest, name] : rest);
  };
  return (
    <div class="preview">
      <p class="preview-caption" id="preview-caption">
        <strong>{label}</strong>: {preview.nrow.toLocaleString('en')} rows, {preview.columns.length} columns. First rows:
      </p>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="preview-caption">
        <table>
          <thead>
            <tr>
              {preview.columns.map((c) => <th scope="col" key={c.name}>{c.name}</th>)}
            </tr>
            <tr class="types">
              {preview.columns.map((c, j) => (
                <td key={c.name}>
                  {c.kind === 'numeric' ? (
                    <select aria-label={`type of ${c.name}`} id={`type-${j}`} value={factors.includes(c.name) ? 'categorical' : 'numeric'}
                      onChange={(e) => setType(c.name, e.currentTarget.value === 'categorical')}>
                      <option value="numeric">numeric</option>
                      <option value="categorical">categorical</option>
                    </select>
                  ) : (
                    <span class="badge" title="text values make a categorical column">categorical</span>
                  )}
                  <span class="distinct">{c.distinct} distinct{c.missing > 0 ? `, ${c.missing} missing` : ''}</span>
                </td>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>{row.map((v, j) => <td key={j} class={preview.columns[j].kind === 'numeric' ? 'num' : ''}>{v === '' ? <span class="na">NA</span> : v}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
