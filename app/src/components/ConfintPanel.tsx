/** Confidence intervals for the parameters (lme4's confint): Wald, likelihood profile, or parametric bootstrap. */
import { useState } from 'preact/hooks';
import { signif } from '../model/explain.js';
import { Cancelled } from '../worker/client.js';
import type { IntervalRow } from '../worker/protocol.js';
import { ScrollBox } from './ScrollBox.js';

type Method = 'wald' | 'profile' | 'boot';

interface Props {
  mixed: boolean;
  lmm: boolean;
  onConfint(method: Method, level: number): Promise<IntervalRow[]>;
  onCancel(): void;
}

export function ConfintPanel({ mixed, lmm, onConfint, onCancel }: Props) {
  const [method, setMethod] = useState<Method>('wald');
  const [level, setLevel] = useState('0.95');
  const [rows, setRows] = useState<IntervalRow[] | null>(null);
  const [shown, setShown] = useState<{ method: Method; level: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    const p = Number(level);
    if (!(p > 0 && p < 1)) {
      setError(`the level must be a number between 0 and 1, such as 0.95, not '${level}'`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setRows(await onConfint(method, p));
      setShown({ method, level: p });
    } catch (err) {
      setError(err instanceof Cancelled ? null : (err as Error).message);
      if (err instanceof Cancelled) setRows(null);
    } finally {
      setBusy(false);
    }
  };
  const pct = (x: number) => `${Number((100 * x).toPrecision(3))} %`;
  return (
    <section class="card" aria-labelledby="ci-h">
      <h2 id="ci-h">Confidence intervals</h2>
      {!mixed ? <p>Intervals here are for mixed models; the forest plot shows this model’s coefficient intervals.</p> : (
        <>
          <form class="field-row" onSubmit={(e) => { e.preventDefault(); void run(); }}>
            <div class="field">
              <label for="ci-method">Method</label>
              <select id="ci-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
                <option value="wald">Wald (fast; fixed effects only)</option>
                <option value="profile">likelihood profile (lme4’s default)</option>
                {lmm && <option value="boot">parametric bootstrap (1000 refits)</option>}
              </select>
            </div>
            <div class="field">
              <label for="ci-level">Level</label>
              <input id="ci-level" type="text" inputMode="decimal" value={level} onInput={(e) => setLevel(e.currentTarget.value)} size={6} />
            </div>
            <button type="submit" class="secondary" disabled={busy}>Compute intervals</button>
          </form>
          <div aria-live="polite">
            {busy && <p class="status">Computing… <button type="button" class="secondary" onClick={onCancel}>Cancel</button></p>}
            {error && <pre class="error" role="alert">{error}</pre>}
          </div>
          {rows && shown && (
            <ScrollBox label="Confidence intervals">
              <table class="numbers" data-testid="confint">
                <caption>{shown.method === 'wald' ? 'Wald' : shown.method === 'profile' ? 'Profile' : 'Bootstrap'} intervals; NA where the method gives none</caption>
                <thead><tr><th scope="col">parameter</th><th scope="col">{pct((1 - shown.level) / 2)}</th><th scope="col">{pct(1 - (1 - shown.level) / 2)}</th></tr></thead>
                <tbody>{rows.map((r) => <tr key={r.parameter}><th scope="row"><code>{r.parameter}</code></th><td>{signif(r.lower, 5)}</td><td>{signif(r.upper, 5)}</td></tr>)}</tbody>
              </table>
            </ScrollBox>
          )}
        </>
      )}
    </section>
  );
}
