/**
 * R's abbreviate(names, minlength) (method "left.kept", use.classes = TRUE;
 * base R's R wrapper and stripchars() in src/main/character.c), which lme4
 * uses for the labels of its correlation table.
 *
 * A name longer than minlength loses characters, scanning from its end and
 * never its first character, until it is no longer than minlength (spaces not
 * counted until the end, where they are removed): first lower-case vowels that
 * end a word, then lower-case vowels not starting a word, then lower-case
 * letters ending a word, then lower-case letters not starting a word, then any
 * character not starting a word. Duplicated abbreviations are redone with
 * minlength + 1 until all differ.
 */

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isVowel = (c: string): boolean => 'aeiou'.includes(c);
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';

/** One name's abbreviation (the C routine stripchars). */
function stripChars(name: string, minlen: number): string {
  let s = [...name];
  if (s.length <= minlen) return name;
  let nspace = 0;
  const done = () => s.length - nspace <= minlen;
  const firstChar = (i: number) => isSpace(s[i - 1]);
  const lastChar = (i: number) => !isSpace(s[i - 1]) && (i + 1 >= s.length || isSpace(s[i + 1]));
  const finish = () => {
    if (s.length > minlen) s = [s[0], ...s.slice(1).filter((c) => !isSpace(c))];
    return s.join('');
  };
  let trailing = true;
  for (let i = s.length - 1; i > 0; i--) {
    if (isSpace(s[i])) {
      if (trailing) s = s.slice(0, i);
      else nspace++;
    } else trailing = false;
    if (done()) return finish();
  }
  const passes: ((i: number) => boolean)[] = [
    (i) => isVowel(s[i]) && lastChar(i),
    (i) => isVowel(s[i]) && !firstChar(i),
    (i) => isLower(s[i]) && lastChar(i),
    (i) => isLower(s[i]) && !firstChar(i),
    (i) => !firstChar(i) && !isSpace(s[i]),
  ];
  for (const drop of passes) {
    for (let i = s.length - 1; i > 0; i--) {
      if (i < s.length && drop(i)) s.splice(i, 1);
      if (done()) return finish();
    }
  }
  return finish();
}

/** abbreviate(names, minlength): unique abbreviations, in the order of `names`. */
export function abbreviate(names: readonly string[], minlength: number): string[] {
  const trimmed = names.map((n) => n.replace(/^ +/, '').replace(/ +$/, ''));
  const unique = [...new Set(trimmed)];
  const out = unique.slice();
  let redo = unique.map(() => true);
  for (let len = minlength; ; len++) {
    unique.forEach((n, i) => {
      if (redo[i]) out[i] = stripChars(n, len);
    });
    const dup = duplicatedFlags(out);
    if (!dup.some(Boolean)) break;
    const dupValues = new Set(out.filter((_, i) => dup[i]));
    redo = out.map((a, i) => dup[i] || dupValues.has(a));
  }
  return trimmed.map((n) => out[unique.indexOf(n)]);
}

function duplicatedFlags(xs: readonly string[]): boolean[] {
  const seen = new Set<string>();
  return xs.map((x) => {
    const d = seen.has(x);
    seen.add(x);
    return d;
  });
}
