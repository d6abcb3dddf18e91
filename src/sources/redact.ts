/**
 * Passwords out of what is shown: a URL's `user:password@` becomes `user@`
 * (the form connect() names its sources by).
 *
 * - `hideUrlPassword(arg)`: one argument that is a URL (the data argument, each
 *   word of a report's command line, before it is quoted for the shell): the
 *   authority runs from `//` to the first `/`, `?` or `#`, its userinfo to the
 *   last `@` in it, the password from the userinfo's first `:`, as Node's URL
 *   parser reads them, so a password with quotes, spaces or `@` goes whole.
 * - `hideUrlPasswords(text)`: wherever a URL stands in free text (an error that
 *   quotes the data argument): the password runs to the last `@` before a
 *   space, `/`, `?` or `#`. Only the userinfo of a scheme://... URL is touched,
 *   so numbers and labels around it are never changed.
 */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:@/?#'"`]*):[^\s/?#]*@/g;

export function hideUrlPassword(arg: string): string {
  const scheme = SCHEME.exec(arg);
  if (scheme === null) return hideUrlPasswords(arg);
  const start = scheme[0].length;
  const rest = arg.slice(start);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at < 0) return arg;
  const colon = authority.indexOf(':');
  if (colon < 0 || colon > at) return arg;
  return arg.slice(0, start) + authority.slice(0, colon) + authority.slice(at) + rest.slice(authority.length);
}

export function hideUrlPasswords(text: string): string {
  return text.includes('://') ? text.replace(USERINFO, '$1$2@') : text;
}
