/** The shapes of the page's working state that panels display. */
import type { ModelOptions } from '../model/options.js';

/** Where the current fit stands. */
export interface RunState {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  stage: string;
  started: number;
  /** Seconds from Fit to the result, when done. */
  seconds: number | null;
  error: string | null;
}

/** A fit on show: what it was fitted from, and its JSON. */
export interface Shown {
  formula: string;
  options: ModelOptions;
  dataName: string;
  json: string;
}
