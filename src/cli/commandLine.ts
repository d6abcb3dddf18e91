/** The command line as a user would type it again in a POSIX shell: words with other than safe characters single-quoted. */
export function commandLine(argv: readonly string[]): string {
  return ['mixedmodels', ...argv].map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
