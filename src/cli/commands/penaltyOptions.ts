/**
 * The flags of a penalised fit (`fit --penalty lasso|ridge|enet`, `plot cv|path`,
 * `evaluate`), apart from the fitting code (penalized.ts) that reads them, so that
 * the command line can list them without loading it. Every flag means something only
 * to a penalised fit, and is refused where none is made rather than ignored (`--offset`,
 * which every fit takes, is a model option: modelOptions.ts).
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';

export interface PenaltyFlags {
  penalty?: 'lasso' | 'ridge' | 'enet';
  alpha?: string;
  lambda?: string;
  nlambda?: string;
  lambdaMinRatio?: string;
  standardize: boolean;
  nfolds?: string;
  seed?: string;
  foldid?: string;
  typeMeasure?: string;
  offset?: string;
  penaltyFactor?: string;
}

export function addPenaltyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--penalty <kind>', 'penalised fit: lasso, ridge or enet (glmnet; with random-effects bars an L1-penalised mixed model)').choices(['lasso', 'ridge', 'enet']))
    .option('--alpha <a>', 'elastic-net mixing in [0, 1] (with --penalty enet; default 0.5)')
    .option('--lambda <values>', 'penalty value(s), comma-separated (default: a path from lambda_max down)')
    .option('--nlambda <n>', 'length of the lambda path (default 100; 20 for mixed models)')
    .option('--lambda-min-ratio <r>', 'smallest lambda as a fraction of lambda_max (default 1e-4, or 0.01 when columns outnumber rows)')
    .option('--no-standardize', 'do not scale the columns to unit variance before penalising')
    .option('--nfolds <k>', 'cross-validation folds (default 10; 0: none)')
    .option('--seed <s>', "random folds as R's set.seed(s) (default 1)")
    .option('--foldid <column>', 'column giving each row its fold (1, 2, ...), instead of random folds')
    .addOption(new Option('--type-measure <m>', 'cross-validation loss').choices(['default', 'mse', 'deviance', 'class', 'auc', 'mae']))
    .option('--penalty-factor <terms>', 'per-term penalty factors, e.g. "x1=0,region=2" (0 leaves a term unpenalised)');
}

/** The flags (keys of PenaltyFlags) that only a penalised fit reads, as they are written; `standardize` is given as --no-standardize. */
const PENALTY_ONLY: readonly [Exclude<keyof PenaltyFlags, 'penalty' | 'offset' | 'standardize'>, string][] = [
  ['alpha', '--alpha'], ['lambda', '--lambda'], ['nlambda', '--nlambda'], ['lambdaMinRatio', '--lambda-min-ratio'],
  ['nfolds', '--nfolds'], ['seed', '--seed'], ['foldid', '--foldid'], ['typeMeasure', '--type-measure'], ['penaltyFactor', '--penalty-factor'],
];

/** The penalty-only flags given (not `--penalty` itself nor `--offset`), as they are written. */
export function penaltyOnlyFlags(flags: PenaltyFlags): string[] {
  const given = PENALTY_ONLY.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
  return flags.standardize === false ? [...given, '--no-standardize'] : given;
}

/** `fit` without --penalty: the first penalty-only flag given is an error, not ignored. */
export function checkUnpenalizedFit(flags: PenaltyFlags): void {
  const [flag] = penaltyOnlyFlags(flags);
  if (flag !== undefined) throw new MixedModelsError(`${flag} applies to penalised fits: add --penalty lasso, ridge or enet`);
}
