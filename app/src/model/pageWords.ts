/**
 * The library's messages in the page's words: the advice it gives for the command line and the
 * library (`--factor x`, `factors: ['x']`) is the data preview's type switch on this page.
 */
export function pageWords(message: string): string {
  return message.replace(/treat the column as categorical with --factor (.+?) \(library: factors: \['.*?'\]\)/g, "make '$1' categorical with its type switch in the data preview");
}
