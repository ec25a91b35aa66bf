#!/usr/bin/env node
/**
 * `npm run test:mutation [-- FILE[:FROM-TO]… | --all] [--tests=TEST,…] [-- stryker options]`:
 * mutation testing over what a change touches. Without files, the src/core sources that differ
 * from git's HEAD (changed or new); with --all, the files issue 18 scores; FILE:FROM-TO mutates
 * only those lines, so a large file can be scored in runs that each finish. Each file's mutants
 * run against the unit tests of its folder (tests/<folder>/), the tests importing it and
 * tests/mutants/ (never tests/libvirt), incrementally (Stryker's --incremental: unchanged mutants
 * keep their last result). --tests=… names the test files instead (tests/mutants/ still join):
 * partition/'s brute-force and property tiers take tens of seconds per mutant, so its files are
 * scored against the example tests; fewer tests can only lower the score. Printed, never a gate:
 * the exit status is Stryker's own, not the score.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
const named = args.filter((a) => /\.ts(:\d+-\d+)?$/.test(a) && !a.startsWith('-'));
const testsOption = args.find((a) => a.startsWith('--tests='));
const chosenTests = testsOption?.slice('--tests='.length).split(',').filter(Boolean);
// everything else is Stryker's (--concurrency 2, --logLevel debug …)
const passThrough = args.filter((a) => a !== '--all' && a !== testsOption && !named.includes(a));

const isCoreSource = (f) => /^src\/core\/.+\.ts$/.test(f) && !f.endsWith('.test.ts') && existsSync(join(ROOT, f));

function changedFiles() {
  const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  return [...new Set([...git('diff', '--name-only', 'HEAD', '--', 'src/core'), ...git('ls-files', '--others', '--exclude-standard', '--', 'src/core')])].filter(isCoreSource).sort();
}

/** Test files of a folder, recursively. */
function testsUnder(dir) {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.test.ts'));
}

const allTests = testsUnder('tests').filter((f) => !f.startsWith('tests/libvirt/'));
const sourceOf = new Map(allTests.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

/** The unit tests that speak for one source file: its folder's mirror in tests/, and every test importing it. */
function testsFor(file) {
  const inCore = relative('src/core', file);
  const folder = dirname(inCore);
  const mirror = folder === '.' ? [] : testsUnder(join('tests', folder));
  const importing = allTests.filter((f) => sourceOf.get(f).includes(`core/${inCore}'`));
  return [...mirror, ...importing];
}

const files = args.includes('--all') ? [] : named.length > 0 ? named : changedFiles();
if (!args.includes('--all') && files.length === 0) {
  console.log('test:mutation: no src/core source differs from HEAD; name files, or --all for the scored set');
  process.exit(0);
}
const env = { ...process.env };
if (files.length > 0) {
  env.NUMASCOPE_MUTATE = files.join(',');
  const sources = files.map((f) => f.replace(/:\d+-\d+$/, ''));
  env.NUMASCOPE_TEST_FILES = [...new Set([...(chosenTests ?? sources.flatMap(testsFor)), ...testsUnder('tests/mutants')])].sort().join(',');
  console.log(`test:mutation: mutating ${files.join(', ')}\n  against ${env.NUMASCOPE_TEST_FILES.split(',').join(', ')}`);
}
// Tests find the corpus at ../../../shared/corpus from tests/support: inside Stryker's sandbox
// (.stryker-tmp/sandbox-…) that is .stryker-tmp/shared/corpus, so a copy goes there.
// NUMASCOPE_MUTATION_RUN=name keeps a second run apart (.stryker-tmp-name, reports/mutation/name-…).
const run = process.env.NUMASCOPE_MUTATION_RUN;
cpSync(join(ROOT, '../shared/corpus'), join(ROOT, `.stryker-tmp${run ? `-${run}` : ''}/shared/corpus`), { recursive: true, dereference: true });
const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...passThrough], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
