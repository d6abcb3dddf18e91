/**
 * A family as R names it in printed summaries: MASS's negative.binomial(theta)
 * is `Negative Binomial(2.0522)`, theta by format(round(theta, 4)); the other
 * families by their name.
 */
import { formatReal, roundR } from './r/formatReal.js';

export function familyLabel(family: string, nbTheta?: number): string {
  if (nbTheta === undefined) return family;
  return `Negative Binomial(${formatReal([roundR(nbTheta, 4)])[0]})`;
}
