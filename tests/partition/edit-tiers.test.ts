/**
 * Resizing a guest that has memory-only cells (tiers.ts): set-vcpus, set-cells and set-memory on
 * corpus hosts with memory-only nodes, read through ingest — the heterogeneous-memory dump (HBM
 * nodes 4-7, hwloc v3 XML) and the fake KNL in SNC-4 hybrid mode (MCDRAM nodes 4-7, no SLIT).
 * A tier holds memory and never vCPUs: it keeps its node, binding and memory, follows the CPU
 * cells, and the CPU cells share what it does not hold. The XML of each result is judged by
 * Debian's virt-xml-validate and `virsh define` on the test driver, and read back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestCell, GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { validate } from '../../src/core/guest/validate.ts';
import type { Host } from '../../src/core/host/model.ts';
import { hostDistance } from '../../src/core/host/distance.ts';
import { guestDistanceRows } from '../../src/core/partition/distances.ts';
import { edit, solve, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { defineOnTestDriver, validateXml } from '../support/libvirt.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;


const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');

const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
const tiersOf = (layout: GuestLayout) => layout.cells.filter((c) => c.vcpus.length === 0);
const shape = (layout: GuestLayout) => layout.cells.map((c) => [c.id, c.vcpus.length, c.memoryKiB, c.hostNodes, c.memoryMode]);

function solved(host: Host, request: PartitionRequest): GuestLayout {
  const r = solve(host, request);
  expect(errors(r)).toEqual([]);
  expect(tiersOf(r.layout)).toHaveLength(1);
  return r.layout;
}

/** What every resize of a tiered guest keeps, checked against the host itself. */
function expectTiersKept(host: Host, before: GuestLayout, r: LayoutResult): void {
  expect(errors(r)).toEqual([]);
  const after = r.layout;
  const cpu = after.cells.filter((c) => c.vcpus.length > 0);
  // CPU cells first, then the tiers, ids in order
  expect(after.cells.map((c) => c.id)).toEqual(after.cells.map((_, i) => i));
  expect(after.cells.slice(0, cpu.length)).toEqual(cpu);
  // the tiers unchanged but for their id and distances
  const strip = (c: GuestCell) => ({ memoryKiB: c.memoryKiB, hostNodes: c.hostNodes, memoryMode: c.memoryMode, vcpus: c.vcpus });
  expect(tiersOf(after).map(strip)).toEqual(tiersOf(before).map(strip));
  // no vCPU on a memory-only node, every vCPU in a cell and pinned
  const kind = new Map(host.nodes.map((n) => [n.id, n.kind]));
  for (const c of cpu) for (const n of c.hostNodes) expect(kind.get(n)).not.toBe('memory-only');
  const nodeOfCpu = new Map(host.cpus.map((c) => [c.id, c.node]));
  for (const p of after.pins) for (const c of p.cpus) expect(kind.get(nodeOfCpu.get(c) as number)).not.toBe('memory-only');
  expect(cpu.flatMap((c) => c.vcpus).sort((a, b) => a - b)).toEqual(Array.from({ length: after.vcpus }, (_, v) => v));
  expect(after.pins.map((p) => p.vcpu)).toEqual(Array.from({ length: after.vcpus }, (_, v) => v));
  // memory exact, topology whole, distances the host's
  expect(after.cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(after.memoryKiB);
  const t = after.topology;
  expect(t.sockets * t.dies * t.clusters * t.cores * t.threads).toBe(after.vcpus);
  expect(after.cells.map((c) => c.distances)).toEqual(guestDistanceRows(after.cells.map((c) => c.hostNodes[0]), hostDistance(host)));
  expect(validate(after, host).filter((d) => d.severity === 'error')).toEqual([]);
}

describe('resizing a guest with a memory tier', () => {
  // HBM: 8 vCPUs floating on node 0 with 1 GiB, 2 GiB on HBM node 7
  const hbm = () => solved(heteromem, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 3 * GiB, mode: 'node', tierMemoryKiB: 2 * GiB });
  // KNL: 16 vCPUs pinned over DRAM nodes 0-1, 1 GiB on MCDRAM node 4 (attached next to node 0)
  const mcdram = () => solved(knl, { ...TALK_REQUEST, vcpus: 16, memoryKiB: 2 * GiB, mode: 'host', nodeset: '0-1,4-5', tierMemoryKiB: GiB });

  it('HBM: set-vcpus grows the CPU cell and leaves the tier alone', () => {
    const before = hbm();
    expect(shape(before)).toEqual([
      [0, 8, GiB, [0], 'strict'],
      [1, 0, 2 * GiB, [7], 'strict'],
    ]);
    const r = edit(heteromem, before, { kind: 'set-vcpus', vcpus: 16 }, NO_OCCUPANCY);
    expectTiersKept(heteromem, before, r);
    expect(shape(r.layout)).toEqual([
      [0, 16, GiB, [0], 'strict'],
      [1, 0, 2 * GiB, [7], 'strict'],
    ]);
  });

  it('HBM: set-cells counts CPU cells — two slices of node 0, the tier becomes cell 2', () => {
    const before = hbm();
    const r = edit(heteromem, before, { kind: 'set-cells', cells: 2 }, NO_OCCUPANCY);
    expectTiersKept(heteromem, before, r);
    expect(shape(r.layout)).toEqual([
      [0, 4, GiB / 2, [0], 'strict'],
      [1, 4, GiB / 2, [0], 'strict'],
      [2, 0, 2 * GiB, [7], 'strict'],
    ]);
    expect(r.layout.cells[2].distances).toEqual([20, 20, 10]);
  });

  it('HBM: set-memory resizes the CPU cells around the tier, and refuses a size the tier alone would fill', () => {
    const before = hbm();
    // Node 0 holds 1 GiB: the CPU cell shrinks to half of it, the tier keeps its 2 GiB.
    const r = edit(heteromem, before, { kind: 'set-memory', memoryKiB: (5 * GiB) / 2 }, NO_OCCUPANCY);
    expectTiersKept(heteromem, before, r);
    expect(shape(r.layout)).toEqual([
      [0, 8, GiB / 2, [0], 'strict'],
      [1, 0, 2 * GiB, [7], 'strict'],
    ]);
    const refused = edit(heteromem, before, { kind: 'set-memory', memoryKiB: 2 * GiB }, NO_OCCUPANCY);
    expect(refused.layout).toBe(before);
    expect(errors(refused)).toEqual(["2097152 KiB leaves 0 KiB for 1 CPU cells once the memory-only cells' 2097152 KiB is counted"]);
  });

  it('KNL SNC-4: CPU cells re-derived over the DRAM nodes the guest chose, the MCDRAM tier follows them', () => {
    const before = mcdram();
    expect(shape(before)).toEqual([
      [0, 8, GiB / 2, [0], 'strict'],
      [1, 8, GiB / 2, [1], 'strict'],
      [2, 0, GiB, [4], 'strict'],
    ]);
    const four = edit(knl, before, { kind: 'set-cells', cells: 4 }, NO_OCCUPANCY);
    expectTiersKept(knl, before, four);
    expect(shape(four.layout)).toEqual([
      [0, 4, GiB / 4, [0], 'strict'],
      [1, 4, GiB / 4, [0], 'strict'],
      [2, 4, GiB / 4, [1], 'strict'],
      [3, 4, GiB / 4, [1], 'strict'],
      [4, 0, GiB, [4], 'strict'],
    ]);
    const one = edit(knl, before, { kind: 'set-cells', cells: 1 }, NO_OCCUPANCY);
    expectTiersKept(knl, before, one);
    expect(shape(one.layout)).toEqual([
      [0, 16, GiB, [0, 1], 'interleave'],
      [1, 0, GiB, [4], 'strict'],
    ]);
    const more = edit(knl, before, { kind: 'set-vcpus', vcpus: 32 }, NO_OCCUPANCY);
    expectTiersKept(knl, before, more);
    expect(more.layout.topology).toEqual({ sockets: 2, dies: 1, clusters: 1, cores: 4, threads: 4 });
    expect(shape(more.layout).map(([id, vcpus]) => [id, vcpus])).toEqual([
      [0, 16],
      [1, 16],
      [2, 0],
    ]);
  });

  it('a guest opened from XML with a CPU-less cell on a DRAM node resizes the same way: any cell without vCPUs is memory only', () => {
    const before = mcdram();
    const onDram: GuestLayout = { ...before, cells: before.cells.map((c) => (c.vcpus.length === 0 ? { ...c, hostNodes: [3] } : c)) };
    const r = edit(knl, onDram, { kind: 'set-cells', cells: 2 }, NO_OCCUPANCY);
    expectTiersKept(knl, onDram, r);
    expect(r.layout.cells[2].hostNodes).toEqual([3]);
  });
});

describe('resized tiered layouts in libvirt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'numascope-edit-tiers-'));
  let serial = 0;
  const cases: [string, Host, () => GuestLayout, EditOp][] = [
    ['HBM, set-cells 2', heteromem, () => solved(heteromem, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 3 * GiB, mode: 'node', tierMemoryKiB: 2 * GiB }), { kind: 'set-cells', cells: 2 }],
    ['HBM, set-memory 2.5 GiB', heteromem, () => solved(heteromem, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 3 * GiB, mode: 'node', tierMemoryKiB: 2 * GiB }), { kind: 'set-memory', memoryKiB: (5 * GiB) / 2 }],
    ['KNL, set-cells 4', knl, () => solved(knl, { ...TALK_REQUEST, vcpus: 16, memoryKiB: 2 * GiB, mode: 'host', nodeset: '0-1,4-5', tierMemoryKiB: GiB }), { kind: 'set-cells', cells: 4 }],
    ['KNL, set-vcpus 32', knl, () => solved(knl, { ...TALK_REQUEST, vcpus: 16, memoryKiB: 2 * GiB, mode: 'host', nodeset: '0-1,4-5', tierMemoryKiB: GiB }), { kind: 'set-vcpus', vcpus: 32 }],
  ];

  it.each(cases)('%s: virt-xml-validate and virsh define accept it, the tier is a CPU-less cell bound to its node, and it reads back the same', (_, host, make, op) => {
    const before = make();
    const r = edit(host, before, op, NO_OCCUPANCY);
    expect(errors(r)).toEqual([]);
    const w = writeLayout(null, r.layout, { name: 'numascope-edit-tiers' });
    expect(w.diagnostics).toEqual([]);
    const tier = r.layout.cells.find((c) => c.vcpus.length === 0) as GuestCell;
    expect(w.text).toMatch(new RegExp(`<cell id='${tier.id}' memory='${tier.memoryKiB}' unit='KiB'/?>`));
    expect(w.text).toContain(`<memnode cellid='${tier.id}' mode='strict' nodeset='${tier.hostNodes[0]}'/>`);
    const path = join(dir, `resized-${serial++}.xml`);
    writeFileSync(path, w.text);
    const checked = validateXml(path);
    expect(checked.ok, `${checked.message}\n${w.text}`).toBe(true);
    const defined = defineOnTestDriver(w.text);
    expect(defined.ok, defined.stderr).toBe(true);
    expect(defined.stdout).toMatch(/Domain 'numascope-edit-tiers' defined/);
    const back = readLayout(parseDomainDocument(w.text));
    expect(back.diagnostics).toEqual([]);
    expect(back.layout).toEqual(r.layout);
  });
});
