/**
 * Steps 1 to 3 of the workflow as a form: the dependent variable (and the
 * kind of outcome), the fixed effects, the random effects. The form reads the
 * formula (formulaParts) and every change writes the formula back, so the
 * formula box and the form always agree; while the formula does not parse,
 * the form waits.
 */
import { useState } from 'preact/hooks';
import type { ColumnInfo } from '../worker/protocol.js';
import {
  emptyParts,
  formulaParts,
  formulaText,
  withGroup,
  withInteraction,
  withMainEffect,
  withResponse,
  withSlopes,
  withoutPiece,
  type FormulaParts,
  type Piece,
  type Response,
} from '../model/formulaParts.js';
import { FAMILIES, FAMILY_LABELS, LINKS, isFamily, type ModelOptions } from '../model/options.js';

interface Props {
  columns: readonly ColumnInfo[];
  formula: string;
  options: ModelOptions;
  onFormula(formula: string): void;
  onOptions(options: ModelOptions): void;
}

function readParts(formula: string): FormulaParts | null {
  if (formula.trim() === '') return emptyParts();
  try {
    return formulaParts(formula);
  } catch {
    return null;
  }
}

function kindLabel(c: ColumnInfo, factors: readonly string[]): string {
  return c.kind === 'numeric' && !factors.includes(c.name) ? 'numeric' : 'categorical';
}

function responseColumns(r: Response): string[] {
  if (r.mode === 'column') return [r.column];
  if (r.mode === 'counts') return [r.successes, r.trials];
  return [];
}

export function ModelForm({ columns, formula, options, onFormula, onOptions }: Props) {
  const parts = readParts(formula);
  const edit = (next: FormulaParts) => onFormula(formulaText(next).trim());
  return (
    <form class="steps" onSubmit={(e) => e.preventDefault()} aria-label="Build the model step by step">
      {parts === null && <p class="note" id="form-waits">The form follows the formula once the formula box holds a formula that reads correctly.</p>}
      <fieldset disabled={parts === null} class="plain">
        <Step1 columns={columns} parts={parts ?? emptyParts()} options={options} edit={edit} onOptions={onOptions} />
        <Step2 columns={columns} parts={parts ?? emptyParts()} options={options} edit={edit} />
        <Step3 columns={columns} parts={parts ?? emptyParts()} options={options} edit={edit} />
      </fieldset>
    </form>
  );
}

interface StepProps {
  columns: readonly ColumnInfo[];
  parts: FormulaParts;
  options: ModelOptions;
  edit(next: FormulaParts): void;
}

function Step1({ columns, parts, options, edit, onOptions }: StepProps & { onOptions(o: ModelOptions): void }) {
  const r = parts.response;
  const counts = options.family === 'binomial' && r.mode === 'counts';
  const numeric = columns.filter((c) => c.kind === 'numeric');
  const toCounts = () => {
    const s = r.mode === 'column' && numeric.some((c) => c.name === r.column) ? r.column : numeric[0]?.name;
    const t = numeric.find((c) => c.name !== s)?.name;
    if (s && t) edit(withResponse(parts, { mode: 'counts', successes: s, trials: t }));
  };
  const toColumn = () => {
    if (r.mode === 'counts') edit(withResponse(parts, { mode: 'column', column: r.successes }));
  };
  return (
    <fieldset class="step">
      <legend><span class="step-no" aria-hidden="true">1</span> What do you want to measure or affect?</legend>
      <p class="hint">The dependent variable: a score, a reaction time, whether a user clicked.</p>
      <div class="field">
        <label for="family">Kind of outcome</label>
        <select id="family" data-testid="family" value={options.family} onChange={(e) => {
          const family = e.currentTarget.value;
          if (isFamily(family)) onOptions({ ...options, family, link: '' });
        }}>
          {FAMILIES.map((f) => <option value={f} key={f}>{FAMILY_LABELS[f]}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="link">Link function</label>
        <select id="link" value={options.link} onChange={(e) => onOptions({ ...options, link: e.currentTarget.value })}>
          <option value="">{`${LINKS[options.family][0]} (the usual one)`}</option>
          {LINKS[options.family].slice(1).map((l) => <option value={l} key={l}>{l}</option>)}
        </select>
      </div>
      {options.family === 'binomial' && (
        <fieldset class="inline">
          <legend>The outcome is recorded as</legend>
          <label><input type="radio" name="binomial-mode" checked={!counts} onChange={toColumn} /> one row per trial: 0/1 or two categories</label>
          <label><input type="radio" name="binomial-mode" checked={counts} onChange={toCounts} disabled={numeric.length < 2} /> successes out of trials (counts)</label>
        </fieldset>
      )}
      {counts && r.mode === 'counts' ? (
        <div class="field-row">
          <ColumnSelect id="successes" label="Successes" columns={numeric} value={r.successes} onPick={(c) => edit(withResponse(parts, { ...r, successes: c }))} />
          <ColumnSelect id="trials" label="Trials (out of)" columns={numeric} value={r.trials} onPick={(c) => edit(withResponse(parts, { ...r, trials: c }))} />
        </div>
      ) : (
        <ColumnSelect id="response" label="Dependent variable" columns={columns} value={r.mode === 'column' ? r.column : ''}
          custom={r.mode === 'custom' || r.mode === 'counts' ? parts.responseText : undefined}
          onPick={(c) => edit(withResponse(parts, { mode: 'column', column: c }))} />
      )}
    </fieldset>
  );
}

function ColumnSelect({ id, label, columns, value, custom, onPick }: { id: string; label: string; columns: readonly ColumnInfo[]; value: string; custom?: string; onPick(c: string): void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={custom !== undefined ? '\u0000custom' : value} onChange={(e) => {
        const v = e.currentTarget.value;
        if (v !== '' && v !== '\u0000custom') onPick(v);
      }}>
        {custom !== undefined ? <option value={'\u0000custom'}>{`as in the formula: ${custom}`}</option> : <option value="">choose a column</option>}
        {columns.map((c) => <option value={c.name} key={c.name}>{c.name}</option>)}
      </select>
    </div>
  );
}

function PieceChips({ pieces, label, edit, parts }: { pieces: { p: Piece; i: number }[]; label: string; edit(next: FormulaParts): void; parts: FormulaParts }) {
  if (pieces.length === 0) return null;
  return (
    <div class="chips" role="group" aria-label={label}>
      <span class="chips-label">{label}:</span>
      {pieces.map(({ p, i }) => (
        <span class="chip" key={`${i}-${p.text}`}>
          <code>{p.sign === '-' ? `- ${p.text}` : p.text}</code>
          <button type="button" class="chip-remove" aria-label={`remove ${p.text}`} onClick={() => edit(withoutPiece(parts, i))}>×</button>
        </span>
      ))}
    </div>
  );
}

function Step2({ columns, parts, options, edit }: StepProps) {
  const used = new Set([...responseColumns(parts.response), options.weights]);
  const candidates = columns.filter((c) => !used.has(c.name));
  const mains = parts.pieces.flatMap((p) => (p.kind === 'main' ? [p.column] : []));
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const indexed = parts.pieces.map((p, i) => ({ p, i }));
  const interactions = indexed.filter(({ p }) => p.kind === 'interaction');
  const others = indexed.filter(({ p }) => p.kind === 'other' && !p.text.includes('|'));
  const first = mains.includes(a) ? a : mains[0] ?? '';
  const second = mains.includes(b) && b !== first ? b : mains.find((m) => m !== first) ?? '';
  return (
    <fieldset class="step">
      <legend><span class="step-no" aria-hidden="true">2</span> What do you want the effect of?</legend>
      <p class="hint">The fixed effects: the treatment, the teaching style, the new display, and anything else to adjust for.</p>
      <div class="checklist" role="group" aria-label="Fixed effects">
        {candidates.length === 0 && <p class="note">Load data to choose from its columns.</p>}
        {candidates.map((c) => (
          <label key={c.name}>
            <input type="checkbox" checked={mains.includes(c.name)} onChange={(e) => edit(withMainEffect(parts, c.name, e.currentTarget.checked))} />
            {c.name} <span class="badge">{kindLabel(c, options.factors)}</span>
          </label>
        ))}
      </div>
      {mains.length >= 2 && (
        <div class="field-row interaction">
          <div class="field">
            <label for="ia-a">Interaction of</label>
            <select id="ia-a" value={first} onChange={(e) => setA(e.currentTarget.value)}>
              {mains.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="ia-b">with</label>
            <select id="ia-b" value={second} onChange={(e) => setB(e.currentTarget.value)}>
              {mains.filter((m) => m !== first).map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </div>
          <button type="button" class="secondary" onClick={() => edit(withInteraction(parts, first, second))} disabled={!first || !second}>Add interaction</button>
        </div>
      )}
      <PieceChips pieces={interactions} label="Interactions" edit={edit} parts={parts} />
      <PieceChips pieces={others} label="Other terms from the formula" edit={edit} parts={parts} />
    </fieldset>
  );
}

function Step3({ columns, parts, options, edit }: StepProps) {
  const used = new Set([...responseColumns(parts.response), options.weights]);
  const candidates = columns.filter((c) => !used.has(c.name));
  const randoms = parts.pieces.flatMap((p) => (p.kind === 'random' ? [p] : []));
  const groups = [...new Set(randoms.map((p) => p.group))];
  const others = parts.pieces.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'other' && p.text.includes('|'));
  const slopeCandidates = parts.pieces.flatMap((p) => (p.kind === 'main' && columns.some((c) => c.name === p.column && c.kind === 'numeric' && !options.factors.includes(c.name)) ? [p.column] : []));
  return (
    <fieldset class="step">
      <legend><span class="step-no" aria-hidden="true">3</span> Which groups might behave differently?</legend>
      <p class="hint">The random effects: groups whose members share something you want to allow for, such as users, browsers, professors or archers. Each chosen group gets its own intercept.</p>
      <div class="checklist" role="group" aria-label="Random intercepts: grouping factors">
        {candidates.map((c) => (
          <label key={c.name}>
            <input type="checkbox" checked={groups.includes(c.name)} onChange={(e) => edit(withGroup(parts, c.name, e.currentTarget.checked))} />
            {c.name} <span class="badge">{c.distinct} groups</span>
          </label>
        ))}
      </div>
      <PieceChips pieces={others} label="Other random terms from the formula" edit={edit} parts={parts} />
      {groups.length > 0 && (
        <details class="advanced">
          <summary>Random slopes (advanced)</summary>
          <p class="hint">In most cases random intercepts are enough: random slopes add a lot of complexity and need plenty of data per group. A random slope lets the effect of a numeric predictor differ between groups.</p>
          {slopeCandidates.length === 0 && <p class="note">Add a numeric fixed effect in step 2 to give it a random slope.</p>}
          {slopeCandidates.length > 0 && groups.map((g) => {
            const p = randoms.find((x) => x.group === g)!;
            return (
              <fieldset class="inline" key={g}>
                <legend>Slopes that vary by {g}</legend>
                {slopeCandidates.map((s) => (
                  <label key={s}>
                    <input type="checkbox" checked={p.slopes.includes(s)} onChange={(e) => {
                      const slopes = e.currentTarget.checked ? [...p.slopes, s] : p.slopes.filter((x) => x !== s);
                      edit(withSlopes(parts, g, slopes, p.correlated));
                    }} />
                    {s}
                  </label>
                ))}
                {p.slopes.length > 0 && (
                  <label>
                    <input type="checkbox" checked={p.correlated} onChange={(e) => edit(withSlopes(parts, g, p.slopes, e.currentTarget.checked))} />
                    correlated with the intercept
                  </label>
                )}
              </fieldset>
            );
          })}
        </details>
      )}
    </fieldset>
  );
}
