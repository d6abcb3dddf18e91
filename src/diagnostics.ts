/**
 * Diagnostics that travel with a fitted model: every message has a kind, and
 * whether the fit converged is derived from those kinds, never set apart from
 * them (so a fit can not say `converged: true` while a message says it failed).
 *
 * Kinds (lme4 and R's glm emit the same warnings; the kinds sort them):
 * - 'convergence': an optimiser, PIRLS or IRLS stopped without converging, or a
 *   check at the optimum failed (lme4's checkConv: gradient too large, Hessian
 *   not positive definite or not computable); IRLS ended on a boundary value.
 * - 'separation': the maximum-likelihood estimate does not exist (fitted
 *   probabilities or rates numerically 0 or 1: R's glm.fit warning); the
 *   reported estimates are a point on a path along which the fit keeps improving.
 * - 'singular': a boundary (singular) fit: a variance is 0 or a correlation +-1.
 * - 'approximation': the answer rests on an approximation that may be poor.
 * - 'note': anything else (rows collapsed, skipped computations, data remarks).
 *
 * A fit has converged when no diagnostic is a failure ('convergence' or 'separation').
 */
export type DiagnosticKind = 'convergence' | 'separation' | 'singular' | 'approximation' | 'note';

export interface Diagnostic {
  readonly kind: DiagnosticKind;
  readonly message: string;
}

/** The diagnostics of a fit with what is derived from them: the messages (in order) and `converged`. */
export interface Diagnosed {
  readonly diagnostics: readonly Diagnostic[];
  /** The diagnostics' messages, in order. */
  readonly messages: readonly string[];
  /** False when any diagnostic is a failure. */
  readonly converged: boolean;
}

const FAILURES: ReadonlySet<DiagnosticKind> = new Set<DiagnosticKind>(['convergence', 'separation']);

export function diagnostic(kind: DiagnosticKind, message: string): Diagnostic {
  return { kind, message };
}

/** Diagnostics of one kind from messages. */
export function diagnostics(kind: DiagnosticKind, messages: readonly string[]): Diagnostic[] {
  return messages.map((m) => diagnostic(kind, m));
}

export function isFailure(d: Diagnostic): boolean {
  return FAILURES.has(d.kind);
}

/** A fit's failures (not converged, separation) as notes for what is computed from it: `the fit: ...`. */
export function failureNotes(fit: Diagnosed): string[] {
  return fit.diagnostics.filter(isFailure).map((d) => `the fit: ${d.message}`);
}

/** The diagnosed fields of a fit with these diagnostics. */
export function diagnose(ds: readonly Diagnostic[]): Diagnosed {
  return { diagnostics: [...ds], messages: ds.map((d) => d.message), converged: !ds.some(isFailure) };
}

/** A fit with more diagnostics put before its own, its messages and `converged` derived again. */
export function withDiagnostics<T extends Diagnosed>(fit: T, before: readonly Diagnostic[]): T {
  return before.length === 0 ? fit : { ...fit, ...diagnose([...before, ...fit.diagnostics]) };
}
