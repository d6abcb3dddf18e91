/**
 * The page's state in its URL, so that a link reproduces a model: the example
 * (or the name of the user's file, which the link cannot carry), the formula
 * and the options. Everything read from a URL is untrusted: unknown values
 * fall back to the defaults, and the formula is only text for the box.
 *
 *   ?example=sleepstudy&formula=Reaction+~+Days+%2B+(Days+%7C+Subject)&factor=Subject
 *   &family=binomial&link=probit&ml=1&nagq=10&weights=w
 */
import { exampleById } from './examples.js';
import { LINKS, defaultOptions, isFamily, type ModelOptions } from './options.js';

export interface UrlState {
  example: string | null;
  /** The user's file name, when the state was made with one (the data itself is not in the link). */
  file: string | null;
  formula: string;
  options: ModelOptions;
}

const MAX_TEXT = 2000;
const MAX_NAGQ = 25;

function text(v: string | null): string {
  return (v ?? '').slice(0, MAX_TEXT);
}

export function encodeState(s: UrlState): string {
  const q = new URLSearchParams();
  if (s.example) q.set('example', s.example);
  else if (s.file) q.set('file', s.file);
  if (s.formula) q.set('formula', s.formula);
  const o = s.options;
  if (o.factors.length) q.set('factor', o.factors.join(','));
  if (o.family !== 'gaussian') q.set('family', o.family);
  if (o.link) q.set('link', o.link);
  if (!o.reml) q.set('ml', '1');
  if (o.nagq !== 1) q.set('nagq', String(o.nagq));
  if (o.weights) q.set('weights', o.weights);
  const out = q.toString();
  return out ? `?${out}` : '';
}

export function decodeState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const o = defaultOptions();
  const family = q.get('family');
  if (family !== null && isFamily(family)) o.family = family;
  const link = q.get('link');
  if (link !== null && LINKS[o.family].includes(link)) o.link = link;
  o.reml = q.get('ml') !== '1';
  const nagq = Number(q.get('nagq'));
  if (q.has('nagq') && Number.isInteger(nagq) && nagq >= 0 && nagq <= MAX_NAGQ) o.nagq = nagq;
  o.factors = text(q.get('factor')).split(',').map((x) => x.trim()).filter(Boolean);
  o.weights = text(q.get('weights'));
  const example = q.get('example');
  return {
    example: example !== null && exampleById(example) ? example : null,
    file: q.has('file') ? text(q.get('file')) : null,
    formula: text(q.get('formula')),
    options: o,
  };
}
