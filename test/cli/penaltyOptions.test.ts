// The options only a penalised fit reads are refused where no penalised fit is made (one line, exit 1),
// never accepted and ignored: fit without --penalty, the model plots, a penalised mixed model's
// cross-validation flags, and evaluate without a penalised method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { penaltyOnlyFlags } from '../../src/cli/commands/penaltyOptions.js';
import { csvWriter, dataFile, fitFails, runCli } from './helpers.js';

const SLEEP = [dataFile('sleepstudy'), 'Reaction ~ Days + (1 | Subject)'];
/** Each penalty-only option with a value a penalised fit would take, and with one it would refuse. */
const PENALTY_ONLY: [string, string[], string[]][] = [
  ['--alpha', ['0.5'], ['7']],
  ['--lambda', ['0.1'], ['x']],
  ['--nlambda', ['10'], ['x']],
  ['--lambda-min-ratio', ['0.01'], ['9']],
  ['--no-standardize', [], []],
  ['--nfolds', ['5'], ['-1']],
  ['--seed', ['1'], ['x']],
  ['--foldid', ['Subject'], ['nope']],
  ['--type-measure', ['mse'], ['auc']],
  ['--penalty-factor', ['Days=0'], ['zz']],
];

async function fails(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

test('penaltyOnlyFlags(flags) lists the penalty-only flags given, as written, and neither --penalty nor --offset', () => {
  assert.deepEqual(penaltyOnlyFlags({ standardize: true }), []);
  assert.deepEqual(penaltyOnlyFlags({ standardize: true, penalty: 'lasso', offset: 'e' }), []);
  assert.deepEqual(penaltyOnlyFlags({ standardize: false, alpha: '1', lambdaMinRatio: '0.1', typeMeasure: 'mse' }), ['--alpha', '--lambda-min-ratio', '--type-measure', '--no-standardize']);
});

test('mixedmodels fit without --penalty refuses each penalty-only option, valid value or not', async () => {
  for (const [flag, good, bad] of PENALTY_ONLY) {
    for (const value of [good, bad]) {
      await fitFails([...SLEEP, flag, ...value], new RegExp(`^error: ${flag} applies to penalised fits: add --penalty lasso, ridge or enet\\n$`));
    }
  }
  await fitFails([dataFile('sleepstudy'), 'Reaction ~ Days', '--alpha', '0.5'], /^error: --alpha applies to penalised fits/);
});

test('mixedmodels plot caterpillar refuses --penalty and the penalty-only options, which only the cv and path plots read', async () => {
  const out = join(csvWriter('mm-penflags-')('x.csv', 'a', 1, () => '1').replace(/x\.csv$/, ''), 'p.json');
  await fails(['plot', 'caterpillar', ...SLEEP, '--penalty', 'lasso', '--out', out], /^error: --penalty applies to the cv and path plots \(a penalised fit\), not to the caterpillar plot\n$/);
  for (const [flag, good] of PENALTY_ONLY) {
    await fails(['plot', 'caterpillar', ...SLEEP, flag, ...good, '--out', out], new RegExp(`^error: ${flag} applies to the cv and path plots`));
  }
});

test('mixedmodels fit "<formula with bars>" --penalty lasso refuses --seed and --penalty-factor values other than 0 and 1', async () => {
  await fitFails([...SLEEP, '--penalty', 'lasso', '--seed', '3'], /^error: --seed applies to models without random effects; a penalised mixed model chooses lambda by BIC\n$/);
  await fitFails([...SLEEP, '--penalty', 'lasso', '--penalty-factor', 'Days=2'], /^error: a penalised mixed model takes --penalty-factor term=0 \(unpenalised\) or term=1 \(the default\), not Days=2\n$/);
});

test('mixedmodels evaluate refuses --alpha without enet, and --s, --folds, --foldid, --seed with --newdata and no penalised method', async () => {
  const base = ['evaluate', dataFile('flipped'), 'score ~ style + (1 | professor)', '--factor', 'professor'];
  const newdata = ['--newdata', dataFile('flipped')];
  await fails([...base, '--methods', 'lmm,lasso', '--alpha', '0.3'], /^error: --alpha is the mixing of the enet method: add enet to --methods\n$/);
  await fails([...base, '--methods', 'lmm,lm', '--s', 'min'], /^error: --s applies to the penalised methods \(lasso, ridge, enet\): add one to --methods\n$/);
  for (const flag of [['--folds', '3'], ['--foldid', 'professor'], ['--seed', '2']]) {
    await fails([...base, '--methods', 'lmm,lm', ...newdata, ...flag], new RegExp(`^error: ${flag[0]} applies to the penalised methods \\(lasso, ridge, enet\\) when scoring on --newdata`));
  }
});

test('mixedmodels fit --penalty refuses the options of fit it does not read (REML, df, reference levels, contrasts, pushdown...)', async () => {
  const LM = [dataFile('sleepstudy'), 'Reaction ~ Days'];
  for (const [args, flag] of [
    [[...LM, '--penalty', 'ridge', '--reml'], '--reml'],
    [[...LM, '--penalty', 'ridge', '--ml'], '--ml'],
    [[...LM, '--penalty', 'lasso', '--nagq', '2'], '--nagq'],
    [[...LM, '--penalty', 'ridge', '--ref', 'Subject=308', '--factor', 'Subject'], '--ref'],
    [[...LM, '--penalty', 'ridge', '--contrasts', 'sum'], '--contrasts'],
    [[...LM, '--penalty', 'ridge', '--ddf', 'none'], '--ddf'],
    [[...LM, '--penalty', 'ridge', '--pushdown', 'off'], '--pushdown'],
    [[...SLEEP, '--penalty', 'lasso', '--reml'], '--reml'],
  ] as const) {
    const r = await runCli(['fit', ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout.slice(0, 80)}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`error: ${flag} does not apply to penalised fits (--penalty)`), r.stderr);
  }
  // What a penalised mixed model does use: ML (said in its title) and quadrature.
  const ml = await runCli(['fit', ...SLEEP, '--penalty', 'lasso', '--ml', '--lambda', '0']);
  assert.equal(ml.code, 0, ml.stderr);
});

test('mixedmodels fit data.parquet --penalty reads the file through DuckDB like every other fit (it said to save it as CSV)', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { toParquet } = await import('../sources/servers.js');
  const dir = mkdtempSync(join(tmpdir(), 'mm-penalty-parquet-'));
  try {
    const parquet = join(dir, 'sleepstudy.parquet');
    await toParquet(dataFile('sleepstudy'), parquet);
    for (const [formula, penalty] of [['Reaction ~ Days', 'ridge'], ['Reaction ~ Days + (1 | Subject)', 'lasso']]) {
      const fromParquet = await runCli(['fit', parquet, formula, '--penalty', penalty, '--format', 'json', '--lambda', '1']);
      const fromCsv = await runCli(['fit', dataFile('sleepstudy'), formula, '--penalty', penalty, '--format', 'json', '--lambda', '1']);
      assert.equal(fromParquet.code, 0, fromParquet.stderr);
      assert.deepEqual(JSON.parse(fromParquet.stdout).coefficients, JSON.parse(fromCsv.stdout).coefficients);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mixedmodels fit --penalty refuses the cross-validation options without cross-validation (one lambda, or --nfolds 0)', async () => {
  const one = [dataFile('sleepstudy'), 'Reaction ~ Days', '--penalty', 'lasso', '--lambda', '0.1'];
  await fitFails([...one, '--nfolds', '5'], /^error: --nfolds needs cross-validation: give two or more lambdas\n$/);
  await fitFails([...one, '--type-measure', 'mse'], /^error: --type-measure needs cross-validation: give two or more lambdas\n$/);
  await fitFails([...one, '--seed', '2'], /^error: --seed needs cross-validation/);
  await fitFails([dataFile('sleepstudy'), 'Reaction ~ Days', '--penalty', 'lasso', '--nfolds', '0', '--type-measure', 'mse'], /^error: --type-measure needs cross-validation: give two or more lambdas and no --nfolds 0\n$/);
  const r = await runCli(['fit', ...one]);
  assert.equal(r.code, 0, r.stderr);
});

test('mixedmodels fit --penalty names the fold whose training rows cannot be fitted', async () => {
  // 30 rows, one success, in fold 2: the fit without fold 2 has only failures.
  const csv = csvWriter('mm-fold-')('rare.csv', 'y,x,fold', 30, (i) => `${i === 4 ? 1 : 0},${(i * 7) % 11},${(i % 3) + 1}`);
  const r = await runCli(['fit', csv, 'y ~ x', '--penalty', 'lasso', '--family', 'binomial', '--foldid', 'fold']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: cross-validation: the fit without fold 2's rows fails: the binomial response has only failures: there is nothing to fit\n$/);
});
