/**
 * The peers' own test dumps that once fooled the readers (tests/fixtures/dumps/SOURCES.md),
 * each read by the real tool and judged against it: util-linux's UltraSparc T1, whose lscpu
 * shows every cache as private and whose node map names CPUs that are not present; and hwloc's
 * 16ia64-8n2s, whose packages come in pairs sharing one physical id.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { lscpuFormat } from '../../src/core/ingest/lscpu.ts';
import { dumpRoot, runPeer } from '../support/corpus.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/dumps');

/** Unpack a fixture dump once; the folder inside it that holds sys/devices/system. */
function fixtureDump(tarball: string): string {
  const name = tarball.replace(/\.tar\.(gz|bz2)$/, '');
  const dir = join(tmpdir(), 'numascope-dumps', 'fixtures', name);
  if (!existsSync(join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xf', join(FIXTURES, tarball), '-C', dir]);
    writeFileSync(join(dir, '.done'), '');
  }
  return join(dir, name);
}

const sysText = (path: string) => readFileSync(path, 'utf8').replace(/\0/g, '').trim();

describe('util-linux sparc64-UltraSparc-T1 through the real lscpu', () => {
  const root = fixtureDump('sparc64-UltraSparc-T1.tar.gz');
  const lscpu = (...args: string[]) => runPeer('lscpu', [...args, '-s', root]);
  /** The kernel's own answer: each CPU's thread siblings. */
  const sysfsCores = [...new Set(Array.from({ length: 24 }, (_, cpu) => sysText(join(root, `sys/devices/system/cpu/cpu${cpu}/topology/thread_siblings_list`))))];

  it('the dump is what the test is about: 4 threads per core, lscpu shows 24 private L1s and L2s', () => {
    expect(sysfsCores).toEqual(['0-3', '4-7', '8-11', '12-15', '16-19', '20-23']);
    const summary = lscpu();
    expect(summary).toMatch(/^L2 cache:\s+72 MiB \(24 instances\)$/m);
    expect(summary).toMatch(/^Thread\(s\) per core:\s+4$/m);
  });

  for (const args of [['-e'], ['-p'], ['-e', '-J'], ['-p=cpu,core,socket,cache']]) {
    it(`lscpu ${args.join(' ')} gives the 6 cores of its CORE column, not 24`, () => {
      const text = lscpu(...args);
      const { host } = ingest([{ name: 'T1', text }]);
      expect(host.cores.map((c) => formatIdList(c.cpus))).toEqual(sysfsCores);
      expect(host.packages).toHaveLength(6);
      expect(host.cpus[1].siblings).toEqual([0, 1, 2, 3]);
      // lscpu's assumed private caches are not drawn as the hardware's.
      expect(host.caches).toEqual([]);
      const said = host.diagnostics.filter((d) => /every cache id names a single CPU/.test(d.message));
      expect(said.map((d) => d.severity)).toEqual(['info']);
    });
  }

  it('where CORE repeats across core types and caches are shared, L2 still tells the cores apart (hybrid DGX GB10)', () => {
    const dgx = dumpRoot('hwloc-linux', 'nvidia-dgx-gb10.tar.bz2');
    const { host } = ingest([{ name: 'gb10', text: runPeer('lscpu', ['-e', '-s', dgx]) }]);
    const hwlocCores = Number(runPeer('hwloc-calc', ['--number-of', 'core', 'all'], { HWLOC_FSROOT: dgx, HWLOC_COMPONENTS: 'linux,stop' }).trim());
    expect(host.cores).toHaveLength(hwlocCores);
    expect(host.diagnostics.some((d) => /every cache id names a single CPU/.test(d.message))).toBe(false);
  });

  it("plain lscpu: node0's 0-35 against CPU(s) 24 is a warning on the node's line, and the absent CPUs are left out", () => {
    const text = lscpu();
    const lines = text.split('\n');
    const nodeLine = lines.findIndex((l) => l.startsWith('NUMA node0 CPU(s):')) + 1;
    expect(lines[nodeLine - 1]).toMatch(/0-35$/);
    expect(text).toMatch(/^CPU\(s\):\s+24$/m);
    const facts = lscpuFormat.parse(text, 'T1');
    expect(facts.nodes).toEqual([{ id: 0, cpus: Array.from({ length: 24 }, (_, i) => i) }]);
    const warnings = facts.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].line).toBe(nodeLine);
    expect(warnings[0].message).toMatch(/^NUMA node0 CPU\(s\) is 0-35 but CPU\(s\) says 24 \(line \d+\), on-line or off-line 0-23: CPUs 24-35 are not present/);
    const { host } = ingest([{ name: 'T1', text }]);
    expect(host.cpus).toHaveLength(24);
    expect(host.nodes.map((n) => formatIdList(n.cpus))).toEqual(['0-23']);
  });

  it('without the on-line list, which CPUs are absent is unknown: still a warning on the node line, the list kept', () => {
    const text = lscpu().replace(/^On-line CPU\(s\) list:.*\n/m, '');
    const facts = lscpuFormat.parse(text, 'T1');
    expect(facts.nodes[0].cpus).toHaveLength(36);
    const warnings = facts.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.map((d) => [text.split('\n')[(d.line ?? 0) - 1].split(':')[0], d.message])).toEqual([
      ['NUMA node0 CPU(s)', 'the NUMA node lists name 36 CPUs, but CPU(s) says 24: some node CPUs are not present (paste the on-line CPU list to tell which)'],
    ]);
  });

  it('a node list that agrees with the CPU lists draws no such warning (EPYC, POWER7 LPAR, VMware guest)', () => {
    for (const tarball of ['x86_64-epyc_7451.tar.gz', 'ppc64-POWER7-64cpu.tar.gz', 'vmware_fpe.tar.gz']) {
      const facts = lscpuFormat.parse(runPeer('lscpu', ['-s', dumpRoot('util-linux-lscpu', tarball)]), tarball);
      expect(facts.diagnostics.filter((d) => /are not present/.test(d.message)), tarball).toEqual([]);
    }
  });
});

describe('hwloc 16ia64-8n2s: two packages per physical id', () => {
  const root = fixtureDump('16ia64-8n2s.tar.bz2');
  const env = { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' };
  const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], env);
  const file = join(tmpdir(), 'numascope-dumps', 'fixtures', '16ia64-8n2s.xml');
  writeFileSync(file, xml);
  const count = (type: string) => Number(runPeer('hwloc-calc', ['-i', file, '--number-of', type, 'all']).trim());
  /** hwloc's PUs of each package, by its logical index. */
  const hwlocPackages = Array.from({ length: count('package') }, (_, i) => runPeer('hwloc-calc', ['-i', file, `package:${i}`, '--intersect', 'pu', '--physical-output']).trim());

  it('hwloc counts 16 packages, 16 cores and 8 nodes, over 8 distinct package P#', () => {
    expect([count('package'), count('core'), count('numanode')]).toEqual([16, 16, 8]);
    expect(new Set([...xml.matchAll(/type="Package" os_index="(\d+)"/g)].map((m) => m[1])).size).toBe(8);
  });

  for (const [what, text] of [
    ['its XML', () => xml],
    ['lstopo -v', () => runPeer('lstopo-no-graphics', ['-v', '-i', file, '-'])],
  ] as const) {
    it(`${what}: 16 packages with hwloc's PUs each, numbered by position and said so`, () => {
      const pasted = text();
      if (what === 'lstopo -v') expect(pasted).toMatch(/Package L#1 \(P#0 /);
      const { host } = ingest([{ name: '16ia64', text: pasted }]);
      expect(host.packages.map((p) => p.cpus.join(','))).toEqual(hwlocPackages);
      expect(host.packages.map((p) => p.id)).toEqual(Array.from({ length: 16 }, (_, i) => i));
      expect(host.cores).toHaveLength(16);
      const said = host.diagnostics.filter((d) => /distinct P#/.test(d.message));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ severity: 'info' });
      expect(said[0].message).toMatch(/^16 packages but only 8 distinct P# \(P#0 ×2, P#512 ×2, P#1024 ×2, P#1536 ×2 and 4 more\)/);
      const lines = pasted.split('\n');
      expect(lines[(said[0].line ?? 0) - 1]).toMatch(/Package/);
    });
  }

  it('hosts whose packages each have their own P# keep the P# (the corpus 4-socket Magny-Cours)', () => {
    const magny = dumpRoot('hwloc-linux', '48amd64-4pa2n6c-sparse.tar.bz2');
    const { host } = ingest([{ name: 'magny', text: runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: magny, HWLOC_COMPONENTS: 'linux,stop' }) }]);
    const ids = [...runPeer('lstopo-no-graphics', ['-v', '-'], { HWLOC_FSROOT: magny, HWLOC_COMPONENTS: 'linux,stop' }).matchAll(/Package L#\d+ \(P#(\d+)/g)].map((m) => Number(m[1]));
    expect(host.packages.map((p) => p.id)).toEqual(ids);
    expect(host.diagnostics.some((d) => /distinct P#/.test(d.message))).toBe(false);
  });
});
