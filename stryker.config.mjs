// StrykerJS with its Vitest runner: mutation testing of src/core, printed, never a gate.
// `npm run test:mutation` (tests/mutation/run.mjs) fills NUMASCOPE_MUTATE and NUMASCOPE_TEST_FILES
// with what a change touches and the unit tests of those folders; run by hand, Stryker takes the
// files issue 18 scores (cpuset, units, host/merge, partition/, domain-xml/write) and every unit test.

const run = process.env.NUMASCOPE_MUTATION_RUN ? `${process.env.NUMASCOPE_MUTATION_RUN}-` : '';
const list = (value, fallback) => (value ? value.split(',').filter(Boolean) : fallback);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'tests/mutation/vitest.config.ts', related: true },
  mutate: list(process.env.NUMASCOPE_MUTATE, ['src/core/cpuset.ts', 'src/core/units.ts', 'src/core/host/merge.ts', 'src/core/partition/*.ts', 'src/core/domain-xml/write.ts']),
  testFiles: list(process.env.NUMASCOPE_TEST_FILES, undefined),
  // Only the results of mutants whose code or tests changed are recomputed.
  incremental: true,
  // Two runs at once (a file each) keep apart through NUMASCOPE_MUTATION_RUN: own sandbox, own results.
  incrementalFile: `reports/mutation/${run}stryker-incremental.json`,
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process unless asked for more (--concurrency N).
  concurrency: 1,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 30,
  // A mutant in a module-level constant needs every test re-run from scratch: skipped, as counted.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: `reports/mutation/${run}index.html` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: `.stryker-tmp${run && `-${run.slice(0, -1)}`}`,
  cleanTempDir: 'always',
  // another run's sandbox and the build outputs are not copied into this one's
  ignorePatterns: ['/.stryker-tmp*', '/dist', '/dist-*', '/test-results*', '/playwright-report'],
};
