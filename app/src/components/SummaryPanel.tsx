/** The model summary: the same text `mixedmodels fit` prints, its long notes wrapped (summaryRuns). */
import { summaryRuns } from '../model/summaryRuns.js';
import { ScrollBox } from './ScrollBox.js';

export function SummaryPanel({ text }: { text: string }) {
  return (
    <section class="card" aria-labelledby="summary-h">
      <h2 id="summary-h"><span class="step-no" aria-hidden="true">6</span> The model’s output</h2>
      <p class="hint">The summary as lme4 prints it (and as <code>mixedmodels fit</code> does): the random effects’ variances, then the fixed effects with their tests.</p>
      <ScrollBox label="Model summary">
        <pre class="summary" data-testid="summary">{summaryRuns(text).map((r) => (r.wrap ? <span class="wrapped">{r.text}</span> : r.text))}</pre>
      </ScrollBox>
    </section>
  );
}
