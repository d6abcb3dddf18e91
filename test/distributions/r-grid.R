# Writes r-grid.json: reference values of R's distribution functions on the grids that
# test/distributions/grid.test.ts compares against. R 4.2.2 Patched (2022-11-10 r83330):
#   Rscript test/distributions/r-grid.R > test/distributions/r-grid.json
# Notes on what is taken from R and why:
# - Two-sided t p-values are pbeta (R's TOMS 708 bratio) at whichever of x = df / (df + t^2) and
#   1 - x is below 1/2, as R's pt does for df <= 4e5: beyond that R's pt switches to a normal
#   approximation (A&S 26.7.8) whose error grows into the tail.
# - Quantiles are R's qt, qf, qchisq polished by Newton steps on the log of R's own cdf (polish()
#   below): R's qf (through qbeta) is off by up to 1e-3 relatively in far tails with small df
#   (qf(1e-10, 2.5, 1e5)), qt by 1e-5 (qt(1e-300, 2.5)), while pf, pt and pchisq there are
#   accurate; R's qf also returns the chi-square limit once a df exceeds 4e5. The polished value is
#   the x at which R's cdf equals p, which is what the tests compare against. The raw R quantile
#   is kept as a last column for reference. Where R's qf or qchisq returns 0 (qbeta gives up below
#   about 1e-300 in x: qf(1e-10, 0.5, 0.5) is 0 in R, though pf(1.18e-39, 0.5, 0.5) = 1e-10), the
#   reference is the lower tail's leading term, exact to O(x): I_x(a, b) ~ x^a / (a B(a, b)) and
#   P(a, x) ~ x^a / Gamma(a + 1), which is 0 where the true quantile underflows; qf's rows where
#   R gives 0 but x is not tiny (qf(1e-300, 1e5, 30) = 0.0196: R's pbeta underflows) are left out.
num <- function(v) ifelse(is.na(v), "null", ifelse(is.infinite(v), ifelse(v > 0, "\"Infinity\"", "\"-Infinity\""), sprintf("%.17g", v)))
rows <- function(name, ...) {
  cat(sprintf("  \"%s\": [\n", name))
  lines <- apply(cbind(...), 1, function(r) paste0("    [", paste(num(r), collapse = ", "), "]"))
  cat(paste(lines, collapse = ",\n"), "\n  ]")
}
dfs <- c(0.5, 1, 2.5, 30, 1e3, 1e5, 1e7)
# Newton on log F(x) = log q in log |x|, F the tail being solved (the upper one when `upper`),
# from R's quantile x: x <- x exp(-(log F(x) - log q) / s), s = d log F / d log |x| =
# +-|x| f(x) / F(x), with F and log f from R (the log of R's cdf: its log.p = TRUE path disagrees
# with it by 1e-10 where pbeta warns of underflow, e.g. pf(0.0018, 1e7, 2.5, log.p = TRUE)).
# A step that makes F underflow is halved until it does not.
polish1 <- function(x, upper, q, cdf, logdens) {
  logF <- function(x) log(cdf(x, !upper))
  if (!is.finite(x) || x == 0 || !is.finite(logF(x))) return(x)
  for (i in 1:20) {
    lF <- logF(x)
    step <- (lF - log(q)) / (exp(logdens(x) + log(abs(x)) - lF) * ifelse(upper, -1, 1) * sign(x))
    if (!is.finite(step) || step == 0) break
    while (!is.finite(logF(x * exp(-step)))) step <- step / 2
    x <- x * exp(-step)
  }
  x
}
# Vectorised over rows: par is a list of the distribution's parameters, one vector each.
polish <- function(x, upper, q, cdf, logdens, par) {
  sapply(seq_along(x), function(i) {
    pi <- lapply(par, `[`, i)
    polish1(x[i], upper[i], q[i], function(x, l) do.call(cdf, c(list(x), pi, lower.tail = l)), function(x) do.call(logdens, c(list(x), pi, log = TRUE)))
  })
}
# For a lower-tail probability p: solve the upper tail 1 - p when p > 1/2.
lowerPolish <- function(x, p, cdf, logdens, par) polish(x, p > 0.5, ifelse(p > 0.5, 1 - p, p), cdf, logdens, par)
cat("{\n")
x <- c(1e-300, 1e-10, 1e-5, 0.001, 0.1, 0.5, 0.9, 1, 1.5, 2, 2.5, 3.7, 5, 7.25, 9.99, 10, 10.01, 50, 1e3, 1e5, 1e7, 1e10, 1e20)
rows("lgamma", cbind(x), lgamma(x)); cat(",\n")
z <- c(-37.5, -37, -30, -20, -10, -8, -5.657, -5, -3, -2, -1, -0.66291, -0.5, -1e-10, 0, 0.3, 0.7, 1, 2.5, 6, 8.3, 10)
rows("pnorm", cbind(z), pnorm(z)); cat(",\n")
rows("pnormUpper", cbind(z), pnorm(z, lower.tail = FALSE)); cat(",\n")
p <- c(1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.05, 0.075, 0.1, 0.3, 0.5, 0.7, 0.925, 0.95, 0.99, 0.999999)
rows("qnorm", cbind(p), qnorm(p)); cat(",\n")
g <- expand.grid(t = c(1e-8, 0.01, 0.5, 1, 2, 3, 5, 10, 30, 100, 1e3), df = dfs)
small <- g$t^2 / (g$df + g$t^2) < 0.5
two <- ifelse(small, pbeta(g$t^2 / (g$df + g$t^2), 0.5, g$df / 2, lower.tail = FALSE), pbeta(g$df / (g$df + g$t^2), g$df / 2, 0.5))
rows("ptTwoSided", cbind(g$t, g$df), two); cat(",\n")
g <- expand.grid(p = c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.45, 0.55, 0.9, 0.975, 0.999), df = dfs[dfs <= 1e5])
q <- qt(g$p, g$df)
rows("qt", cbind(g$p, g$df, lowerPolish(q, g$p, pt, dt, list(g$df)), q)); cat(",\n")
g <- expand.grid(f = c(1e-6, 0.01, 0.5, 1, 2, 5, 20, 100, 1e4), df1 = dfs, df2 = dfs)
rows("pfUpper", cbind(g$f, g$df1, g$df2), pf(g$f, g$df1, g$df2, lower.tail = FALSE)); cat(",\n")
g <- expand.grid(p = c(1e-300, 1e-100, 1e-10, 0.01, 0.05, 0.5, 0.95, 0.99, 1 - 1e-10), df1 = dfs, df2 = dfs)
q <- qf(g$p, g$df1, g$df2)
zero <- q == 0 & g$p > 0
lead <- g$df2 / g$df1 * exp((log(g$p) + log(g$df1 / 2) + lbeta(g$df1 / 2, g$df2 / 2)) / (g$df1 / 2))
q[zero] <- lead[zero]
keep <- !zero | g$df1 / g$df2 * lead < 1e-20
g <- g[keep, ]
q <- q[keep]
rows("qf", cbind(g$p, g$df1, g$df2, lowerPolish(q, g$p, pf, df, list(g$df1, g$df2)), q)); cat(",\n")
g <- expand.grid(m = c(1e-3, 0.1, 0.5, 0.9, 0.99, 1, 1.01, 1.1, 2, 10), df = dfs)
rows("pchisq", cbind(g$m * g$df, g$df), pchisq(g$m * g$df, g$df)); cat(",\n")
rows("pchisqUpper", cbind(g$m * g$df, g$df), pchisq(g$m * g$df, g$df, lower.tail = FALSE)); cat(",\n")
g <- expand.grid(p = c(1e-300, 1e-100, 1e-10, 0.01, 0.5, 0.95, 1 - 1e-10), df = dfs)
q <- qchisq(g$p, g$df)
zero <- q == 0 & g$p > 0
q[zero] <- (2 * exp((log(g$p) + lgamma(g$df / 2 + 1)) / (g$df / 2)))[zero]
rows("qchisq", cbind(g$p, g$df, lowerPolish(q, g$p, pchisq, dchisq, list(g$df)), q)); cat(",\n")
q <- qchisq(g$p, g$df, lower.tail = FALSE)
rows("qchisqUpper", cbind(g$p, g$df, polish(q, g$p < 0.5, ifelse(g$p < 0.5, g$p, 1 - g$p), pchisq, dchisq, list(g$df)), q)); cat("\n")
cat("}\n")
