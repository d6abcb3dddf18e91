/**
 * The plots as tabs (WAI-ARIA tabs: arrow keys, Home and End move between
 * them), each drawn by the library (modelPlot + toSVG) in the worker, with a
 * note on how to read it and SVG/PNG downloads. Every drawn plot stays in the
 * page; only the chosen tab is shown.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fileName, saveBlob, saveText } from '../ui/download.js';
import { svgToPng } from '../ui/png.js';
import { svgElement } from '../ui/svg.js';
import { PLOT_KIND_NAMES, type PlotKindName, type PlotResult } from '../worker/protocol.js';

export const PLOT_INFO: Record<PlotKindName, { tab: string; title: string; read: string }> = {
  caterpillar: {
    tab: 'Random effects',
    title: 'Random effects: each group’s deviation with a 95% interval',
    read: 'Each dot is a group’s estimated deviation from the average (its conditional mode), with a 95% interval. Groups whose interval misses zero differ clearly from the average group.',
  },
  forest: {
    tab: 'Fixed effects',
    title: 'Fixed effects with 95% intervals',
    read: 'Each coefficient with its 95% Wald interval. An interval that crosses zero means the data are consistent with no effect of that term.',
  },
  residuals: {
    tab: 'Residuals',
    title: 'Residuals against fitted values',
    read: 'There should be no pattern: a funnel means the spread grows with the fitted value, a curve means the model misses a term.',
  },
  qq: {
    tab: 'QQ plots',
    title: 'Normal QQ plots of the residuals and the random effects',
    read: 'Points close to the line mean the values look normally distributed, as the model assumes; curved tails mean heavier or lighter tails than normal.',
  },
  groups: {
    tab: 'Groups vs pooled',
    title: 'Per-group fitted lines beside the pooled line (Simpson’s paradox)',
    read: 'Each group’s fitted line next to the single line that ignores the groups. When the pooled slope differs from the slopes within groups, or even reverses, the data seen without their groups mislead: that is Simpson’s paradox, and what the random effects correct for.',
  },
  effect: {
    tab: 'Predicted effect',
    title: 'Predicted effect with a 95% confidence band',
    read: 'The model’s prediction across one predictor, the others held at their mean or first level, for an average group (fixed effects only).',
  },
};

const KINDS = PLOT_KIND_NAMES;

function Figure({ plot }: { plot: PlotResult }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || !plot.svg) return;
    const node = svgElement(plot.svg, `${plot.kind}-`, PLOT_INFO[plot.kind].title);
    box.current.replaceChildren(...(node ? [node] : []));
  }, [plot]);
  return <div class="figure" ref={box} data-testid={`plot-${plot.kind}`} />;
}

export function PlotsPanel({ plots, dataName, drawing }: { plots: readonly PlotResult[]; dataName: string; drawing: boolean }) {
  const [selected, setSelected] = useState<PlotKindName | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tabs = useRef<Partial<Record<PlotKindName, HTMLButtonElement | null>>>({});
  const byKind = new Map(plots.map((p) => [p.kind, p]));
  const firstDrawn = KINDS.find((k) => byKind.get(k)?.svg);
  const current = selected ?? firstDrawn ?? KINDS[0];
  const move = (e: KeyboardEvent, i: number) => {
    const to = e.key === 'ArrowRight' ? (i + 1) % KINDS.length : e.key === 'ArrowLeft' ? (i + KINDS.length - 1) % KINDS.length : e.key === 'Home' ? 0 : e.key === 'End' ? KINDS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    setSelected(KINDS[to]);
    tabs.current[KINDS[to]]?.focus();
  };
  const png = async (p: PlotResult) => {
    setError(null);
    try {
      saveBlob(await svgToPng(p.svg!), fileName(dataName, `${p.kind}.png`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="card plots" aria-labelledby="plots-h">
      <h2 id="plots-h">Plots</h2>
      <div class="tabs" role="tablist" aria-label="Plots">
        {KINDS.map((k, i) => (
          <button type="button" role="tab" key={k} id={`tab-${k}`} aria-controls={`panel-${k}`} aria-selected={current === k}
            tabIndex={current === k ? 0 : -1} ref={(el) => { tabs.current[k] = el; }}
            onClick={() => setSelected(k)} onKeyDown={(e) => move(e as unknown as KeyboardEvent, i)}>
            {PLOT_INFO[k].tab}
          </button>
        ))}
      </div>
      {KINDS.map((k) => {
        const p = byKind.get(k);
        return (
          <div role="tabpanel" id={`panel-${k}`} aria-labelledby={`tab-${k}`} key={k} hidden={current !== k} tabIndex={0} class="tabpanel">
            <h3>{PLOT_INFO[k].title}</h3>
            {!p && <p class="status">{drawing ? 'Drawing…' : 'Not drawn: the fit was cancelled before this plot.'}</p>}
            {p && p.reason && <p class="note">Not for this model: {p.reason}.</p>}
            {p && p.svg && (
              <>
                <p class="hint">{PLOT_INFO[k].read}</p>
                <Figure plot={p} />
                <div class="button-row">
                  <button type="button" class="secondary" onClick={() => saveText(p.svg!, fileName(dataName, `${k}.svg`), 'image/svg+xml')}>Download SVG</button>
                  <button type="button" class="secondary" onClick={() => void png(p)}>Download PNG</button>
                </div>
              </>
            )}
          </div>
        );
      })}
      {error && <pre class="error" role="alert">{error}</pre>}
    </section>
  );
}
