/** Step 5: the intraclass correlation and R^2, each with a plain-language reading. */
import { iccReading, r2Reading } from '../model/explain.js';
import type { FitResult } from '../worker/protocol.js';

export function IccPanel({ result }: { result: FitResult }) {
  const groups = Object.keys(result.ngrps);
  const icc = result.icc ? iccReading(result.icc, groups) : null;
  const r2 = result.r2 ? r2Reading(result.r2) : null;
  return (
    <section class="card" aria-labelledby="icc-h">
      <h2 id="icc-h"><span class="step-no" aria-hidden="true">5</span> Do members of a group behave alike?</h2>
      {result.kind === 'lm' || result.kind === 'glm' ? (
        <p>This model has no random effects, so there is no intraclass correlation. Choose a grouping factor in step 3 to see how much members of a group resemble each other.</p>
      ) : icc ? (
        <div class="reading" data-testid="icc">
          <h3>{icc.headline}</h3>
          {icc.sentences.map((s) => <p key={s}>{s}</p>)}
        </div>
      ) : (
        <p>The intraclass correlation is not defined for this family here (no residual variance on a known scale).</p>
      )}
      {r2 && (
        <div class="reading">
          <h3>{r2.headline}</h3>
          {r2.sentences.map((s) => <p key={s}>{s}</p>)}
        </div>
      )}
    </section>
  );
}
