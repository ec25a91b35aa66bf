/**
 * Memory tiers (src/core/partition/tiers.ts) on corpus hosts with memory-only nodes, read through
 * ingest: KNL-like HBM/MCDRAM nodes without a SLIT, the HP Superdome's CPU-less 17th node with
 * one, and the 2-socket CXL preset. The written XML of tiered layouts is judged by Debian's
 * virt-xml-validate and `virsh define` on the test driver, and read back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { affinityMap } from '../../src/core/emit/affinity.ts';
import { guestNumactl } from '../../src/core/emit/guest-view.ts';
import { qemuArgs } from '../../src/core/emit/qemu.ts';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { validate } from '../../src/core/guest/validate.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { occupancyOf, solve } from '../../src/core/partition/index.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';
import { defineOnTestDriver, validateXml } from '../support/libvirt.ts';

const GiB = 1 << 20;


const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const superdome = corpusHost('hwloc-linux/128ia64-17n4s2c.lstopo.xml');
const hmat = corpusHost('libvirt-caps/vircaps-x86_64-hmat.xml');
const cxlPreset = SYNTHETIC_PRESETS.find((p) => p.id === 'cxl-2s');
if (!cxlPreset) throw new Error('the cxl-2s synthetic preset is gone');
const cxl = ingest([{ name: 'cxl-2s', text: syntheticPaste(cxlPreset) }]).host;

const nodeOf = (host: Host, id: number) => host.nodes.find((n) => n.id === id);
const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error');
const warnings = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);

/** What a tiered layout keeps, checked against the host directly. */
function expectTiered(host: Host, request: PartitionRequest, r: LayoutResult): void {
  expect(errors(r)).toEqual([]);
  const { cells, pins } = r.layout;
  expect(cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(request.memoryKiB);
  expect(r.layout.memoryKiB).toBe(request.memoryKiB);
  expect(cells.map((c) => c.id)).toEqual(cells.map((_, i) => i));
  const cpuCells = cells.filter((c) => c.vcpus.length > 0);
  const tierCells = cells.filter((c) => c.vcpus.length === 0);
  // CPU cells first, tiers after; a tier is one memory-only node, strictly bound.
  expect(cells.slice(0, cpuCells.length)).toEqual(cpuCells);
  for (const c of cpuCells) for (const n of c.hostNodes) expect(nodeOf(host, n)?.kind).not.toBe('memory-only');
  for (const t of tierCells) {
    expect(t.hostNodes).toHaveLength(1);
    expect(nodeOf(host, t.hostNodes[0])?.kind).toBe('memory-only');
    expect(t.memoryMode).toBe('strict');
    expect(t.memoryKiB % (request.hugepageSizeKiB ?? 1024)).toBe(0);
  }
  expect(new Set(tierCells.map((t) => t.hostNodes[0])).size).toBe(tierCells.length);
  // No pin ever lands on a memory-only node, and every vCPU is pinned.
  const cpuNode = new Map(host.cpus.map((c) => [c.id, c.node]));
  for (const p of pins) for (const cpu of p.cpus) expect(nodeOf(host, cpuNode.get(cpu) as number)?.kind).not.toBe('memory-only');
  expect(pins.map((p) => p.vcpu)).toEqual(Array.from({ length: request.vcpus }, (_, v) => v));
  // Distances: the host's between the cells' nodes, 10 on the diagonal.
  const index = new Map(host.nodes.map((n, i) => [n.id, i]));
  for (const a of cells)
    for (const b of cells) {
      const [x, y] = [a.hostNodes[0], b.hostNodes[0]];
      const hostD = host.distances.length > 0 ? host.distances[index.get(x) as number][index.get(y) as number] : 20;
      expect(a.distances[b.id]).toBe(a.id === b.id ? 10 : x === y ? 11 : hostD);
    }
  // libvirt's rules, with the host: a CPU-less cell is legal.
  expect(validate(r.layout, host).filter((d) => d.severity === 'error')).toEqual([]);
}

/** Nothing at all to say about a layout, beyond notes. */
function expectQuiet(host: Host, r: LayoutResult): void {
  expect(validate(r.layout, host).filter((d) => d.severity !== 'info')).toEqual([]);
}

describe('explicit tier memory (tierMemoryKiB)', () => {
  it('HBM host without a SLIT: the CPU cell keeps the rest, the tier is the HBM hwloc attaches next to its node', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 8, memoryKiB: 3 * GiB, mode: 'node', tierMemoryKiB: 2 * GiB };
    const r = solve(heteromem, request);
    expectTiered(heteromem, request, r);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes])).toEqual([
      [8, GiB, [0]],
      [0, 2 * GiB, [7]],
    ]);
    expect(r.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 2, threads: 4 });
    expectQuiet(heteromem, r);
    expect(warnings(r)).toEqual([]);
    expect(r.score.distanceCost).toBe(0);
    expect(r.score.nodes).toBe(2);
    expect(r.explanation).toContain('2 GiB on memory-only node 7, as the request asks (nearest first)');
    expect(r.explanation).toContain('cell 1 (memory only, 2 GiB on HBM node 7): 20 from cell 0; attached next to the CPUs of cell 0');
  });

  it('Superdome: the CPU-less node 16 sits 14 from every CPU node, and only CPU cells count in the cost', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 8, memoryKiB: 64 * GiB, tierMemoryKiB: 512 << 10, nodeset: '0,1,16' };
    const r = solve(superdome, request);
    expectTiered(superdome, request, r);
    expect(r.layout.cells.map((c) => [c.vcpus, c.memoryKiB, c.hostNodes, c.distances])).toEqual([
      [[0, 1, 2, 3], 33292288, [0], [10, 17, 14]],
      [[4, 5, 6, 7], 33292288, [1], [17, 10, 14]],
      [[], 512 << 10, [16], [14, 14, 10]],
    ]);
    // 4·4/8 · (17 − 10): the tier cell adds nothing.
    expect(r.score.distanceCost).toBe(14);
    expectQuiet(superdome, r);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["host node 16 is memory-only: it can hold the guest's memory as a CPU-less cell, never its vCPUs"]);
    expect(r.explanation).toContain('cell 2 (memory only, 512 MiB on memory-only node 16): 14 from cells 0-1');
  });

  it('CXL preset: the tier nearest the guest\'s CPU nodes wins, and its distance to each cell is explained', () => {
    // The nodeset names CPU node 1 and both memory-only nodes; node 3 is 14 from node 1, node 2 is 24.
    const one: PartitionRequest = { ...TALK_REQUEST, vcpus: 8, memoryKiB: 96 * GiB, mode: 'node', nodeset: '1-3', tierMemoryKiB: 64 * GiB };
    const near = solve(cxl, one);
    expectTiered(cxl, one, near);
    expectQuiet(cxl, near);
    expect(near.layout.cells.map((c) => c.hostNodes)).toEqual([[1], [3]]);
    expect(near.explanation).toContain('cell 1 (memory only, 64 GiB on memory-only node 3): 14 from cell 0; attached next to the CPUs of cell 0');

    const two: PartitionRequest = { ...TALK_REQUEST, vcpus: 16, memoryKiB: 96 * GiB, tierMemoryKiB: 64 * GiB };
    const both = solve(cxl, two);
    expectTiered(cxl, two, both);
    // Nodes 2 and 3 are both 14 + 24 from {0, 1}, each beside one of them, and equally free: the lower id.
    expect(both.layout.cells.map((c) => [c.memoryKiB, c.hostNodes])).toEqual([
      [16 * GiB, [0]],
      [16 * GiB, [1]],
      [64 * GiB, [2]],
    ]);
    expect(both.explanation).toContain('cell 2 (memory only, 64 GiB on memory-only node 2): 14 from cell 0, 24 from cell 1; attached next to the CPUs of cell 0');
  });

  it('a tier larger than the memory-only nodes is refused with the shortfall', () => {
    const r = solve(heteromem, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 9 * GiB + 512 * 1024, mode: 'node', tierMemoryKiB: 9 * GiB });
    expect(errors(r).map((d) => d.message)).toEqual(['cannot place 9 GiB on memory-only nodes 4-7: they have 8 GiB free, 1 GiB short']);
    expect(r.layout.cells).toEqual([]);
  });

  it('tier memory without a memory-only node, or not in whole pages, is refused', () => {
    const talk = talkHost();
    expect(errors(solve(talk, { ...TALK_REQUEST, tierMemoryKiB: GiB })).map((d) => d.message)).toEqual([
      '1 GiB of tier memory asked, but the host has no memory-only node',
    ]);
    expect(errors(solve(heteromem, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 2 * GiB, nodeset: '0', tierMemoryKiB: GiB })).map((d) => d.message)).toEqual([
      "1 GiB of tier memory asked, but nodeset '0' names no memory-only node",
    ]);
    expect(errors(solve(heteromem, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 2 * GiB, tierMemoryKiB: 1000 })).map((d) => d.message)).toEqual([
      '1000 KiB of tier memory is not a whole number of 1 MiB',
    ]);
    expect(errors(solve(heteromem, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 2 * GiB, tierMemoryKiB: 2 * GiB })).map((d) => d.message)).toEqual([
      "tier memory must be a whole number of KiB below the guest's 2 GiB, not 2097152",
    ]);
  });
});

describe('automatic overflow', () => {
  it('memory the CPU nodes lack goes to the nearest tiers, with a warning, rather than failing', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 8, memoryKiB: 6 * GiB, mode: 'node' };
    const r = solve(knl, request);
    expectTiered(knl, request, r);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes])).toEqual([
      [8, GiB, [0]],
      [0, 2 * GiB, [7]],
      [0, 2 * GiB, [4]],
      [0, GiB, [5]],
    ]);
    expect(warnings(r)).toEqual(['node 0 lacks the free memory for 6 GiB: 5 GiB of it overflows to memory-only nodes 4-5,7']);
    expect(r.explanation).toContain('cell 1 (memory only, 2 GiB on MCDRAM node 7): 20 from cell 0; attached next to the CPUs of cell 0');
    expect(r.explanation).toContain('cell 3 (memory only, 1 GiB on MCDRAM node 5): 20 from cell 0');
  });

  it('mode host over every CPU node: each cell keeps what its node has, the rest overflows', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 16, memoryKiB: 10 * GiB };
    const r = solve(heteromem, request);
    expectTiered(heteromem, request, r);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes])).toEqual([
      [4, GiB, [0]],
      [4, GiB, [1]],
      [4, GiB, [2]],
      [4, GiB, [3]],
      [0, 2 * GiB, [4]],
      [0, 2 * GiB, [5]],
      [0, 2 * GiB, [6]],
    ]);
    expect(r.layout.topology.sockets).toBe(4);
    expect(warnings(r)).toEqual(['nodes 0-3 lack the free memory for 10 GiB: 6 GiB of it overflows to memory-only nodes 4-6']);
  });

  it('hugepage-backed guests overflow in whole pages, and the tier is backed by the same pages', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 3 * GiB, mode: 'node', hugepageSizeKiB: 2048 };
    const r = solve(hmat, request);
    expectTiered(hmat, request, r);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes, c.hugepageSizeKiB])).toEqual([
      [4, GiB, [0], 2048],
      [0, 2 * GiB, [1], 2048],
    ]);
    expect(warnings(r)).toEqual(['node 0 lacks the free memory for 3 GiB: 2 GiB of it overflows to memory-only node 1']);
  });

  it('a second guest sees what the first one took from the tiers', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 5 * GiB, mode: 'node' };
    const first = solve(heteromem, request);
    expectTiered(heteromem, request, first);
    const second = solve(heteromem, request, occupancyOf([{ name: 'first', layout: first.layout }]));
    expectTiered(heteromem, request, second);
    const tiersOf = (r: LayoutResult) => r.layout.cells.filter((c) => c.vcpus.length === 0).map((c) => [c.hostNodes[0], c.memoryKiB]);
    // Node 0's own HBM (7) first; node 1's (4) is then gone for the guest on node 1.
    expect(tiersOf(first)).toEqual([[7, 2 * GiB], [4, 2 * GiB]]);
    expect(second.layout.cells[0].hostNodes).toEqual([1]);
    expect(tiersOf(second)).toEqual([[5, 2 * GiB], [6, 2 * GiB]]);
  });

  it('a guest that does not fit even with the tiers gets an error naming the shortfall', () => {
    const r = solve(heteromem, { ...TALK_REQUEST, vcpus: 16, memoryKiB: 14 * GiB });
    expect(errors(r).map((d) => d.message)).toEqual(['cannot place 16 vCPUs and 14 GiB: nodes 0-3 have 4 GiB free and memory-only nodes 4-7 8 GiB, 2 GiB short']);
    expect(r.layout.cells).toEqual([]);
  });

  it('a host without memory-only nodes still fails as before', () => {
    const talk = talkHost();
    const r = solve(talk, { ...TALK_REQUEST, memoryKiB: 4096 * GiB });
    expect(errors(r).map((d) => d.message)[0]).toMatch(/^cannot place 16 vCPUs and 4 TiB: node 0 has .* free for /);
  });
});

describe('tiered layouts in libvirt and QEMU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'numascope-tiers-'));
  let serial = 0;
  const save = (text: string) => {
    const path = join(dir, `tiered-${serial++}.xml`);
    writeFileSync(path, text);
    return path;
  };
  const tiered: [string, () => GuestLayout][] = [
    ['HBM overflow, mode host', () => solve(heteromem, { ...TALK_REQUEST, vcpus: 16, memoryKiB: 10 * GiB }).layout],
    ['Superdome, explicit tier', () => solve(superdome, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 64 * GiB, tierMemoryKiB: 512 << 10, nodeset: '0,1,16' }).layout],
    ['HMAT capabilities, 2 MiB pages', () => solve(hmat, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 3 * GiB, mode: 'node', hugepageSizeKiB: 2048 }).layout],
    ['CXL, floating, one cell', () => solve(cxl, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 96 * GiB, mode: 'node', nodeset: '1-3', tierMemoryKiB: 64 * GiB }).layout],
  ];

  it.each(tiered)('%s: virt-xml-validate and virsh define accept it, and it reads back the same', (_, make) => {
    const layout = make();
    expect(layout.cells.some((c) => c.vcpus.length === 0)).toBe(true);
    const w = writeLayout(null, layout, { name: 'numascope-tiers' });
    expect(w.diagnostics).toEqual([]);
    const checked = validateXml(save(w.text));
    expect(checked.ok, `${checked.message}\n${w.text}`).toBe(true);
    const defined = defineOnTestDriver(w.text);
    expect(defined.ok, defined.stderr).toBe(true);
    expect(defined.stdout).toMatch(/Domain 'numascope-tiers' defined/);
    const back = readLayout(parseDomainDocument(w.text));
    expect(back.diagnostics).toEqual([]);
    expect(back.layout).toEqual(layout);
  });

  it('the memory-only cell is written without cpus, bound strictly to its node', () => {
    const layout = tiered[1][1]();
    const text = writeLayout(null, layout).text;
    expect(text).toMatch(/<cell id='2' memory='524288' unit='KiB'>/);
    expect(text).toContain("<memnode cellid='2' mode='strict' nodeset='16'/>");
    expect(text).toContain("<memory mode='strict' nodeset='0-1,16'/>");
  });

  it('QEMU gets a -numa node with a memdev and no cpus for the tier', () => {
    const layout = tiered[1][1]();
    const numa = qemuArgs(layout).filter((a) => a.flag === '-numa').map((a) => a.value);
    expect(numa).toContain('node,nodeid=2,memdev=ram-node2');
    expect(numa).toContain('node,nodeid=0,cpus=0-3,memdev=ram-node0');
    expect(numa).toContain('dist,src=2,dst=0,val=14');
  });

  it('the affinity map shows the tier\'s memory and no vCPU for it; the guest sees a node without CPUs', () => {
    const layout = tiered[1][1]();
    const map = affinityMap(superdome, layout);
    expect(map.memory).toContainEqual({ cell: 2, node: 16, kib: 512 << 10 });
    expect(map.rows.every((row) => row.cell !== 2 && !row.cpuNodes.includes(16))).toBe(true);
    expect(guestNumactl(layout)).toContain('node 2 cpus:\nnode 2 size: 512 MB\n');
  });

  it('validate() accepts the CPU-less cell and still flags what is wrong around it', () => {
    const layout = tiered[1][1]();
    expect(validate(layout, superdome).filter((d) => d.severity !== 'info')).toEqual([]);
    const broken: GuestLayout = structuredClone(layout);
    broken.cells[2].vcpus = [3];
    broken.cells[2].distances[0] = 10;
    broken.cells[2].memoryKiB += 1024;
    const messages = validate(broken, superdome).map((d) => d.message);
    expect(messages).toContain('NUMA cells 2 and 0 have overlapping vCPU ids');
    expect(messages).toContain("'value 10' is invalid for 'sibling id 0' under NUMA 'cell id 2'");
    expect(messages).toContain("<memory> is 67108864 KiB but the NUMA cells hold 67109888 KiB; libvirt replaces <memory> with the cells' sum");
  });
});

describe('random requests on hosts with memory-only nodes', () => {
  const hosts: [string, Host][] = [['heteromem', heteromem], ['fakeKNL', knl], ['Superdome', superdome], ['CXL preset', cxl]];
  const requestArb = fc
    .record({
      host: fc.integer({ min: 0, max: hosts.length - 1 }),
      vcpus: fc.constantFrom(1, 2, 4, 6, 8, 16),
      // Of the host's whole memory: small guests, guests too big for their CPU nodes, and too big for the host.
      share: fc.integer({ min: 1, max: 110 }),
      tierShare: fc.constantFrom(0, 0, 0.25, 0.5),
      mode: fc.constantFrom('host' as const, 'node' as const),
      pinning: fc.constantFrom('1:1' as const, 'node-float' as const),
      cells: fc.option(fc.constantFrom(1, 2, 4), { nil: undefined }),
      distribution: fc.constantFrom('contiguous' as const, 'siblings' as const, 'round-robin' as const),
    })
    .map((r) => {
      const total = hosts[r.host][1].nodes.reduce((sum, n) => sum + (n.memoryKiB ?? 0), 0);
      const memoryKiB = Math.max(64, Math.floor((total * r.share) / 100 / 1024)) * 1024;
      const request: PartitionRequest = { ...TALK_REQUEST, vcpus: r.vcpus, memoryKiB, mode: r.mode, pinning: r.pinning, distribution: r.distribution };
      if (r.cells !== undefined) request.cells = r.cells;
      const tier = Math.floor((memoryKiB * r.tierShare) / 1024) * 1024;
      if (tier > 0) request.tierMemoryKiB = tier;
      return { host: hosts[r.host], request };
    });

  it('memory sums exactly, no pin lands on a memory-only node, and the answer repeats', () => {
    const seen = { explicit: 0, overflow: 0, refused: 0 };
    fc.assert(
      fc.property(requestArb, ({ host: [, host], request }) => {
        const r = solve(host, request);
        expect(JSON.stringify(solve(host, request))).toBe(JSON.stringify(r));
        if (errors(r).length > 0) {
          expect(r.layout.cells).toEqual([]);
          seen.refused++;
          return;
        }
        expectTiered(host, request, r);
        const tiers = r.layout.cells.filter((c) => c.vcpus.length === 0);
        const overflow = warnings(r).some((w) => w.includes('overflows to memory-only'));
        // A tier appears only when asked for, or with the overflow warning.
        if (request.tierMemoryKiB === undefined) expect(tiers.length > 0).toBe(overflow);
        else expect(tiers.length).toBeGreaterThan(0);
        if (overflow) seen.overflow++;
        else if (tiers.length > 0) seen.explicit++;
      }),
      { numRuns: 150, seed: 20260517 },
    );
    // The runs reach every path: explicit tiers, overflow, and refusals.
    expect(Math.min(seen.explicit, seen.overflow, seen.refused)).toBeGreaterThanOrEqual(10);
  });
});
