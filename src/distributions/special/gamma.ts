/**
 * The gamma function Gamma(x) for x > 0, computed as R's gammafn (W. Fullerton's
 * SLATEC dgamma):
 *
 *   0 < x <= 10:  with n = floor(x) and y = x - n in [0, 1),
 *                 Gamma(1 + y) = 0.9375 + sum_k' g_k T_k(2y - 1)
 *                 (22 terms of SLATEC's gamcs series, enough for double precision),
 *                 then Gamma(x) = Gamma(1 + y) / x for x < 1 and
 *                 Gamma(x) = Gamma(1 + y) (y + 1)(y + 2)...(y + n - 1) for x >= 2;
 *   x > 10:       exp(log(sqrt(2 pi)) + (x - 1/2) log x - x + delta(x)) (stirling.ts),
 *                 Infinity beyond x = 171.61.
 */
import { chebyshev } from './chebyshev.js';
import { stirlingRemainder } from './stirling.js';

const GAMCS = [
  0.8571195590989331421920062399942e-2, 0.4415381324841006757191315771652e-2, 0.5685043681599363378632664588789e-1,
  -0.4219835396418560501012500186624e-2, 0.1326808181212460220584006796352e-2, -0.1893024529798880432523947023886e-3,
  0.3606925327441245256578082217225e-4, -0.6056761904460864218485548290365e-5, 0.1055829546302283344731823509093e-5,
  -0.1811967365542384048291855891166e-6, 0.3117724964715322277790254593169e-7, -0.5354219639019687140874081024347e-8,
  0.9193275519859588946887786825940e-9, -0.1577941280288339761767423273953e-9, 0.2707980622934954543266540433089e-10,
  -0.4646818653825730144081661058933e-11, 0.7973350192007419656460767175359e-12, -0.1368078209830916025799499172309e-12,
  0.2347319486563800657233471771688e-13, -0.4027432614949066932766570534699e-14, 0.6910051747372100912138336975257e-15,
  -0.1185584500221992907052387126192e-15,
];
const LN_SQRT_2PI = 0.918938533204672741780329736406;
/** Gamma overflows beyond this (R's xmax). */
const XMAX = 171.61447887182298;

/** Gamma(x) for x > 0; NaN for x <= 0 or NaN (module comment). */
export function gammaFn(x: number): number {
  if (!(x > 0)) return NaN;
  if (x > 10) {
    if (x > XMAX) return Infinity;
    return Math.exp((x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingRemainder(x));
  }
  const n = Math.floor(x);
  const y = x - n;
  let value = chebyshev(y * 2 - 1, GAMCS) + 0.9375;
  if (n === 0) return value / x;
  for (let i = 1; i < n; i++) value *= y + i;
  return value;
}
