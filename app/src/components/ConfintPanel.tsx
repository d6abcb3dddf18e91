/**
 * Confidence intervals for the parameters (lme4's confint): Wald, likelihood profile, or parametric
 * bootstrap; for an lm R's confint.lm (t) or confint.default, for a GLM R's confint (profile) or
 * confint.default.
 */
import { useEffect, useState } from 'preact/hooks';
import { signif } from '../model/explain.js';
import { Cancelled } from '../worker/client.js';
import type { ConfintChoice, IntervalRow } from '../worker/protocol.js';
import { ScrollBox } from './ScrollBox.js';

type Method = ConfintChoice;
type Kind = 'lm' | 'glm' | 'lmm' | 'glmm';

interface Props {
  kind: Kind;
  onConfint(method: Method, level: number): Promise<IntervalRow[]>;
  onCancel(): void;
}

/** The methods offered for a kind of model, the first the default, with their labels. */
function methods(kind: Kind): [Method, string][] {
  if (kind === 'lm') return [['default', 't intervals (R’s confint)'], ['wald', 'Wald, normal quantiles (R’s confint.default)']];
  if (kind === 'glm') return [['profile', 'likelihood profile (R’s confint)'], ['wald', 'Wald (R’s confint.default)']];
  const list: [Method, string][] = [['wald', 'Wald (fast; fixed effects only)'], ['profile', 'likelihood profile (lme4’s default)']];
  return kind === 'lmm' ? [...list, ['boot', 'parametric bootstrap (1000 refits)']] : list;
}

const CAPTION: Record<Method, string> = { wald: 'Wald', profile: 'Profile', boot: 'Bootstrap', default: 't' };

export function ConfintPanel({ kind, onConfint, onCancel }: Props) {
  const offered = methods(kind);
  const [method, setMethod] = useState<Method>(offered[0][0]);
  useEffect(() => {
    // Another kind of model: its own default, and no table of the last one's.
    setMethod(methods(kind)[0][0]);
    setRows(null);
  }, [kind]);
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
      <form class="field-row" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <div class="field">
          <label for="ci-method">Method</label>
          <select id="ci-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
            {offered.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
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
            <caption>{CAPTION[shown.method]} intervals; NA where the method gives none</caption>
            <thead><tr><th scope="col">parameter</th><th scope="col">{pct((1 - shown.level) / 2)}</th><th scope="col">{pct(1 - (1 - shown.level) / 2)}</th></tr></thead>
            <tbody>{rows.map((r) => <tr key={r.parameter}><th scope="row"><code>{r.parameter}</code></th><td>{signif(r.lower, 5)}</td><td>{signif(r.upper, 5)}</td></tr>)}</tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}
