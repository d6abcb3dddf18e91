/**
 * `mixedmodels table m1.json m2.json ... [--format text|markdown|html]
 * [--labels a,b] [--level p] [--exponentiate]`: saved fits (`fit --save`)
 * side by side, as sjPlot's tab_model (tidy/modelTable.ts, printed by
 * report/modelTableFormat.ts).
 */
import { Option, type Command } from 'commander';
import type { ModelTableFormat } from '../../report/modelTableFormat.js';
import { levelFlag, type CliIO } from '../modelOptions.js';

interface TableFlags {
  format: ModelTableFormat;
  labels?: string;
  level?: string;
  exponentiate?: boolean;
}

export function registerTable(program: Command, io: CliIO): void {
  program
    .command('table')
    .description('saved fits side by side (sjPlot tab_model): estimates with CIs and p, random-effect variances, ICC, R^2, N')
    .argument('<models...>', "fits saved by 'mixedmodels fit ... --save m.json'")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'html']).default('text'))
    .option('--labels <names>', 'comma-separated column labels, one per model (default: the responses)')
    .option('--level <p>', 'confidence level of the intervals (default 0.95)')
    .option('--exponentiate', 'show exp(estimate): odds ratios (logit link) or incidence rate ratios (log link)')
    .action(async (paths: string[], flags: TableFlags) => {
      const level = flags.level === undefined ? undefined : levelFlag(flags.level);
      const labels = flags.labels?.split(',').map((s) => s.trim());
      const [{ loadModel }, { formatModelTable }, { table }] = await Promise.all([
        import('../../io/savedModel.js'), import('../../report/modelTableFormat.js'), import('../../tidy/modelTable.js'),
      ]);
      const t = table(paths.map(loadModel), { labels, level, exponentiate: flags.exponentiate });
      io.stdout(formatModelTable(t, flags.format));
    });
}
