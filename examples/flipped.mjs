// The flipped classroom (the material's lecture): 15 professors, 25 students each, three teaching styles
// assigned to professors. Students of one class share their professor, so they are not independent:
// a linear model overstates the evidence; with professors as a fixed factor style cannot be told apart
// from the professors who taught it (style is constant within a professor); a random intercept per
// professor keeps the style effect and counts the evidence in professors.
//
//   node examples/flipped.mjs
import { readFileSync } from 'node:fs';
import { lm, lmer, parseCsv } from 'mixedmodels';

const data = parseCsv(readFileSync(new URL('flipped.csv', import.meta.url)));
const show = (c) => `  ${c.term.padEnd(18)} ${c.estimate.toFixed(2).padStart(7)}  SE ${c.stdError.toFixed(2).padStart(5)}  df ${c.df === null ? '  -  ' : c.df.toFixed(1).padStart(5)}  p ${c.pValue.toExponential(2)}`;

console.log('lm(score ~ style): 375 students treated as independent');
const m0 = lm('score ~ style', data);
for (const c of m0.fit.coefficients) console.log(show(c));

console.log('\nlm(score ~ style + professor): style and professor cannot be told apart');
const m1 = lm('score ~ style + professor', data, { factors: ['professor'] });
console.log(`  not defined because of singularities: ${m1.fit.aliased.join(', ')}; the style "effects" compare three particular professors:`);
for (const c of m1.fit.coefficients.filter((c) => c.term.startsWith('style'))) console.log(show(c));

console.log('\nlmer(score ~ style + (1 | professor)): professors as random effects');
const m2 = lmer('score ~ style + (1 | professor)', data, { factors: ['professor'] });
for (const c of m2.coefficients) console.log(show(c));
const prof = m2.fit.varCorr.terms[0].sd[0];
console.log(`  sd between professors ${prof.toFixed(2)}, between students ${m2.fit.sigma.toFixed(2)}; ICC ${m2.fit.icc.adjusted.toFixed(3)}`);
console.log('  The style effects keep their estimates but their SEs and df reflect 15 professors, not 375 students.');
