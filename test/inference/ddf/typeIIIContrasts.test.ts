// lmerTest's type III hypothesis matrices (typeIIIContrasts.ts), row for row,
// against lmerTest:::get_contrasts_type3 in R 4.2.2 with lme4 1.1-31 and lmerTest 3.1-3:
//
//   library(lmerTest)
//   sleep <- read.csv("test/fixtures/data/sleepstudy.csv")
//   cake <- read.csv("test/fixtures/data/cake.csv")
//   cake$recipe <- factor(cake$recipe); cake$replicate <- factor(cake$replicate)
//   cakeT <- within(cake, temperature <- factor(temperature))
//   unb <- read.csv("test/fixtures/data/typeIII_unbalanced.csv", stringsAsFactors = TRUE)
//   unbMiss <- droplevels(subset(unb, !(A == "a3" & B == "b4")))
//   m <- <the case's lmer call>
//   L <- lmerTest:::get_contrasts_type3(m)
//   lapply(L, function(x) matrix(sprintf("%.17g", x), nrow(x)))   # the numbers below
//
// test/fixtures/data/typeIII_unbalanced.csv was made by
//
//   set.seed(20240611)
//   n0 <- 216
//   g <- sprintf("g%02d", rep(1:12, each = 18))
//   A <- rep(c("a1","a2","a3"), length.out = n0)
//   B <- rep(rep(c("b1","b2","b3","b4"), each = 3), length.out = n0)
//   C <- rep(c("c1","c2"), each = 1, length.out = n0)[sample(n0)]
//   x <- round(runif(n0, 0, 10), 2)
//   z <- round(rnorm(n0, 50, 10), 1)
//   ge <- rnorm(12, 0, 3)[as.integer(factor(g))]
//   eff <- c(a1 = 0, a2 = 1.5, a3 = -1)[A] + c(b1 = 0, b2 = 0.5, b3 = 2, b4 = -0.5)[B] + ifelse(C == "c2", 0.7, 0)
//   y <- round(10 + eff + 0.3 * x + 0.02 * z + 0.1 * x * (A == "a2") + ge + rnorm(n0, 0, 1.5), 3)
//   d <- data.frame(g, A, B, C, x, z, y)
//   keep <- runif(n0) > 0.25
//   d <- d[keep, ]
//   rownames(d) <- NULL
//   write.csv(d, "test/fixtures/data/typeIII_unbalanced.csv", row.names = FALSE, quote = FALSE)
//
// The matrices depend on the design only (not on the fit), so the cases build frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmerAt } from '../../../src/api/fit.js';
import { toTable } from '../../../src/data/table.js';
import type { DataTable } from '../../../src/data/types.js';
import { MixedModelsError } from '../../../src/errors.js';
import { modelFrameFromText, type ModelFrameOptions } from '../../../src/frame/index.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { satterthwaiteF } from '../../../src/inference/ddf/satterthwaite.js';
import { lmerTestTypeIII, zapsmall } from '../../../src/inference/ddf/typeIIIContrasts.js';
import { varpar } from '../../../src/inference/ddf/varpar.js';
import { assertClose, dataFile } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const cake = readCsvFile(dataFile('cake'));
const unb = readCsvFile(dataFile('typeIII_unbalanced'));

/** The table without the rows `drop` picks (R's subset(..., !drop)). */
function withoutRows(table: DataTable, drop: (value: (name: string) => unknown) => boolean): DataTable {
  const rows = Array.from({ length: table.nrow }, (_, i) => i).filter((i) => !drop((name) => table.columns.get(name)!.values[i]));
  return toTable(Object.fromEntries(table.names.map((name) => [name, rows.map((i) => table.columns.get(name)!.values[i])])));
}
const unbMissing = withoutRows(unb, (v) => v('A') === 'a3' && v('B') === 'b4');

interface Case {
  what: string;
  data: DataTable;
  formula: string;
  options: ModelFrameOptions;
  /** R's colnames(model.matrix(m)). */
  colnames: string[];
  /** R's matrices, per term: rows of numbers, one per column of colnames. */
  L: Record<string, number[][]>;
}

/** Our matrices equal R's: same terms, same rows, the same numbers to 1e-12. */
function check(c: Case): void {
  const frame = modelFrameFromText(c.formula, c.data, c.options);
  assert.deepEqual(frame.colnames, c.colnames);
  const ours = lmerTestTypeIII(frame, c.options.contrasts);
  assert.deepEqual(ours.map((t) => t.term), Object.keys(c.L));
  for (const { term, L } of ours) {
    const R = c.L[term];
    assert.equal(L.q, R.length, `${term}: number of rows`);
    R.forEach((row, m) => row.forEach((v, j) => {
      const got = L.values[m * L.p + j];
      assert.ok(Math.abs(got - v) <= 1e-12, `${term}[${m + 1}, ${c.colnames[j]}]: got ${got}, R gives ${v}`);
    }));
  }
}

const CASES: Case[] = [
  // m <- lmer(Reaction ~ factor(Days) + (Days | Subject), sleep)
  {
    what: "sleepstudy, factor(Days): one term, so type I (Doolittle)",
    data: sleep,
    formula: 'Reaction ~ factor(Days) + (Days | Subject)',
    options: {},
    colnames: ["(Intercept)", "factor(Days)1", "factor(Days)2", "factor(Days)3", "factor(Days)4", "factor(Days)5", "factor(Days)6", "factor(Days)7", "factor(Days)8", "factor(Days)9"],
    L: {
      "factor(Days)": [
        [0, 1, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112, -0.11111111111111112],
        [0, 0, 1, -0.125, -0.125, -0.125, -0.125, -0.125, -0.125, -0.125],
        [0, 0, 0, 1, -0.14285714285714285, -0.14285714285714285, -0.14285714285714285, -0.14285714285714285, -0.14285714285714285, -0.14285714285714285],
        [0, 0, 0, 0, 1, -0.16666666666666666, -0.16666666666666666, -0.16666666666666666, -0.16666666666666666, -0.16666666666666666],
        [0, 0, 0, 0, 0, 1, -0.19999999999999998, -0.19999999999999998, -0.19999999999999998, -0.19999999999999998],
        [0, 0, 0, 0, 0, 0, 1, -0.24999999999999997, -0.24999999999999997, -0.24999999999999997],
        [0, 0, 0, 0, 0, 0, 0, 1, -0.33333333333333326, -0.33333333333333326],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, -0.49999999999999983],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(angle ~ recipe * temperature + (1 | recipe:replicate), cakeT)
  {
    what: "cake, recipe * temperature (factors)",
    data: cake,
    formula: 'angle ~ recipe * temperature + (1 | recipe:replicate)',
    options: { factors: ['replicate', 'temperature'] },
    colnames: ["(Intercept)", "recipeB", "recipeC", "temperature185", "temperature195", "temperature205", "temperature215", "temperature225", "recipeB:temperature185", "recipeC:temperature185", "recipeB:temperature195", "recipeC:temperature195", "recipeB:temperature205", "recipeC:temperature205", "recipeB:temperature215", "recipeC:temperature215", "recipeB:temperature225", "recipeC:temperature225"],
    L: {
      recipe: [
        [0, 1, 0, 0, 0, 0, 0, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667, 0, 0.1666667],
      ],
      temperature: [
        [0, 0, 0, 1, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0.3333333, 0.3333333],
      ],
      "recipe:temperature": [
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(angle ~ recipe * temp + (1 | recipe:replicate), cake)
  {
    what: "cake, recipe * temp (factor x numeric)",
    data: cake,
    formula: 'angle ~ recipe * temp + (1 | recipe:replicate)',
    options: { factors: ['replicate'] },
    colnames: ["(Intercept)", "recipeB", "recipeC", "temp", "recipeB:temp", "recipeC:temp"],
    L: {
      recipe: [
        [0, 1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0],
      ],
      temp: [
        [0, 0, 0, 1, 0.3333333, 0.3333333],
      ],
      "recipe:temp": [
        [0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(angle ~ recipe * ordered(temperature) + (1 | recipe:replicate), cake)
  {
    what: "cake, recipe * ordered(temperature) (poly contrasts, mapped)",
    data: cake,
    formula: 'angle ~ recipe * ordered(temperature) + (1 | recipe:replicate)',
    options: { factors: ['replicate'] },
    colnames: ["(Intercept)", "recipeB", "recipeC", "ordered(temperature).L", "ordered(temperature).Q", "ordered(temperature).C", "ordered(temperature)^4", "ordered(temperature)^5", "recipeB:ordered(temperature).L", "recipeC:ordered(temperature).L", "recipeB:ordered(temperature).Q", "recipeC:ordered(temperature).Q", "recipeB:ordered(temperature).C", "recipeC:ordered(temperature).C", "recipeB:ordered(temperature)^4", "recipeC:ordered(temperature)^4", "recipeB:ordered(temperature)^5", "recipeC:ordered(temperature)^5"],
    L: {
      recipe: [
        [0, 1, 0, 0, 0, 0, 0, 0, 1.1952285997041123e-07, 0, -1.4244228005444448e-07, 0, 7.453559999759385e-08, 0, -7.112978001044823e-08, 0, 1.2598820004622313e-08, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 1.1952285997041123e-07, 0, -1.4244228005444448e-07, 0, 7.453559999759385e-08, 0, -7.112978001044823e-08, 0, 1.2598820004622313e-08],
      ],
      "ordered(temperature)": [
        [0, 0, 0, 0.2390457, -0.6546537, 0.8944272, -0.7559289, 0.3779645, 0.07968189203181, 0.07968189203181, -0.21821787817821, -0.21821787817821, 0.29814237018576, 0.29814237018576, -0.25197627480237, -0.25197627480237, 0.12598815406785, 0.12598815406785],
        [0, 0, 0, 0.4780914, -0.9819805, 0.6708204, 0.1889822, -0.5669467, 0.15936378406362, 0.15936378406362, -0.32732680060065, -0.32732680060065, 0.22360677763932, 0.22360677763932, 0.06299406036725999, 0.06299406036725999, -0.18898221443511, -0.18898221443511],
        [0, 0, 0, 0.7171372, -0.9819805, 0.0745356, 0.1889822, 0.6929349, 0.23904570942876002, 0.23904570942876002, -0.32732680060065, -0.32732680060065, 0.02484519751548, 0.02484519751548, 0.06299406036725999, 0.06299406036725999, 0.23097827690217002, 0.23097827690217002],
        [0, 0, 0, 0.9561829, -0.6546537, -0.1490712, -0.7559289, -0.2519763, 0.31872760146057, 0.31872760146057, -0.21821787817821, -0.21821787817821, -0.04969039503096, -0.04969039503096, -0.25197627480237, -0.25197627480237, -0.08399209160078999, -0.08399209160078999],
        [0, 0, 0, 1.1952286, 0, 0.745356, 0, 0.1259882, 0.39840949349238003, 0.39840949349238003, 0, 0, 0.2484519751548, 0.2484519751548, 0, 0, 0.041996062467059996, 0.041996062467059996],
      ],
      "recipe:ordered(temperature)": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0.2390457, 0, -0.6546537, 0, 0.8944272, 0, -0.7559289, 0, 0.3779645, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2390457, 0, -0.6546537, 0, 0.8944272, 0, -0.7559289, 0, 0.3779645],
        [0, 0, 0, 0, 0, 0, 0, 0, 0.4780914, 0, -0.9819805, 0, 0.6708204, 0, 0.1889822, 0, -0.5669467, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.4780914, 0, -0.9819805, 0, 0.6708204, 0, 0.1889822, 0, -0.5669467],
        [0, 0, 0, 0, 0, 0, 0, 0, 0.7171372, 0, -0.9819805, 0, 0.0745356, 0, 0.1889822, 0, 0.6929349, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.7171372, 0, -0.9819805, 0, 0.0745356, 0, 0.1889822, 0, 0.6929349],
        [0, 0, 0, 0, 0, 0, 0, 0, 0.9561829, 0, -0.6546537, 0, -0.1490712, 0, -0.7559289, 0, -0.2519763, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9561829, 0, -0.6546537, 0, -0.1490712, 0, -0.7559289, 0, -0.2519763],
        [0, 0, 0, 0, 0, 0, 0, 0, 1.1952286, 0, 0, 0, 0.745356, 0, 0, 0, 0.1259882, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1.1952286, 0, 0, 0, 0.745356, 0, 0, 0, 0.1259882],
      ],
    },
  },
  // m <- lmer(y ~ A * B + x + (1 | g), unb)
  {
    what: "unbalanced, A * B + x (two factors and a covariate)",
    data: unb,
    formula: 'y ~ A * B + x + (1 | g)',
    options: {},
    colnames: ["(Intercept)", "Aa2", "Aa3", "Bb2", "Bb3", "Bb4", "x", "Aa2:Bb2", "Aa3:Bb2", "Aa2:Bb3", "Aa3:Bb3", "Aa2:Bb4", "Aa3:Bb4"],
    L: {
      A: [
        [0, 1, 0, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25],
      ],
      B: [
        [0, 0, 0, 1, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.3333333, 0.3333333],
      ],
      x: [
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      ],
      "A:B": [
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(y ~ A * B + x + (1 | g), unb, contrasts = list(A = "contr.sum", B = "contr.sum"))
  {
    what: "unbalanced, A * B + x with sum contrasts (mapped)",
    data: unb,
    formula: 'y ~ A * B + x + (1 | g)',
    options: { contrasts: 'sum' },
    colnames: ["(Intercept)", "A1", "A2", "B1", "B2", "B3", "x", "A1:B1", "A2:B1", "A1:B2", "A2:B2", "A1:B3", "A2:B3"],
    L: {
      A: [
        [0, -1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, -2, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ],
      B: [
        [0, 0, 0, -1, 1, 0, 0, -9.999999994736442e-08, 0, 9.999999994736442e-08, 0, 0, 0],
        [0, 0, 0, -1, 0, 1, 0, -9.999999994736442e-08, 0, 0, 0, 9.999999994736442e-08, 0],
        [0, 0, 0, -2, -1, -1, 0, -1.9999999989472883e-07, 0, -9.999999994736442e-08, 0, -9.999999994736442e-08, 0],
      ],
      x: [
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      ],
      "A:B": [
        [0, 0, 0, 0, 0, 0, 0, 1, -1, -1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 2, 1, -2, -1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 1, -1, 0, 0, -1, 1],
        [0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, -2, -1],
        [0, 0, 0, 0, 0, 0, 0, 2, -2, 1, -1, 1, -1],
        [0, 0, 0, 0, 0, 0, 0, 4, 2, 2, 1, 2, 1],
      ],
    },
  },
  // m <- lmer(y ~ A * B + x + (1 | g), unbMiss)
  {
    what: "unbalanced, A * B + x with the cell a3:b4 empty (Aa3:Bb4 aliased)",
    data: unbMissing,
    formula: 'y ~ A * B + x + (1 | g)',
    options: {},
    colnames: ["(Intercept)", "Aa2", "Aa3", "Bb2", "Bb3", "Bb4", "x", "Aa2:Bb2", "Aa3:Bb2", "Aa2:Bb3", "Aa3:Bb3", "Aa2:Bb4"],
    L: {
      A: [
        [0, 1, 0, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25],
        [0, 0, 1, 0, 0, 0, 0, -0.0416667, 0.3333333, -0.0416667, 0.3333333, 0.125],
      ],
      B: [
        [0, 0, 0, 1, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0.3333333, 0.3333333, 0],
        [0, 0, 0, 0, 0, 1, 0, -0.0555556, 0.1111111, -0.0555556, 0.1111111, 0.5],
      ],
      x: [
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
      ],
      "A:B": [
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(y ~ A * B * x + (1 | g), unb)
  {
    what: "unbalanced, A * B * x (three-way with a covariate)",
    data: unb,
    formula: 'y ~ A * B * x + (1 | g)',
    options: {},
    colnames: ["(Intercept)", "Aa2", "Aa3", "Bb2", "Bb3", "Bb4", "x", "Aa2:Bb2", "Aa3:Bb2", "Aa2:Bb3", "Aa3:Bb3", "Aa2:Bb4", "Aa3:Bb4", "Aa2:x", "Aa3:x", "Bb2:x", "Bb3:x", "Bb4:x", "Aa2:Bb2:x", "Aa3:Bb2:x", "Aa2:Bb3:x", "Aa3:Bb3:x", "Aa2:Bb4:x", "Aa3:Bb4:x"],
    L: {
      A: [
        [0, 1, 0, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ],
      B: [
        [0, 0, 0, 1, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ],
      x: [
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0.3333333, 0.3333333, 0.25, 0.25, 0.25, 0.0833333, 0.0833333, 0.0833333, 0.0833333, 0.0833333, 0.0833333],
      ],
      "A:B": [
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ],
      "A:x": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.25, 0, 0.25, 0, 0.25],
      ],
      "B:x": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0.3333333, 0.3333333, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0.3333333, 0.3333333, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.3333333, 0.3333333],
      ],
      "A:B:x": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(y ~ poly(x, 2) * A + B + (1 | g), unb)
  {
    what: "unbalanced, poly(x, 2) * A + B",
    data: unb,
    formula: 'y ~ poly(x, 2) * A + B + (1 | g)',
    options: {},
    colnames: ["(Intercept)", "poly(x, 2)1", "poly(x, 2)2", "Aa2", "Aa3", "Bb2", "Bb3", "Bb4", "poly(x, 2)1:Aa2", "poly(x, 2)2:Aa2", "poly(x, 2)1:Aa3", "poly(x, 2)2:Aa3"],
    L: {
      "poly(x, 2)": [
        [0, 1, 0, 0, 0, 0, 0, 0, 0.3333333, 0, 0.3333333, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 0.3333333, 0, 0.3333333],
      ],
      A: [
        [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
      ],
      B: [
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      ],
      "poly(x, 2):A": [
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(y ~ A + A:x + (1 | g), unb)
  {
    what: "unbalanced, A + A:x (x no main effect)",
    data: unb,
    formula: 'y ~ A + A:x + (1 | g)',
    options: {},
    colnames: ["(Intercept)", "Aa2", "Aa3", "Aa1:x", "Aa2:x", "Aa3:x"],
    L: {
      A: [
        [0, 1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0],
      ],
      "A:x": [
        [0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 1],
      ],
    },
  },
  // m <- lmer(y ~ C * A + x + (1 | g), unb, contrasts = list(A = "contr.helmert", C = "contr.helmert"))
  {
    what: "unbalanced, C * A + x with helmert contrasts (two-level C)",
    data: unb,
    formula: 'y ~ C * A + x + (1 | g)',
    options: { contrasts: 'helmert' },
    colnames: ["(Intercept)", "C1", "A1", "A2", "x", "C1:A1", "C1:A2"],
    L: {
      C: [
        [0, 2, 0, 0, 0, -2.0000000000575113e-07, -2.0000000011677344e-07],
      ],
      A: [
        [0, 0, 2, 0, 0, 0, 0],
        [0, 0, 1, 3, 0, 0, 0],
      ],
      x: [
        [0, 0, 0, 0, 1, 0, 0],
      ],
      "C:A": [
        [0, 0, 0, 0, 0, 4, 0],
        [0, 0, 0, 0, 0, 2, 6],
      ],
    },
  },
  // m <- lmer(y ~ 0 + A * x + B + (1 | g), unb)
  {
    what: "unbalanced, 0 + A * x + B (no intercept)",
    data: unb,
    formula: 'y ~ 0 + A * x + B + (1 | g)',
    options: {},
    colnames: ["Aa1", "Aa2", "Aa3", "x", "Bb2", "Bb3", "Bb4", "Aa2:x", "Aa3:x"],
    L: {
      A: [
        [1, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0, 0, 0, 0],
      ],
      x: [
        [0, 0, 0, 1, 0, 0, 0, 0.3333333, 0.3333333],
      ],
      B: [
        [0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 1, 0, 0],
      ],
      "A:x": [
        [0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1],
      ],
    },
  },
];

for (const c of CASES) test(`lmerTestTypeIII: ${c.what} gives lmerTest's matrices`, () => check(c));

test('lmerTestTypeIII without the contrasts option reads a two-level helmert factor as sum-coded: the same rows up to sign', () => {
  const c = CASES.find((k) => k.what.includes('helmert'))!;
  const ours = lmerTestTypeIII(modelFrameFromText(c.formula, c.data, c.options));
  for (const { term, L } of ours) {
    c.L[term].forEach((row, m) => {
      const sign = Math.sign(L.values[m * L.p + row.findIndex((v) => v !== 0)]) * Math.sign(row.find((v) => v !== 0)!);
      row.forEach((v, j) => assert.ok(Math.abs(L.values[m * L.p + j] - sign * v) <= 1e-12, `${term}[${m + 1}, ${j + 1}]`));
    });
  }
});

test('zapsmall is R 4.2.2\'s: round(x, max(0, 7 - log10(max |x|))), the digits rounded', () => {
  // R: zapsmall(c(3, 1/3, 1e-9)); zapsmall(c(0.2, 1/30)); zapsmall(c(-250, 1/3))
  assert.deepEqual([...zapsmall(Float64Array.of(3, 1 / 3, 1e-9))], [3, 0.3333333, 0]);
  assert.deepEqual([...zapsmall(Float64Array.of(0.2, 1 / 30))], [0.2, 0.03333333]);
  assert.deepEqual([...zapsmall(Float64Array.of(-250, 1 / 3))], [-250, 0.33333]);
});

// A factor (or a covariate) that is no main effect, read back from an interaction with a
// covariate: lmerTest:::get_contrasts_type3 for these models (R as at the top of the file, with
// unb$x0 <- ifelse(seq_len(nrow(unb)) %% 7 == 0, 0, unb$x): x0 is 0 on every 7th row, where A
// cannot be read from x0:A and does not matter).
const unbX0 = toTable({
  ...Object.fromEntries(unb.names.map((name) => [name, unb.columns.get(name)!.values as unknown[]])),
  x0: (unb.columns.get('x')!.values as unknown as number[]).map((x, i) => ((i + 1) % 7 === 0 ? 0 : x)),
});
const I = (n: number, at: number[]) => at.map((j) => Array.from({ length: n }, (_, c) => (c === j ? 1 : 0)));
const NON_HIERARCHICAL: Case[] = [
  {
    what: 'unbalanced, B * x + x:A (A only in x:A, coded there by contrasts)',
    data: unb,
    formula: 'y ~ B * x + x:A + (1 | g)',
    options: {},
    colnames: ['(Intercept)', 'Bb2', 'Bb3', 'Bb4', 'x', 'Bb2:x', 'Bb3:x', 'Bb4:x', 'x:Aa2', 'x:Aa3'],
    L: { B: I(10, [1, 2, 3]), x: [[0, 0, 0, 0, 1, 0.25, 0.25, 0.25, 0, 0]], 'B:x': I(10, [5, 6, 7]), 'x:A': I(10, [8, 9]) },
  },
  {
    what: 'unbalanced, x0 * z + x0:z:A with x0 = 0 on every 7th row',
    data: unbX0,
    formula: 'y ~ x0 * z + x0:z:A + (1 | g)',
    options: {},
    colnames: ['(Intercept)', 'x0', 'z', 'x0:z', 'x0:z:Aa2', 'x0:z:Aa3'],
    L: { x0: I(6, [1]), z: I(6, [2]), 'x0:z': I(6, [3]), 'x0:z:A': I(6, [4, 5]) },
  },
  {
    what: 'unbalanced, B + z + x:A (neither x nor A a main effect: A by indicators there)',
    data: unb,
    formula: 'y ~ B + z + x:A + (1 | g)',
    options: {},
    colnames: ['(Intercept)', 'Bb2', 'Bb3', 'Bb4', 'z', 'x:Aa1', 'x:Aa2', 'x:Aa3'],
    L: { B: I(8, [1, 2, 3]), z: I(8, [4]), 'x:A': I(8, [5, 6, 7]) },
  },
];
for (const c of NON_HIERARCHICAL) test(`lmerTestTypeIII(frame) reads variables back from interactions with covariates: ${c.what}`, () => check(c));

test('lmerTestTypeIII refuses a factor it cannot read back from the model matrix (z + x:A + z:A: A coded two ways, x and z zero on different rows)', () => {
  const frame = modelFrameFromText('y ~ z + x0:A + z:A + (1 | g)', unbX0);
  assert.throws(() => lmerTestTypeIII(frame), (e: Error) => e instanceof MixedModelsError && /cannot read the values of 'A'/.test(e.message));
});

// R: anova(m, type = 3) for the models above, refitted with
// control = lmerControl(optCtrl = list(ftol_abs = 1e-12, xtol_abs = 1e-12)), and getME(m, "theta").
const DENDF: { what: string; data: DataTable; formula: string; options: ModelFrameOptions; theta: number[]; rows: [string, number, number, number][] }[] = [
  {
    what: "sleepstudy, factor(Days)",
    data: sleep,
    formula: 'Reaction ~ factor(Days) + (Days | Subject)',
    options: {},
    theta: [0.954207105458716, 0.0161528821230448, 0.228155863822103],
    rows: [["factor(Days)", 9, 74.8851173014843, 5.68268770745905]],
  },
  {
    what: "unbalanced, 0 + A * x + B",
    data: unb,
    formula: 'y ~ 0 + A * x + B + (1 | g)',
    options: {},
    theta: [2.5811465414565],
    rows: [["A", 3, 29.404241463083, 27.9365564203308], ["x", 1, 139.193084559137, 54.7958858197275], ["B", 3, 139.273347075302, 26.50883087249], ["A:x", 2, 139.205118298633, 6.06848773100792]],
  },
  {
    what: "unbalanced, A * B + x, sum contrasts",
    data: unb,
    formula: 'y ~ A * B + x + (1 | g)',
    options: { contrasts: 'sum' },
    theta: [2.4981692309649],
    rows: [["A", 2, 135.112245001152, 40.3469257089167], ["B", 3, 135.291997752246, 21.6066394509129], ["x", 1, 135.237999948394, 45.7614484654508], ["A:B", 6, 135.092541180073, 0.510835672790364]],
  },
  {
    what: "unbalanced, A * B + x, an empty cell",
    data: unbMissing,
    formula: 'y ~ A * B + x + (1 | g)',
    options: {},
    theta: [2.60590742918259],
    rows: [["A", 2, 125.103135556913, 39.488612556545], ["B", 3, 125.263773526399, 21.3546309757366], ["x", 1, 125.195314914809, 49.1513986104632], ["A:B", 5, 125.091262099492, 0.64214369390895]],
  },
];

for (const d of DENDF) {
  test(`Satterthwaite F tests with lmerTestTypeIII's matrices give lmerTest's anova (${d.what})`, () => {
    const m = lmerAt(d.formula, d.data, d.options, d.theta);
    const vp = varpar(m);
    const tests = lmerTestTypeIII(m.frame, d.options.contrasts);
    assert.deepEqual(tests.map((t) => t.term), d.rows.map((r) => r[0]));
    tests.forEach((t, i) => {
      const [term, numDf, denDf, F] = d.rows[i];
      const got = satterthwaiteF(vp, m.fit.beta, t.L);
      assert.equal(got.numDf, numDf, `${term} NumDF`);
      assertClose(got.denDf, denDf, 1e-7, `${term} DenDF`);
      assertClose(got.F, F, 1e-9, `${term} F`);
    });
  });
}
