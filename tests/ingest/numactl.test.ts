/**
 * numactl -H: the real numactl (Debian `numactl`) run against corpus sysfs dumps, parsed, and
 * compared with the dump's own sysfs files; plus the real pastes of the corpus and robustness.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect, parseHexMask, parseIdList } from '../../src/core/cpuset.ts';
import { numactlFormat } from '../../src/core/ingest/numactl.ts';
import { corpusFiles, dumpRoot, numactlOver, readCorpus } from '../support/corpus.ts';

/** hwloc-linux dumps numactl can read. Left out: 128ia64-17n4s2c (4096-bit cpumap) and
 * 256ppc-8n8s4t (1024-bit cpumap) — libnuma here says "Cannot parse cpumap" — and
 * 20s390-2g6s4c, whose dump has no /sys/devices/system/node. */
const DUMPS = [
  '128arm-2pa2n8cluster4co',
  '16em64t-4s2c2t-offlines',
  '20em64t-hybrid-1p6c2t+2ca4co1t',
  '32em64t-2n8c+dax+nvme+mic+dimms',
  '32intel64-2p8co2t+8ve',
  '48amd64-4pa2n6c-sparse',
  '96em64t-4no4pa3ca2co',
  'memorysidecaches',
  'nvidia-dgx-gb10',
  'nvidiagpunumanodes',
  'offline-cpu0-node0',
];


/** sysfs files from hwloc-gather-topology may end in a NUL byte. */
function sysText(path: string): string {
  return readFileSync(path, 'utf8').replace(/\0/g, '').trim();
}

function ids(text: string): number[] {
  const r = parseIdList(text);
  if (!r.ok) throw new Error(r.error);
  return r.ids;
}

function hexIds(text: string): number[] {
  const r = parseHexMask(text);
  if (!r.ok) throw new Error(r.error);
  return r.ids;
}

describe('numactl -H from the real numactl over corpus sysfs dumps', () => {
  for (const dump of DUMPS) {
    it(dump, () => {
      const sys = join(dumpRoot('hwloc-linux', `${dump}.tar.bz2`), 'sys/devices/system');
      const out = numactlOver(sys);
      const facts = numactlFormat.parse(out, dump);
      expect(numactlFormat.sniff(out)).toBeGreaterThan(0.9);
      expect(facts.unknownLines).toBe(0);

      const nodeDir = join(sys, 'node');
      const sysNodes = readdirSync(nodeDir)
        .filter((f) => /^node\d+$/.test(f))
        .map((f) => Number(f.slice(4)))
        .sort((a, b) => a - b);
      const onlineFile = join(sys, 'cpu/online');
      const online = existsSync(onlineFile) ? ids(sysText(onlineFile)) : undefined;

      expect(facts.counts.nodes).toBe(sysNodes.length);
      expect(facts.nodes.map((n) => n.id)).toEqual(sysNodes);
      for (const node of facts.nodes) {
        const dir = join(nodeDir, `node${node.id}`);
        // Old kernels have only the hex cpumap.
        const cpulist = existsSync(join(dir, 'cpulist')) ? ids(sysText(join(dir, 'cpulist'))) : hexIds(sysText(join(dir, 'cpumap')));
        // numactl shows online CPUs only.
        expect(node.cpus, `node ${node.id} cpus`).toEqual(online ? intersect(cpulist, online) : cpulist);
        const memTotalKiB = Number(/MemTotal:\s+(\d+) kB/.exec(readFileSync(join(dir, 'meminfo'), 'utf8'))?.[1]);
        // numactl prints whole MiB, rounded down.
        expect(node.memoryKiB, `node ${node.id} size`).toBe(Math.floor(memTotalKiB / 1024) * 1024);
        const memFreeKiB = Number(/MemFree:\s+(\d+) kB/.exec(readFileSync(join(dir, 'meminfo'), 'utf8'))?.[1]);
        expect(node.freeKiB, `node ${node.id} free`).toBe(Math.floor(memFreeKiB / 1024) * 1024);
      }

      const sysRows = sysNodes.map((id) => sysText(join(nodeDir, `node${id}`, 'distance')).split(/\s+/).map(Number));
      if (sysRows.every((r) => r.length === sysNodes.length)) {
        expect(facts.distances?.nodes).toEqual(sysNodes);
        expect(facts.distances?.values).toEqual(sysRows);
        expect(facts.diagnostics).toEqual([]);
      } else {
        // offline-cpu0-node0: node 0 is offline but node1/distance still has 2 entries ("21 10");
        // numactl prints 21 on the diagonal, and the parser must say it is suspicious.
        expect(dump).toBe('offline-cpu0-node0');
        expect(facts.distances?.values).toEqual([[21]]);
        expect(facts.diagnostics.some((d) => d.severity === 'warning' && /to itself is 21/.test(d.message))).toBe(true);
      }
    });
  }
});

describe("numactl's own words for what it could not read", () => {
  it('the s390 LPAR dump: "<not available>" sizes and "No distance information available." are read, not errors or unknown lines', () => {
    const out = numactlOver(join(dumpRoot('util-linux-lscpu', 's390-lpar-drawer.tar.gz'), 'sys/devices/system'));
    expect(out).toMatch(/^node 0 size: <not available>$/m);
    expect(out).toMatch(/^No distance information available\.$/m);
    const f = numactlFormat.parse(out, 's390');
    expect(f.unknownLines).toBe(0);
    expect(f.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['info', 'numactl could not read the memory size of node 0: left unknown'],
      ['info', 'numactl could not read the free memory of node 0: left unknown'],
    ]);
    expect(f.nodes.map((n) => [n.id, n.memoryKiB])).toEqual([[0, undefined]]);
    expect(f.distances).toBeUndefined();
  });
});

describe('numactl -H pastes from the corpus', () => {
  it('has them', () => {
    expect(corpusFiles('pasted', /numactl-H/).length).toBeGreaterThanOrEqual(3);
  });

  it('the talk host: 4 nodes × 30 CPUs, distances 10/21', () => {
    const text = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');
    const f = numactlFormat.parse(text, 'talk');
    expect(f.diagnostics).toEqual([]);
    expect(f.counts.nodes).toBe(4);
    expect(f.nodes[0].cpus).toEqual([...Array(15).keys(), ...Array.from({ length: 15 }, (_, i) => 60 + i)]);
    expect(f.nodes[0].memoryKiB).toBe(128602 * 1024);
    expect(f.nodes[3].freeKiB).toBe(127365 * 1024);
    expect(f.distances?.values[0]).toEqual([10, 21, 21, 21]);
    expect(f.lines).toBe(19);
  });

  it('EPYC with memory-less CPU nodes and no distance table; the quoted command line is not an unknown line', () => {
    const text = readCorpus('pasted', 'numactl-H-epyc7401-memoryless-nodes.txt');
    const f = numactlFormat.parse(text, 'epyc');
    expect(f.diagnostics).toEqual([]);
    expect(f.unknownLines).toBe(0);
    expect(f.nodes.map((n) => n.memoryKiB)).toEqual([0, 31584 * 1024, 0, 0, 0, 32214 * 1024, 0, 0]);
    expect(f.nodes.flatMap((n) => n.cpus ?? []).sort((a, b) => a - b)).toEqual([...Array(96).keys()]);
    expect(f.distances).toBeUndefined();
  });

  it('Kunpeng 920: asymmetric distances keep their orientation', () => {
    const f = numactlFormat.parse(readCorpus('pasted', 'numactl-H-kunpeng920-2s4n.txt'), 'kunpeng');
    expect(f.diagnostics).toEqual([]);
    expect(f.distances?.values[1]).toEqual([12, 10, 22, 24]);
    expect(f.distances?.values[3]).toEqual([22, 24, 12, 10]);
  });

  it('a wrapped CPU list (mail or terminal) is joined back onto its node', () => {
    const text = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt').replace('13 14 60 61', '13 14\n60 61');
    const f = numactlFormat.parse(text, 'wrapped');
    expect(f.nodes[0].cpus?.length).toBe(30);
    expect(f.unknownLines).toBe(0);
  });

  it('CRLF line ends', () => {
    const f = numactlFormat.parse(readCorpus('pasted', 'numactl-H-kunpeng920-2s4n.txt').replace(/\n/g, '\r\n'), 'crlf');
    expect(f.diagnostics).toEqual([]);
    expect(f.nodes).toHaveLength(4);
  });

  it('a non-NUMA kernel', () => {
    const f = numactlFormat.parse('No NUMA available on this system\n', 'nonuma');
    expect(f.nodes).toEqual([]);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ severity: 'warning', line: 1 });
  });

  it('a cut-off paste names the missing nodes and the missing distance row', () => {
    const text = readCorpus('pasted', 'numactl-H-kunpeng920-2s4n.txt');
    const cut = text.slice(0, text.indexOf('  3:  22'));
    const f = numactlFormat.parse(cut, 'cut');
    expect(f.distances).toBeUndefined();
    expect(f.diagnostics.some((d) => d.severity === 'error' && /no row for node 3/.test(d.message))).toBe(true);
    const cut2 = text.slice(0, text.indexOf('node 2 cpus'));
    expect(numactlFormat.parse(cut2, 'cut2').diagnostics.some((d) => /nodes 2,3 are announced/.test(d.message))).toBe(true);
  });
});

describe('numactl -H robustness', () => {
  const other = readCorpus('libvirt-caps', 'virt-manager-kvm-x86_64.xml');
  it.each([
    ['empty', ''],
    ['garbage', 'hello\nworld\n'],
    ['binary', '\u0000\u0001\u0002ELF\u0000'],
    ['another format', other],
  ])('%s → an error, no throw', (_, text) => {
    const f = numactlFormat.parse(text, 'x');
    expect(f.nodes).toEqual([]);
    expect(f.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(numactlFormat.sniff(text)).toBe(0);
  });

  it('never throws on mutated corpus text', () => {
    const base = readCorpus('pasted', 'numactl-H-kunpeng920-2s4n.txt');
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 20 }), (a, b, insert) => {
        const text = base.slice(0, Math.min(a, b)) + insert + base.slice(Math.max(a, b));
        const f = numactlFormat.parse(text, 'm');
        expect(f.lines).toBeGreaterThanOrEqual(0);
        for (const d of f.diagnostics) if (d.line !== undefined) expect(d.line).toBeLessThanOrEqual(f.lines);
      }),
      { numRuns: 300 },
    );
  });

  it('4096 CPUs over 64 nodes parse fast', () => {
    const nodes = 64;
    const per = 64;
    let text = `available: ${nodes} nodes (0-${nodes - 1})\n`;
    for (let n = 0; n < nodes; n++) {
      text += `node ${n} cpus: ${Array.from({ length: per }, (_, i) => n * per + i).join(' ')}\nnode ${n} size: 1024 MB\nnode ${n} free: 512 MB\n`;
    }
    text += `node distances:\nnode ${Array.from({ length: nodes }, (_, i) => i).join(' ')}\n`;
    for (let n = 0; n < nodes; n++) text += `${n}: ${Array.from({ length: nodes }, (_, i) => (i === n ? 10 : 20)).join(' ')}\n`;
    const t0 = performance.now();
    const f = numactlFormat.parse(text, 'big');
    const ms = performance.now() - t0;
    expect(f.diagnostics).toEqual([]);
    expect(f.nodes.flatMap((n) => n.cpus ?? [])).toHaveLength(4096);
    expect(ms).toBeLessThan(200);
  });
});
