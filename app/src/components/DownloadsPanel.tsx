/**
 * Downloads of the shown fit: the JSON (the CLI's `fit --format json`: the same
 * fields; the numbers the CLI's to 1e-6 or better, as Chromium's Math.exp, log and
 * pow differ from Node's in the last bit), the self-contained HTML report (the CLI's `fit --report`), the
 * command line that reproduces the JSON and the lme4 R code. Disabled until
 * there is a result.
 */
import { useState } from 'preact/hooks';
import { cliCommand, rCode, shellWord } from '../model/reproduce.js';
import type { Shown } from '../session/types.js';
import { fileName, saveText } from '../ui/download.js';

interface Props {
  shown: Shown | null;
  onReport(provenance: { data: string; command: string }): Promise<string>;
}

export function DownloadsPanel({ shown, onReport }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const off = shown === null;
  const report = async () => {
    if (!shown) return;
    setBusy(true);
    setError(null);
    try {
      const provenance = { data: shown.dataName, command: `${cliCommand(shown.dataName, shown.formula, shown.options, 'text')} --report ${shellWord(fileName(shown.dataName, 'report.html'))}` };
      saveText(await onReport(provenance), fileName(shown.dataName, 'report.html'), 'text/html');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card downloads" aria-labelledby="dl-h">
      <h2 id="dl-h">Downloads</h2>
      {off && <p class="hint">Fit a model to download its results.</p>}
      <div class="button-row">
        <button type="button" class="secondary" data-testid="download-json" disabled={off}
          onClick={() => shown && saveText(shown.json, fileName(shown.dataName, 'model.json'), 'application/json')}>Result (JSON)</button>
        <button type="button" class="secondary" data-testid="download-report" disabled={off || busy} onClick={() => void report()}>Report (HTML)</button>
        <button type="button" class="secondary" data-testid="download-cli" disabled={off}
          onClick={() => shown && saveText(`#!/bin/sh\n${cliCommand(shown.dataName, shown.formula, shown.options)}\n`, fileName(shown.dataName, 'fit.sh'), 'text/x-shellscript')}>Command line (.sh)</button>
        <button type="button" class="secondary" data-testid="download-r" disabled={off}
          onClick={() => shown && saveText(rCode(shown.dataName, shown.formula, shown.options), fileName(shown.dataName, 'model.R'), 'text/x-r')}>R code (.R)</button>
      </div>
      <div aria-live="polite">
        {busy && <p class="status">Writing the report…</p>}
        {error && <pre class="error" role="alert">{error}</pre>}
      </div>
    </section>
  );
}

function CopyBlock({ id, label, text }: { id: string; label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="code-block">
      <h3 id={id}>{label}</h3>
      <pre aria-labelledby={id} tabIndex={0}><code>{text}</code></pre>
      <button type="button" class="secondary" onClick={() => {
        navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
      }}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}

/** The same fit outside the page: the CLI command (its JSON is the page's) and lme4 R code. */
export function ReproducePanel({ shown }: { shown: Shown }) {
  return (
    <section class="card" aria-labelledby="repro-h">
      <h2 id="repro-h">Reproduce this fit</h2>
      <p class="hint">With the data file saved as <code>{shown.dataName}</code> in the current folder.</p>
      <CopyBlock id="repro-cli" label="Command line (mixedmodels)" text={cliCommand(shown.dataName, shown.formula, shown.options, 'text')} />
      <CopyBlock id="repro-r" label="R (lme4)" text={rCode(shown.dataName, shown.formula, shown.options)} />
    </section>
  );
}
