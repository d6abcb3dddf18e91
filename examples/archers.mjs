// The archers (the material's first story): does a Southwood bow shoot shorter than a Northwood one?
// Three archers: a linear model without and with the archers; fifty archers: archers as random effects,
// their conditional modes as skill scores, and profile confidence intervals.
//
//   node examples/archers.mjs
import { readFileSync } from 'node:fs';
import { confint, lm, lmer, parseCsv } from 'mixedmodels';

const here = new URL('.', import.meta.url);
const read = (name) => parseCsv(readFileSync(new URL(name, here)));
const row = (c) => `  ${c.term.padEnd(22)} ${c.estimate.toFixed(2).padStart(9)}  SE ${c.stdError.toFixed(2).padStart(6)}  p ${c.pValue.toExponential(2)}`;

const three = read('archers3.csv');
console.log('Three archers, 10 shots with each bow');
const naive = lm('distance ~ bow', three);
console.log('lm(distance ~ bow): the bow effect hides in the archers\' differences');
console.log(row(naive.fit.coefficients[1]));
const adjusted = lm('distance ~ bow + archer', three);
console.log('lm(distance ~ bow + archer): with the archers in the model the same effect is clear');
for (const c of adjusted.fit.coefficients) console.log(row(c));

const fifty = read('archers50.csv');
console.log('\nFifty archers: archers as random draws from the population of archers');
const m = lmer('distance ~ bow + (1 | archer)', fifty);
for (const c of m.coefficients) console.log(row(c));
const [archerSd] = m.fit.varCorr.terms[0].sd;
console.log(`  sd of archer skill ${archerSd.toFixed(2)} m, shot-to-shot sd ${m.fit.sigma.toFixed(2)} m`);

const skill = Object.entries(m.fit.ranefTable.archer['(Intercept)']).sort((a, b) => b[1] - a[1]);
console.log('\nSkill scores (conditional modes, metres above the average archer):');
for (const [name, v] of [...skill.slice(0, 3), ...skill.slice(-3)]) console.log(`  ${name.padEnd(10)} ${v >= 0 ? '+' : ''}${v.toFixed(1)}`);

console.log('\n95% profile confidence intervals:');
for (const ci of confint(m, { method: 'profile' })) console.log(`  ${ci.parameter.padEnd(22)} [${ci.lower.toFixed(2)}, ${ci.upper.toFixed(2)}]`);
