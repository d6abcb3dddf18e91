/**
 * Passwords out of what is shown: every URL's `user:password@` becomes `user@`
 * (the form connect() names its sources by), wherever the URL stands in the
 * text (a Data: line, a report's command line, an error that quotes the data
 * argument). Only the userinfo of a scheme://... URL is touched, so numbers
 * and labels around it are never changed.
 */
const USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:@/?#'"`]*):[^\s@/?#'"`]*@/g;

export function hideUrlPasswords(text: string): string {
  return text.includes('://') ? text.replace(USERINFO, '$1$2@') : text;
}
