export { dnorm, pnorm, pnormUpper, pnormTwoSided, qnorm } from './normal.js';
export { pt, ptUpper, ptTwoSided, qt } from './t.js';
export { pfUpper, qf } from './f.js';
export { pchisqUpper, qchisq } from './chisq.js';
