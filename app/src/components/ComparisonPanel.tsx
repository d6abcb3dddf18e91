/**
 * The mixed model beside the model without random effects (the fixed-effects
 * fit): coefficients side by side and the likelihood-ratio test; and a test
 * against any other nested model the user writes.
 */
import { useState } from 'preact/hooks';
import { lrtReading, pText, signif } from '../model/explain.js';
import { nestedSuggestion } from '../model/formulaParts.js';
import { Cancelled } from '../worker/client.js';
import type { Comparison, Lrt } from '../worker/protocol.js';
import { ScrollBox } from './ScrollBox.js';

interface Props {
  comparison: Comparison | null | undefined;
  mixed: boolean;
  formula: string;
  onCompare(formula: string): Promise<Comparison>;
  onCancel(): void;
}

function LrtTable({ lrt, caption }: { lrt: Lrt; caption: string }) {
  return (
    <ScrollBox label={caption}>
      <table class="numbers">
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">model</th><th scope="col">npar</th><th scope="col">AIC</th><th scope="col">BIC</th><th scope="col">logLik</th><th scope="col">χ²</th><th scope="col">df</th><th scope="col">p</th></tr>
        </thead>
        <tbody>
          {lrt.rows.map((r) => (
            <tr key={r.formula}>
              <th scope="row"><code>{r.formula}</code></th>
              <td>{r.npar}</td><td>{signif(r.AIC, 6)}</td><td>{signif(r.BIC, 6)}</td><td>{signif(r.logLik, 6)}</td>
              <td>{r.chisq === null ? '' : signif(r.chisq, 4)}</td><td>{r.df ?? ''}</td><td>{r.pValue === null ? '' : pText(r.pValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function Coefficients({ c }: { c: Comparison }) {
  const cell = (x: { estimate: number; stdError: number } | null) => (x ? <><td>{signif(x.estimate, 4)}</td><td>{signif(x.stdError, 3)}</td></> : <><td>–</td><td>–</td></>);
  return (
    <ScrollBox label="Fixed effects in both models">
      <table class="numbers">
        <caption>Fixed effects: estimate and standard error in each model</caption>
        <thead>
          <tr><th scope="col" rowSpan={2}>term</th><th scope="colgroup" colSpan={2}>without random effects</th><th scope="colgroup" colSpan={2}>mixed model</th></tr>
          <tr><th scope="col">estimate</th><th scope="col">std. error</th><th scope="col">estimate</th><th scope="col">std. error</th></tr>
        </thead>
        <tbody>
          {c.coefficients.map((p) => <tr key={p.term}><th scope="row">{p.term}</th>{cell(p.fixed)}{cell(p.mixed)}</tr>)}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function suggestion(formula: string): string {
  try {
    return nestedSuggestion(formula);
  } catch {
    return '';
  }
}

export function ComparisonPanel({ comparison, mixed, formula, onCompare, onCancel }: Props) {
  const [other, setOther] = useState(() => suggestion(formula));
  const [custom, setCustom] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const compare = async () => {
    setBusy(true);
    setError(null);
    setCustom(null);
    try {
      setCustom(await onCompare(other.trim()));
    } catch (err) {
      if (!(err instanceof Cancelled)) setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const auto = comparison?.lrt ? lrtReading(comparison.lrt, true) : null;
  const customReading = custom?.lrt ? lrtReading(custom.lrt, false) : null;
  return (
    <section class="card" aria-labelledby="cmp-h">
      <h2 id="cmp-h">With and without random effects</h2>
      {!mixed && <p>This model has no random effects: add a grouping factor in step 3 to compare.</p>}
      {mixed && comparison === undefined && <p class="status">Fitting the model without random effects…</p>}
      {mixed && comparison && (
        <>
          <p class="hint">The same fixed effects fitted as an ordinary regression, <code>{comparison.formula}</code>, which treats every observation as independent. Compare the standard errors; where the estimates differ, the grouping hides or reverses an effect (Simpson’s paradox).</p>
          <Coefficients c={comparison} />
          {comparison.lrt && auto && (
            <>
              <LrtTable lrt={comparison.lrt} caption="Likelihood-ratio test (as lme4’s anova)" />
              <div class="reading">{auto.sentences.map((s) => <p key={s}>{s}</p>)}</div>
            </>
          )}
          {comparison.note && <p class="note">No test: {comparison.note}</p>}
        </>
      )}
      <form class="compare-other" onSubmit={(e) => { e.preventDefault(); if (other.trim()) void compare(); }}>
        <div class="field">
          <label for="other-formula">Compare with another nested model</label>
          <input id="other-formula" type="text" value={other} spellcheck={false} placeholder="a smaller model, e.g. without one term"
            onInput={(e) => setOther(e.currentTarget.value)} aria-describedby="other-help" />
          <p class="hint" id="other-help">Same data and options; the test is valid when one model is the other with terms removed.</p>
        </div>
        <button type="submit" class="secondary" disabled={busy || other.trim() === ''}>Compare</button>
      </form>
      <div aria-live="polite">
        {busy && <p class="status">Fitting and comparing… <button type="button" class="secondary" onClick={onCancel}>Cancel</button></p>}
        {error && <pre class="error" role="alert">{error}</pre>}
        {custom?.lrt && <LrtTable lrt={custom.lrt} caption="Likelihood-ratio test" />}
        {customReading && <div class="reading">{customReading.sentences.map((s) => <p key={s}>{s}</p>)}</div>}
        {custom?.lrt?.messages.filter((m) => !/refitted/.test(m)).map((m) => <p class="note" key={m}>{m}</p>)}
        {custom?.note && <p class="note">No test: {custom.note}</p>}
      </div>
    </section>
  );
}
