/**
 * The page: data, the six steps (form and formula box in sync), Fit, and the
 * results. The working state lives in useFitSession, the as-you-type formula
 * check in useFormulaCheck, the URL in useUrlSync; this component lays out
 * the panels and wires them to those.
 */
import { useMemo } from 'preact/hooks';
import { ComparisonPanel } from './components/ComparisonPanel.js';
import { ConfintPanel } from './components/ConfintPanel.js';
import { DataPanel } from './components/DataPanel.js';
import { DownloadsPanel, ReproducePanel } from './components/DownloadsPanel.js';
import { FormulaPanel } from './components/FormulaPanel.js';
import { IccPanel } from './components/IccPanel.js';
import { MessagesPanel } from './components/MessagesPanel.js';
import { ModelForm } from './components/ModelForm.js';
import { PlotsPanel } from './components/PlotsPanel.js';
import { PredictPanel } from './components/PredictPanel.js';
import { SummaryPanel } from './components/SummaryPanel.js';
import { exampleById } from './model/examples.js';
import { predictorColumns } from './model/formulaParts.js';
import { useFitSession } from './session/useFitSession.js';
import { useFormulaCheck } from './session/useFormulaCheck.js';
import { useUrlSync } from './session/useUrlSync.js';
import type { FitClient } from './worker/client.js';

export function App({ client }: { client: FitClient }) {
  const s = useFitSession(client);
  const { source, preview, formula, options, fitted, run } = s;
  const formulaError = useFormulaCheck(client, formula, options, preview);
  useUrlSync({
    example: source?.kind === 'example' ? source.id : source === null ? s.initial.example : null,
    file: source?.kind === 'file' ? source.name : source === null ? s.initial.file : null,
    formula,
    options,
  });
  const columns = preview?.columns ?? [];
  const mixed = fitted?.result.kind === 'lmm' || fitted?.result.kind === 'glmm';
  const predictors = useMemo(() => {
    if (!fitted || !preview) return [];
    try {
      return predictorColumns(fitted.formula, preview.columns.map((c) => c.name));
    } catch {
      return [];
    }
  }, [fitted?.formula, preview]);

  return (
    <>
      <a class="skip" href="#results">Skip to the results</a>
      <header class="top">
        <h1>mixedmodels</h1>
        <p>Mixed-effects regression in your browser, step by step: lme4’s models and numbers, computed on this page. Your data stays on your computer.</p>
      </header>
      <main>
        <DataPanel preview={preview} sourceLabel={source?.kind === 'example' ? exampleById(source.id)?.title ?? source.name : source?.name ?? null}
          loading={s.loading} error={s.dataError} wantedFile={source === null ? s.initial.file : null} factors={options.factors}
          onExample={(e) => void s.loadExample(e)} onFile={(f) => void s.loadFile(f)} onFactors={(factors) => s.setOptions({ ...options, factors })} />
        <div class="model-grid">
          <section class="card" aria-labelledby="steps-h">
            <h2 id="steps-h">Build the model</h2>
            <ModelForm columns={columns} formula={formula} options={options} onFormula={s.setFormula} onOptions={s.setOptions} />
          </section>
          <div class="side">
            <FormulaPanel formula={formula} error={formulaError} options={options} columns={columns} run={run} canFit={preview !== null && !s.loading}
              onFormula={s.setFormula} onOptions={s.setOptions} onFit={() => void s.fit()} onCancel={s.cancel} />
            <DownloadsPanel shown={fitted} onReport={(provenance) => client.report(provenance)} />
          </div>
        </div>
        <div id="results" tabIndex={-1} class="results">
          {fitted && (
            <>
              {(fitted.formula !== formula.trim() || JSON.stringify(fitted.options) !== JSON.stringify(options)) && (
                <p class="note stale" role="status">These results are for <code>{fitted.formula}</code> with the options it was fitted with; the model above has changed since. Press Fit to update them.</p>
              )}
              <IccPanel result={fitted.result} />
              <MessagesPanel messages={fitted.result.messages} onRefit={(nagq) => {
                const o = { ...fitted.options, nagq };
                s.setOptions(o);
                void s.fit(fitted.formula, o);
              }} />
              <SummaryPanel text={fitted.result.summary} />
              <ComparisonPanel comparison={fitted.comparison} mixed={mixed} formula={fitted.formula} onCompare={(f) => client.compare(f)} onCancel={() => client.cancel()} />
              <PlotsPanel plots={fitted.plots} dataName={fitted.dataName} drawing={run.status === 'running'} />
              <ConfintPanel kind={fitted.result.kind} onConfint={(m, l) => client.confint(m, l)} onCancel={() => client.cancel()} />
              {preview && <PredictPanel mixed={mixed} columns={predictors} preview={preview} onPredict={(csv, pop, iv, l) => client.predict(csv, pop, iv, l)} />}
              <ReproducePanel shown={fitted} />
            </>
          )}
        </div>
      </main>
      <footer class="bottom">
        <p>Numbers match R’s lme4 and lmerTest; the command line <code>npx mixedmodels fit</code> gives the same results.</p>
      </footer>
    </>
  );
}
