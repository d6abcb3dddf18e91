/**
 * The flags of `fit --tidy <table>` and their checks, apart from the code that
 * builds the tables (tidy.ts), so that the command line can list them without loading it.
 *
 * (`--table` already names a database table for every data command, hence `--tidy`.)
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';

export const TIDY_TABLES = ['fixed', 'ranef', 'varcorr', 'glance', 'augment'] as const;
export type TidyTable = (typeof TIDY_TABLES)[number];

export interface TidyFlags {
  tidy?: TidyTable;
  confInt?: boolean;
  level?: string;
  format: string;
}

export function addTidyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--tidy <table>', 'print one tidy table (broom.mixed columns) instead of the summary: fixed, ranef (conditional modes), varcorr (sd and correlations), glance, augment').choices([...TIDY_TABLES]))
    .option('--conf-int', 'with --tidy fixed or ranef: add conf.low and conf.high (Wald; a GLM\'s: profile, as broom)')
    .option('--level <p>', 'with --conf-int: their coverage (default 0.95)');
}

/** The format and table flags checked together, before any work. */
export function checkTidyFlags(flags: TidyFlags & { penalty?: string }): void {
  if (flags.tidy === undefined) {
    if (flags.format === 'csv') throw new MixedModelsError('--format csv prints a tidy table: add --tidy fixed, ranef, varcorr, glance or augment');
    if (flags.confInt || flags.level !== undefined) throw new MixedModelsError('--conf-int and --level go with --tidy fixed or ranef');
    return;
  }
  if (flags.penalty !== undefined) throw new MixedModelsError('--tidy is not available for penalised fits (--penalty)');
  if (flags.level !== undefined && !flags.confInt) throw new MixedModelsError('--level sets the coverage of --conf-int: add --conf-int');
}
