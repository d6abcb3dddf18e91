// meansTable / contrastsTable / formatEmmeans against emmeans 1.8.4's printout (R 4.2.2), e.g.
//   m <- lmer(angle ~ recipe * temperature + (1 | recipe:replicate), cake); e <- emmeans(m, "recipe"); e; pairs(e)
// (trailing blanks of R's annotation lines removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, lmer } from '../../src/api/fit.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { contrast, pairs } from '../../src/inference/emmeans/contrast.js';
import { emmeans } from '../../src/inference/emmeans/emmeans.js';
import { contrastsTable, emmeansJson, formatEmmeans, meansTable } from '../../src/report/emmeansTable.js';
import { dataFile } from '../cli/helpers.js';

const cake = lmer('angle ~ recipe * temperature + (1 | recipe:replicate)', readCsvFile(dataFile('cake')), { factors: ['replicate', 'temperature'] });
const lines = (...l: string[]) => l.join('\n') + '\n';

test('meansTable(emmeans(cake, "recipe")) and contrastsTable(pairs(...)) print as emmeans', () => {
  const e = emmeans(cake, 'recipe');
  assert.equal(meansTable(e), lines(
    ' recipe emmean   SE df lower.CL upper.CL',
    ' A        33.1 1.74 42     29.6     36.6',
    ' B        31.6 1.74 42     28.1     35.1',
    ' C        31.6 1.74 42     28.1     35.1',
    '',
    'Results are averaged over the levels of: temperature',
    'Degrees-of-freedom method: kenward-roger',
    'Confidence level used: 0.95'));
  assert.equal(contrastsTable(pairs(e)), lines(
    ' contrast estimate   SE df t.ratio p.value',
    ' A - B      1.4778 2.46 42   0.602  0.8200',
    ' A - C      1.5222 2.46 42   0.620  0.8102',
    ' B - C      0.0444 2.46 42   0.018  0.9998',
    '',
    'Results are averaged over the levels of: temperature',
    'Degrees-of-freedom method: kenward-roger',
    'P value adjustment: tukey method for comparing a family of 3 estimates'));
});

test('contrastsTable prints by groups, trt.vs.ctrl, eff and custom contrasts as emmeans', () => {
  const by = contrastsTable(pairs(emmeans(cake, 'recipe', { by: 'temperature' })));
  assert.ok(by.startsWith(lines(
    'temperature = 175:',
    ' contrast estimate   SE   df t.ratio p.value',
    ' A - B      2.2667 2.88 77.4   0.786  0.7125',
    ' A - C      1.2000 2.88 77.4   0.416  0.9090',
    ' B - C     -1.0667 2.88 77.4  -0.370  0.9274',
    '',
    'temperature = 185:')), by);
  const e = emmeans(cake, 'recipe');
  assert.equal(contrastsTable(contrast(e, 'trt.vs.ctrl')), lines(
    ' contrast estimate   SE df t.ratio p.value',
    ' B - A       -1.48 2.46 42  -0.602  0.7636',
    ' C - A       -1.52 2.46 42  -0.620  0.7525',
    '',
    'Results are averaged over the levels of: temperature',
    'Degrees-of-freedom method: kenward-roger',
    'P value adjustment: dunnettx method for 2 tests'));
  assert.equal(contrastsTable(contrast(e, 'eff')).split('\n').slice(0, 4).join('\n'), [
    ' contrast estimate   SE df t.ratio p.value',
    ' A effect    1.000 1.42 42   0.705  0.7379',
    ' B effect   -0.478 1.42 42  -0.337  0.7379',
    ' C effect   -0.522 1.42 42  -0.368  0.7379'].join('\n'));
  assert.equal(contrastsTable(contrast(e, { AvsBC: [1, -0.5, -0.5], Aonly: [1, 0, 0] })), lines(
    ' contrast estimate   SE df t.ratio p.value',
    ' AvsBC         1.5 2.13 42   0.705  0.4846',
    ' Aonly        33.1 1.74 42  19.070  <.0001',
    '',
    'Results are averaged over the levels of: temperature',
    'Degrees-of-freedom method: kenward-roger'));
});

test('meansTable and contrastsTable on the response scale print probabilities and odds ratios as emmeans', () => {
  // glm(cbind(incidence, size - incidence) ~ factor(period), binomial, cbpp): emmeans(g, "period", type = "response")
  const g = glm('cbind(incidence, size - incidence) ~ factor(period)', readCsvFile(dataFile('cbpp')), { family: 'binomial' });
  const e = emmeans(g, 'period', { type: 'response' });
  assert.equal(meansTable(e), lines(
    ' period   prob     SE  df asymp.LCL asymp.UCL',
    '      1 0.2194 0.0248 Inf    0.1746    0.2719',
    '      2 0.0802 0.0187 Inf    0.0504    0.1252',
    '      3 0.0711 0.0183 Inf    0.0425    0.1164',
    '      4 0.0452 0.0167 Inf    0.0217    0.0917',
    '',
    'Confidence level used: 0.95',
    'Intervals are back-transformed from the logit scale'));
  assert.equal(contrastsTable(pairs(e)).split('\n').slice(0, 3).join('\n'), [
    ' contrast          odds.ratio    SE  df null z.ratio p.value',
    ' period1 / period2       3.22 0.940 Inf    1   4.017  0.0003',
    ' period1 / period3       3.67 1.150 Inf    1   4.159  0.0002'].join('\n'));
});

test('formatEmmeans(e, c, format) puts the two tables under $emmeans and $contrasts, or in JSON', () => {
  const e = emmeans(cake, 'recipe');
  const c = pairs(e);
  const text = formatEmmeans(e, c, 'text');
  assert.ok(text.startsWith('$emmeans\n recipe emmean'));
  assert.ok(text.includes('\n$contrasts\n contrast estimate'));
  assert.ok(text.endsWith('NOTE: Results may be misleading due to involvement in interactions\n'));
  assert.match(formatEmmeans(e, c, 'markdown'), /\| recipe \| emmean \| SE \| df \| lower\.CL \| upper\.CL \|/);
  const json = emmeansJson(e, c) as any;
  assert.deepEqual(Object.keys(json.emmeans[0]), ['recipe', 'estimate', 'stdError', 'df', 'lower', 'upper']);
  assert.deepEqual(Object.keys(json.contrasts[0]), ['contrast', 'estimate', 'stdError', 'df', 'statistic', 'pValue']);
  assert.equal(json.adjust, 'tukey');
  assert.equal(JSON.parse(formatEmmeans(e, null, 'json')).contrasts.length, 0);
});
