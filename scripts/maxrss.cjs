// Preloaded (node --require) into the CLI runs of the benchmarks: prints the process's peak resident
// memory on stderr at exit. CommonJS, so that measuring does not start Node's ES module loader, which
// the installed program does not use (an --import of the same line cost about 5 ms a run).
process.on('exit', () => process.stderr.write('\nMAXRSS ' + process.resourceUsage().maxRSS + '\n'));
