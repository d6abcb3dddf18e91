/**
 * The package's version, read from package.json at build time: esbuild inlines
 * the JSON into the CLI bundle and tsc keeps the import, which resolves to the
 * installed package's own package.json, so nothing reads a file for it at run time.
 */
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
