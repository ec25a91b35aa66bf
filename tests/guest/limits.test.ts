/**
 * Numbers past what libvirt and QEMU take (src/core/guest/limits.ts) are refused with a
 * diagnostic when read and when written, and memory sizes stay exact: KiB counts are integers
 * up to libvirt's LLONG_MAX bytes, never rounded through a float.
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { parseBitmap } from '../../src/core/domain-xml/bitmap.ts';
import { CPUMASK_LEN, MAX_CELLS, MAX_VCPUS } from '../../src/core/guest/limits.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';

const domain = (body: string) => `<domain type='kvm'>\n  <name>limits</name>\n${body}\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n</domain>\n`;
const read = (text: string) => readLayout(parseDomainDocument(text));
const errors = (text: string) => read(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('vCPUs', () => {
  it('a count past an unsigned int is libvirt\'s "must be an integer"', () => {
    expect(errors(domain("  <memory unit='KiB'>1048576</memory>\n  <vcpu>99999999999999999999</vcpu>"))).toContainEqual(expect.stringMatching(/^maximum vcpus count must be an integer/));
    expect(errors(domain("  <memory unit='KiB'>1048576</memory>\n  <vcpu>4294967296</vcpu>"))).toContainEqual(expect.stringMatching(/^maximum vcpus count must be an integer/));
  });

  it(`a count past QEMU's ${MAX_VCPUS} is refused; ${MAX_VCPUS} reads`, () => {
    expect(errors(domain(`  <memory unit='KiB'>1048576</memory>\n  <vcpu>${MAX_VCPUS + 1}</vcpu>`))).toContainEqual(expect.stringMatching(/^Maximum CPUs greater than specified machine type limit 4096/));
    const r = read(domain(`  <memory unit='KiB'>1048576</memory>\n  <vcpu>${MAX_VCPUS}</vcpu>`));
    expect(r.diagnostics).toEqual([]);
    expect(r.layout!.vcpus).toBe(MAX_VCPUS);
  });
});

describe('memory is exact up to libvirt\'s limit and refused past it', () => {
  const memoryOf = (value: string, unit: string) => read(domain(`  <memory unit='${unit}'>${value}</memory>\n  <vcpu>1</vcpu>`));
  it.each([
    ['9007199254740991', 'KiB', 9007199254740991],
    ['8589934591', 'GiB', 8589934591 * 1048576],
    ['7', 'PiB', 7 * 1024 ** 4],
    ['1025', 'b', 2],
    ['1', 'MB', 977],
    ['1', 'KB', 1],
    ['3', 'k', 3],
  ])('%s %s reads as exactly %d KiB', (value, unit, kib) => {
    const r = memoryOf(value, unit);
    expect(r.diagnostics).toEqual([]);
    expect(r.layout!.memoryKiB).toBe(kib);
  });

  it.each([
    ['9007199254740992', 'KiB'],
    ['8', 'EiB'],
    ['16', 'EiB'],
    ['18014398509482984448', 'KiB'], // 16 EiB + 1 MiB
    ['99999999999999999999999999', 'b'],
  ])('%s %s is refused as too large', (value, unit) => {
    expect(memoryOf(value, unit).diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: `value too large: ${value}${unit}` }));
  });

  it('a cell past the limit is refused at read time too', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace("memory='20002' unit='KiB'", "memory='9007199254740992' unit='KiB'");
    expect(errors(text)).toContainEqual('value too large: 9007199254740992KiB');
  });

  it('+1 MiB on a huge memory writes the exact number, in the document\'s unit when it is whole, else in KiB', () => {
    for (const [value, unit, want] of [
      ['9007199254739967', 'KiB', "<memory unit='KiB'>9007199254740991</memory>"],
      ['8589934591', 'GiB', "<memory unit='KiB'>9007199253693440</memory>"],
      ['8796093022206', 'MiB', "<memory unit='MiB'>8796093022207</memory>"],
    ] as const) {
      const text = domain(`  <memory unit='${unit}'>${value}</memory>\n  <vcpu>1</vcpu>`);
      const r = read(text);
      expect(r.diagnostics).toEqual([]);
      const w = writeLayout(parseDomainDocument(text), { ...r.layout!, memoryKiB: r.layout!.memoryKiB + 1024 });
      expect(w.diagnostics).toEqual([]);
      expect(w.text).toContain(want);
      expect(read(w.text).layout!.memoryKiB).toBe(r.layout!.memoryKiB + 1024);
    }
  });

  it('+1 MiB past the limit is refused, the document unchanged, never rounded', () => {
    const text = domain("  <memory unit='KiB'>9007199254740000</memory>\n  <vcpu>1</vcpu>");
    const r = read(text);
    const w = writeLayout(parseDomainDocument(text), { ...r.layout!, memoryKiB: r.layout!.memoryKiB + 1024 });
    expect(w.text).toBe(text);
    expect(w.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^not written: memory past/) }));
  });

  it('cells whose sum passes the limit are refused', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
    const layout = read(text).layout!;
    const half = 2 ** 52;
    const w = writeLayout(parseDomainDocument(text), { ...layout, cells: layout.cells.map((c) => ({ ...c, memoryKiB: half })) });
    expect(w.text).toBe(text);
    expect(w.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/^not written: memory past/));
  });
});

describe('ids and counts', () => {
  const cellsXml = (n: number) =>
    domain(`  <vcpu>${n}</vcpu>\n  <cpu>\n    <numa>\n${Array.from({ length: n }, (_, i) => `      <cell id='${i}' cpus='${i}' memory='1024' unit='KiB'/>`).join('\n')}\n    </numa>\n  </cpu>`);

  it(`more than QEMU's ${MAX_CELLS} guest NUMA nodes is one error, and no cells are read`, () => {
    const r = read(cellsXml(MAX_CELLS + 1));
    expect(r.diagnostics.filter((d) => /Max number of NUMA nodes/.test(d.message))).toHaveLength(1);
    expect(r.layout!.cells).toEqual([]);
    expect(read(cellsXml(MAX_CELLS)).diagnostics).toEqual([]);
  });

  it('a domain with 10,000 cells is refused without building their distance matrix', () => {
    const r = read(cellsXml(10000).replace('<vcpu>10000</vcpu>', '<vcpu>4096</vcpu>'));
    expect(r.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/^Max number of NUMA nodes reached: 10000 cells/));
  });

  it(`host CPU and node ids must be below libvirt's VIR_DOMAIN_CPUMASK_LEN (${CPUMASK_LEN})`, () => {
    const pinned = (cpuset: string) => domain(`  <memory unit='KiB'>1048576</memory>\n  <vcpu>1</vcpu>\n  <cputune>\n    <vcpupin vcpu='0' cpuset='${cpuset}'/>\n  </cputune>`);
    expect(errors(pinned(String(CPUMASK_LEN)))).toContainEqual(expect.stringMatching(/^Failed to parse bitmap '16384'/));
    expect(errors(pinned(String(CPUMASK_LEN - 1)))).toEqual([]);
    const nodes = (nodeset: string) => domain(`  <memory unit='KiB'>1048576</memory>\n  <vcpu>1</vcpu>\n  <numatune>\n    <memory nodeset='${nodeset}'/>\n  </numatune>`);
    expect(errors(nodes('0-1048575'))).toContainEqual(expect.stringMatching(/^Failed to parse bitmap '0-1048575'/));
  });

  it('a 10 KB list of 1,000 ranges is read without expanding them a thousand times over', () => {
    const wide = Array.from({ length: 1000 }, () => '0-16383').join(',');
    const r = parseBitmap(wide);
    expect(r.ok && r.ids.length).toBe(CPUMASK_LEN);
    const past = parseBitmap(Array.from({ length: 1000 }, () => '0-1048575').join(','));
    expect(past.ok).toBe(false);
  });

  it('libvirt bitmap syntax: ranges, exclusions, spaces; no strides, no empty terms', () => {
    expect(parseBitmap(' 0-3 , ^2, 8 ')).toEqual({ ok: true, ids: [0, 1, 3, 8] });
    expect(parseBitmap('')).toEqual({ ok: true, ids: [] });
    for (const bad of ['0-3,', '^1-2', '3-1', '0-7:2', 'x', '-1']) expect(parseBitmap(bad).ok, bad).toBe(false);
  });
});

describe('the writer refuses a layout past the limits', () => {
  const base: GuestLayout = { vcpus: 2, topology: { sockets: 2, dies: 1, clusters: 1, cores: 1, threads: 1 }, cells: [], pins: [], emulatorpin: [], iothreadpins: [], memoryKiB: 1048576, devices: [] };
  it.each([
    ['1e15 vCPUs', { ...base, vcpus: 1e15 }, /vCPUs; QEMU takes 1 to 4096/],
    ['memory 1e300', { ...base, memoryKiB: 1e300 }, /memory past/],
    ['fractional memory', { ...base, memoryKiB: 1.5 }, /not a whole number/],
    ['a pin on CPU 16384', { ...base, pins: [{ vcpu: 0, cpus: [CPUMASK_LEN] }] }, /host CPU id past/],
    ['a pin of vCPU 5', { ...base, pins: [{ vcpu: 5, cpus: [1] }] }, /vCPU id past/],
  ] as [string, GuestLayout, RegExp][])('%s', (_, layout, message) => {
    const w = writeLayout(null, layout);
    expect(w.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(message) }));
  });
});
