/**
 * `numascope check` on hostile hosts and guests, through the real bin: the CLI runs on the main
 * thread's stack (a tenth of a test worker's), where a list spread as arguments throws past some
 * 10^5 items. It must print its report and exit 0 or 1, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import { corpusPath, readCorpus } from '../support/corpus.ts';
import { talkExample1 } from '../support/golden.ts';

const BIN = resolve(import.meta.dirname, '../../bin/numascope.js');
const dir = mkdtempSync(join(tmpdir(), 'numascope-hostile-check-'));
const LSCPU = corpusPath('pasted', 'talk-e7-8895v2.lscpu.txt');

function check(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'check', ...args], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 50_000 });
  expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+|RangeError|Maximum call stack/);
  expect([0, 1]).toContain(r.status);
  return r.stdout.slice(0, 10_000);
}

describe('numascope check on hostile input', () => {
  it('a guest with 200,000 <iothreadpin> is judged', { timeout: 60_000 }, () => {
    const pins = Array.from({ length: 200_000 }, (_, i) => `    <iothreadpin iothread='${i + 1}' cpuset='1'/>`).join('\n');
    const guest = join(dir, 'iothreads.xml');
    writeFileSync(guest, writeLayout(null, talkExample1(), { name: 'talk' }).text.replace('</cputune>', `${pins}\n  </cputune>`));
    expect(check(['--host', LSCPU, '--guest', guest])).toContain("The iothreads 1-200000 of 'talk' run on host CPU 1, which a vCPU holds one-to-one");
  });

  it('a sosreport of a thousand files of a tool complaining is read as its lscpu', { timeout: 60_000 }, () => {
    const report = join(dir, 'sosreport-kvm01-2026-12-07-abcdefg');
    const processor = join(report, 'sos_commands', 'processor');
    mkdirSync(processor, { recursive: true });
    const complaints = 'lscpu: cannot open /sys/firmware/dmi/tables/DMI\n'.repeat(201);
    for (let i = 0; i < 1000; i++) writeFileSync(join(processor, `lscpu_-e${i}`), complaints);
    writeFileSync(join(processor, 'lscpu'), readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt'));
    expect(check([report])).toMatch(/^Host: 4 NUMA node\(s\), 120 CPU\(s\)/);
  });
});

describe('numascope plan --from on hostile input', () => {
  it('a guest with 200,000 <iothreadpin> is laid out again, its iothreads kept', { timeout: 60_000 }, () => {
    const pins = Array.from({ length: 200_000 }, (_, i) => `    <iothreadpin iothread='${i + 1}' cpuset='1'/>`).join('\n');
    const guest = join(dir, 'plan-iothreads.xml');
    writeFileSync(guest, writeLayout(null, talkExample1(), { name: 'talk' }).text.replace('</cputune>', `${pins}\n  </cputune>`));
    const numactl = corpusPath('pasted', 'talk-e7-8895v2.numactl-H.txt');
    const r = spawnSync(process.execPath, [BIN, 'plan', '--host', LSCPU, '--host', numactl, '--from', guest, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 50_000 });
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+|RangeError|Maximum call stack/);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { xml: string }).xml).toMatch(/<iothreadpin iothread='200000' cpuset='[\d,-]+'\/>/);
  });
});
