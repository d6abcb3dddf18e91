/** Mirrors the data choice, formula and options into the URL (history.replaceState), so a link reproduces them. */
import { useEffect } from 'preact/hooks';
import { encodeState, type UrlState } from '../model/urlState.js';

export function useUrlSync(state: UrlState): void {
  useEffect(() => {
    const search = encodeState(state);
    history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  }, [state.example, state.file, state.formula, state.options]);
}
