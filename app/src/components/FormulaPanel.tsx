/**
 * Step 4: the formula box (kept in sync with the form; a formula error shows
 * under it as the CLI prints it, caret and all), the estimation options, Fit
 * and, while a fit runs, its progress and Cancel.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RunState } from '../session/types.js';
import type { ColumnInfo } from '../worker/protocol.js';
import { isDefaultFamily, type ModelOptions } from '../model/options.js';

interface Props {
  formula: string;
  error: string | null;
  options: ModelOptions;
  columns: readonly ColumnInfo[];
  run: RunState;
  canFit: boolean;
  onFormula(f: string): void;
  onOptions(o: ModelOptions): void;
  onFit(): void;
  onCancel(): void;
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  return <span class="elapsed">{((now - since) / 1000).toFixed(1)} s</span>;
}

export function FormulaPanel({ formula, error, options, columns, run, canFit, onFormula, onOptions, onFit, onCancel }: Props) {
  const mixedGlm = !isDefaultFamily(options) && formula.includes('|');
  const running = run.status === 'running';
  return (
    <section class="card formula-panel" aria-labelledby="fit-h">
      <h2 id="fit-h"><span class="step-no" aria-hidden="true">4</span> Fit the model</h2>
      <div class="field">
        <label for="formula">Model formula</label>
        <input id="formula" data-testid="formula" type="text" value={formula} spellcheck={false} autocomplete="off" autocapitalize="off"
          aria-invalid={error ? 'true' : 'false'} aria-describedby="formula-help formula-error"
          placeholder="response ~ fixed effects + (1 | group)"
          onInput={(e) => onFormula(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && canFit && !running) {
              e.preventDefault();
              onFit();
            }
          }} />
        <p class="hint" id="formula-help">R’s formula language, as in lme4: <code>score ~ style + (1 | professor)</code>. Type here or use the steps; they stay in sync. Enter fits.</p>
        <pre id="formula-error" class={error ? 'error' : 'error empty'}>{error ?? ''}</pre>
      </div>
      <details class="advanced">
        <summary>Estimation options</summary>
        <fieldset class="inline">
          <legend>Linear mixed models are fitted by</legend>
          <label><input type="radio" name="reml" checked={options.reml} onChange={() => onOptions({ ...options, reml: true })} /> REML (the default, less biased variances)</label>
          <label><input type="radio" name="reml" checked={!options.reml} onChange={() => onOptions({ ...options, reml: false })} /> maximum likelihood</label>
        </fieldset>
        <div class="field-row">
          <div class="field">
            <label for="nagq">Quadrature points (nAGQ)</label>
            <input id="nagq" type="number" min={0} max={25} step={1} value={options.nagq} disabled={!mixedGlm} aria-describedby="nagq-help"
              onChange={(e) => {
                const n = Number(e.currentTarget.value);
                if (Number.isInteger(n) && n >= 0 && n <= 25) onOptions({ ...options, nagq: n });
              }} />
            <p class="hint" id="nagq-help">Generalized mixed models only: 1 is the Laplace approximation; more points (one random intercept) are more accurate; 0 is fastest.</p>
          </div>
          <div class="field">
            <label for="weights">Prior weights</label>
            <select id="weights" value={options.weights} onChange={(e) => onOptions({ ...options, weights: e.currentTarget.value })}>
              <option value="">none</option>
              {columns.filter((c) => c.kind === 'numeric').map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
            </select>
          </div>
        </div>
      </details>
      <div class="fit-row">
        <button type="button" class="primary" data-testid="fit" onClick={onFit} disabled={!canFit || running}>Fit</button>
        {running && <button type="button" class="secondary" data-testid="cancel" onClick={onCancel}>Cancel</button>}
      </div>
      <div class="run-status" role="status" aria-live="polite">
        {running && (
          <p class="progress">
            <progress aria-label="fitting" />
            <span>{run.stage}…</span> <Elapsed since={run.started} />
          </p>
        )}
        {run.status === 'done' && run.seconds !== null && <p class="status">Fitted in {run.seconds < 1 ? `${Math.round(run.seconds * 1000)} ms` : `${run.seconds.toFixed(1)} s`}. The results are below.</p>}
        {run.status === 'cancelled' && <p class="status">Cancelled.</p>}
      </div>
      {run.status === 'error' && run.error && <pre class="error" role="alert">{run.error}</pre>}
    </section>
  );
}
