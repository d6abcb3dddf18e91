/**
 * The formula's error as you type: syntax at once on the page (the library's
 * parser, so the caret message is the CLI's), then, shortly after typing stops,
 * the checks that need the data (unknown columns and the like) in the worker.
 */
import { useEffect, useState } from 'preact/hooks';
import { formulaParts } from '../model/formulaParts.js';
import { fitOptions, type ModelOptions } from '../model/options.js';
import type { FitClient } from '../worker/client.js';
import type { DataPreview } from '../worker/protocol.js';

const CHECK_DELAY_MS = 250;

export function useFormulaCheck(client: FitClient, formula: string, options: ModelOptions, preview: DataPreview | null): string | null {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (formula.trim() === '') {
      setError(null);
      return;
    }
    try {
      formulaParts(formula);
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    if (!preview) {
      setError(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      client.check(formula, fitOptions(options)).then((e) => !stale && setError(e), () => undefined);
    }, CHECK_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [formula, options, preview]);
  return error;
}
