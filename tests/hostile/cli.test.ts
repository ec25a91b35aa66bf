/**
 * `numascope inspect` on hostile files, through the real bin: it must print its report (or the
 * JSON contract) with the diagnostics and exit 0 or 1, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE } from './fixtures.ts';

const BIN = resolve(import.meta.dirname, '../../bin/numascope.js');
const dir = mkdtempSync(join(tmpdir(), 'numascope-hostile-'));

/** The classes that once crashed or hung the CLI; the rest are covered through ingest(). */
const CLASSES = ['lscpu-node-200k', 'prompt-repeat-200k', 'numactl-repeat-1600', 'hwloc-nested-1e5', 'xml-stray-close-200k', 'synthetic-group-10k', 'lscpu-list-bomb'];

describe('numascope inspect on hostile files', () => {
  for (const name of CLASSES) {
    it(name, { timeout: 60_000 }, () => {
      const file = join(dir, `${name}.txt`);
      writeFileSync(file, HOSTILE.find((c) => c.name === name)!.text());
      for (const args of [['inspect', file], ['inspect', '--json', file]]) {
        const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 50_000 });
        expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+|RangeError|Maximum call stack/);
        expect([0, 1]).toContain(r.status);
        if (args.includes('--json')) expect(Array.isArray(JSON.parse(r.stdout).diagnostics)).toBe(true);
        else expect(r.stdout).toMatch(/^Sources \(\d+\)/);
      }
    });
  }
});
