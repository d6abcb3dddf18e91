/**
 * A binary response on 800 rows in 20 groups with a predictor u of spread 0.2 (seeded): the
 * GLMM tests of x = c + u, a predictor far from 0 relative to its spread, whose fixed-effects
 * columns the fit replaces (src/lmm/conditioning/centring.ts).
 */
export function farPredictorData(): { g: string[]; u: number[]; y: number[] } {
  let s = 12345;
  const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const b = Array.from({ length: 20 }, () => (r() - 0.5) * 1.5);
  const g: string[] = [], u: number[] = [], y: number[] = [];
  for (let i = 0; i < 800; i++) {
    const gi = i % 20, ui = r() * 0.2;
    g.push(`g${gi}`);
    u.push(ui);
    y.push(r() < 1 / (1 + Math.exp(-(-0.3 + 3 * ui + b[gi]))) ? 1 : 0);
  }
  return { g, u, y };
}
