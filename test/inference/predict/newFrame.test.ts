// The fit's terms on new rows: values that cannot be predicted are refused as when fitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer } from '../../../src/api/fit.js';
import { MixedModelsError } from '../../../src/errors.js';
import { predict } from '../../../src/inference/predict/predict.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile } from '../../cli/helpers.js';

test('newFrame(...) refuses infinite and undefined values in newdata, as fitting does, instead of predicting null', () => {
  const m = lmer('Reaction ~ log(Days + 1) + (1 | Subject)', readCsvFile(dataFile('sleepstudy')), { factors: ['Subject'] });
  assert.throws(() => predict(m, { Days: [1, Infinity], Subject: ['308', '308'] }), (e: Error) => e instanceof MixedModelsError && /^newdata: column 'Days' is Inf in row 2: infinite values cannot be fitted/.test(e.message));
  assert.throws(() => predict(m, { Days: [1, -3], Subject: ['308', '308'] }), (e: Error) => e instanceof MixedModelsError && /^newdata: 'log\(Days \+ 1\)' is not defined \(NaN\) in row 2 \(where Days = -3\): .*R would predict NA there/.test(e.message));
  const p = predict(m, { Days: [1, null], Subject: ['308', '308'] });
  assert.ok(Number.isFinite(p.fit[0]) && Number.isNaN(p.fit[1]), 'a missing value still gives a missing prediction');
});
