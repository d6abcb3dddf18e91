/** A box that scrolls sideways when its table is wider than the screen: focusable, so keyboard users can scroll it too. */
import type { ComponentChildren } from 'preact';

export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>{children}</div>;
}
