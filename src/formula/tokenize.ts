/**
 * The formula tokenizer: splits formula text into names (plain or
 * backtick-quoted), numbers, quoted strings, `.`, operators, parentheses, commas, `=` (named
 * call arguments) and `~`, each with its [start, end) offsets. Throws
 * FormulaError on characters that have no meaning in a formula.
 */
import { FormulaError } from '../errors.js';

export type TokenKind = 'name' | 'number' | 'string' | 'dot' | 'op' | '(' | ')' | ',' | '=' | '~' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token; for names, the name without backticks; for strings, their value. */
  text: string;
  start: number;
  end: number;
}

/** R's syntactic names in a UTF-8 locale: a letter (any script, `días`) or `.`, then letters, digits, `.` and `_`. */
const NAME = /[\p{L}.][\p{L}\p{M}\p{N}._]*/uy;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const PUNCT = new Set(['(', ')', ',', '~']);
const SIMPLE_OPS = new Set(['+', '-', '*', '/', ':', '^']);

/** Tokens of `text`, always ending with one `eof` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const token = readToken(text, i);
    tokens.push(token);
    i = token.end;
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

function readToken(text: string, i: number): Token {
  const c = text[i];
  if (PUNCT.has(c)) return { kind: c as TokenKind, text: c, start: i, end: i + 1 };
  if (SIMPLE_OPS.has(c)) return { kind: 'op', text: c, start: i, end: i + 1 };
  if (c === '|') return readBar(text, i);
  if (c === '%') return readPercentOp(text, i);
  if (c === '`') return readQuotedName(text, i);
  if (c === '"' || c === "'") return readString(text, i);
  if (c === '=') return readEquals(text, i);
  return readNumber(text, i) ?? readName(text, i) ?? unknownCharacter(text, i);
}

function readBar(text: string, i: number): Token {
  const double = text[i + 1] === '|';
  return { kind: 'op', text: double ? '||' : '|', start: i, end: i + (double ? 2 : 1) };
}

/** `%in%` is the only `%op%` with a formula meaning. */
function readPercentOp(text: string, i: number): Token {
  const close = text.indexOf('%', i + 1);
  if (close < 0) throw new FormulaError("unexpected '%' (did you mean %in%?)", text, i);
  const op = text.slice(i, close + 1);
  if (op !== '%in%') throw new FormulaError(`operator ${op} has no meaning in a formula (only %in% does)`, text, i, close + 1);
  return { kind: 'op', text: op, start: i, end: close + 1 };
}

/** A backtick-quoted name; a backslash escapes the next character. */
function readQuotedName(text: string, i: number): Token {
  let name = '';
  let j = i + 1;
  while (j < text.length && text[j] !== '`') {
    if (text[j] === '\\' && j + 1 < text.length) j++;
    name += text[j];
    j++;
  }
  if (j >= text.length) throw new FormulaError('unclosed backtick-quoted name', text, i, text.length);
  if (name === '') throw new FormulaError('empty backtick-quoted name', text, i, j + 1);
  return { kind: 'name', text: name, start: i, end: j + 1 };
}

/** A string in double or single quotes; a backslash escapes the next character, with R's \n, \t, \r and \0. */
function readString(text: string, i: number): Token {
  const quote = text[i];
  let value = '';
  let j = i + 1;
  while (j < text.length && text[j] !== quote) {
    if (text[j] === '\\' && j + 1 < text.length) {
      j++;
      value += ESCAPES[text[j]] ?? text[j];
    } else value += text[j];
    j++;
  }
  if (j >= text.length) throw new FormulaError('unclosed quoted string', text, i, text.length);
  return { kind: 'string', text: value, start: i, end: j + 1 };
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

function readEquals(text: string, i: number): Token {
  if (text[i + 1] === '=') throw new FormulaError("comparison '==' is not supported in a formula", text, i, i + 2);
  return { kind: '=', text: '=', start: i, end: i + 1 };
}

function readNumber(text: string, i: number): Token | null {
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  if (m === null) return null;
  return { kind: 'number', text: m[0], start: i, end: i + m[0].length };
}

function readName(text: string, i: number): Token | null {
  NAME.lastIndex = i;
  const m = NAME.exec(text);
  if (m === null) return null;
  const kind = m[0] === '.' ? 'dot' : 'name';
  return { kind, text: m[0], start: i, end: i + m[0].length };
}

function unknownCharacter(text: string, i: number): never {
  const c = String.fromCodePoint(text.codePointAt(i) ?? 0);
  throw new FormulaError(`unexpected character '${c}' in formula`, text, i, i + c.length);
}
