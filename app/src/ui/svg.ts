/**
 * The library's SVG text (Vega's renderer) as a DOM node for the page. The text
 * holds labels from the user's data, so it is parsed as XML (which never runs
 * scripts) and only drawing elements and attributes are kept; ids are made
 * unique per figure (the report's `inlineSvg`), so clip paths of different plots
 * cannot collide in one document.
 */
import { inlineSvg } from '../../../src/report/html.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'line', 'circle', 'ellipse', 'polygon', 'polyline', 'text', 'tspan', 'title', 'desc', 'defs', 'clipPath', 'linearGradient', 'radialGradient', 'stop', 'pattern', 'mask', 'symbol', 'use']);

function clean(el: Element): void {
  for (const child of [...el.children]) {
    if (child.namespaceURI !== SVG_NS || !ELEMENTS.has(child.localName)) child.remove();
    else clean(child);
  }
  for (const attr of [...el.attributes]) {
    const name = attr.name.toLowerCase();
    const value = attr.value.trim().toLowerCase();
    if (name.startsWith('on') || ((name === 'href' || name === 'xlink:href') && !value.startsWith('#')) || value.startsWith('javascript:')) el.removeAttribute(attr.name);
  }
}

/** Vega's per-mark ARIA roles and labels: the figure is one image to assistive technology, named by the page. */
function flatten(root: Element): void {
  for (const el of root.querySelectorAll('[role], [aria-label], [aria-roledescription]')) {
    el.removeAttribute('role');
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-roledescription');
  }
}

/** The figure as a sanitized `<svg>` element labelled `label` (an image to assistive technology). */
export function svgElement(svg: string, idPrefix: string, label: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(inlineSvg(svg, idPrefix), 'image/svg+xml');
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg') return null;
  clean(root);
  flatten(root);
  root.setAttribute('role', 'img');
  root.setAttribute('aria-label', label);
  root.removeAttribute('aria-roledescription');
  return document.importNode(root, true) as unknown as SVGSVGElement;
}
