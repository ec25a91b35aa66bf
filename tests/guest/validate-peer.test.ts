/**
 * Peer check: libvirt's own parser and validator (virsh define on the test driver, which runs the
 * generic domain code) must reject exactly the layouts validate() flags as errors, with our text.
 * Each case's domain XML is written by hand, as a person would write it.
 * Not peer-checked, because only the QEMU driver enforces them: topology vs <vcpu>, >255 vCPUs
 * without q35+EIM, host node availability, page sizes, pins to offline CPUs.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { validate } from '../../src/core/guest/validate.ts';
import { talkExample1 } from '../support/golden.ts';
import { defineOnTestDriver } from '../support/libvirt.ts';

function domain(vcpus: number, cpu: string, extra = ''): string {
  return `<domain type='test'>
  <name>peer</name>
  <memory unit='KiB'>33554432</memory>
  <vcpu placement='static'>${vcpus}</vcpu>
  ${extra}
  <os><type arch='x86_64'>hvm</type></os>
  <cpu>${cpu}</cpu>
</domain>
`;
}

/** The golden layout's <numa> with one cell's attributes or distances replaced. */
function cells(override: Partial<Record<number, string>> = {}): string {
  const row = (i: number) =>
    [0, 1, 2, 3].map((j) => `<sibling id='${j}' value='${i === j ? 10 : 21}'/>`).join('');
  const cell = (i: number) =>
    override[i] ?? `<cell id='${i}' cpus='${4 * i}-${4 * i + 3}' memory='8388608' unit='KiB'><distances>${row(i)}</distances></cell>`;
  return `<numa>${[0, 1, 2, 3].map(cell).join('')}</numa>`;
}

const TOPOLOGY = "<topology sockets='4' dies='1' cores='2' threads='2'/>";
const PINS = Array.from({ length: 16 }, (_, v) => {
  const core = 15 * Math.floor(v / 4) + 1 + Math.floor((v % 4) / 2);
  return `<vcpupin vcpu='${v}' cpuset='${v % 2 === 0 ? core : core + 60}'/>`;
}).join('');
const NUMATUNE = `<numatune><memory mode='strict' nodeset='0-3'/>${[0, 1, 2, 3]
  .map((i) => `<memnode cellid='${i}' mode='strict' nodeset='${i}'/>`)
  .join('')}</numatune>`;
const GOLDEN_EXTRA = `<cputune>${PINS}</cputune>${NUMATUNE}`;

function broken(edit: (l: GuestLayout) => void): GuestLayout {
  const layout = talkExample1();
  edit(layout);
  return layout;
}

const sib = (values: number[]) =>
  `<distances>${values.map((v, j) => `<sibling id='${j}' value='${v}'/>`).join('')}</distances>`;

const cases: [string, GuestLayout, string][] = [
  ['golden host mode', talkExample1(), domain(16, TOPOLOGY + cells(), GOLDEN_EXTRA)],
  [
    'overlapping cells',
    broken((l) => (l.cells[2].vcpus = [4, 8, 9, 10, 11])),
    domain(16, TOPOLOGY + cells({ 2: `<cell id='2' cpus='4,8-11' memory='8388608' unit='KiB'/>` }), GOLDEN_EXTRA),
  ],
  [
    'cell ids not from 0',
    broken((l) => (l.cells[3].id = 4)),
    domain(16, TOPOLOGY + cells({ 3: `<cell id='4' cpus='12-15' memory='8388608' unit='KiB'/>` })),
  ],
  [
    'duplicate cell id',
    broken((l) => (l.cells[3].id = 2)),
    domain(16, TOPOLOGY + cells({ 3: `<cell id='2' cpus='12-15' memory='8388608' unit='KiB'/>` })),
  ],
  [
    'cpus beyond the vcpu count',
    broken((l) => (l.cells[3].vcpus = [12, 13, 14, 16])),
    domain(16, TOPOLOGY + cells({ 3: `<cell id='3' cpus='12-14,16' memory='8388608' unit='KiB'/>` })),
  ],
  [
    'more cpus than the vcpu count',
    broken((l) => (l.cells[3].vcpus = [12, 13, 14, 15, 16])),
    domain(16, TOPOLOGY + cells({ 3: `<cell id='3' cpus='12-16' memory='8388608' unit='KiB'/>` })),
  ],
  [
    'diagonal distance 11',
    broken((l) => (l.cells[1].distances[1] = 11)),
    domain(16, TOPOLOGY + cells({ 1: `<cell id='1' cpus='4-7' memory='8388608' unit='KiB'>${sib([21, 11, 21, 21])}</cell>` })),
  ],
  [
    'remote distance 10',
    broken((l) => (l.cells[0].distances[2] = 10)),
    domain(16, TOPOLOGY + cells({ 0: `<cell id='0' cpus='0-3' memory='8388608' unit='KiB'>${sib([10, 21, 10, 21])}</cell>` })),
  ],
  [
    'distance 256',
    broken((l) => (l.cells[0].distances[3] = 256)),
    domain(16, TOPOLOGY + cells({ 0: `<cell id='0' cpus='0-3' memory='8388608' unit='KiB'>${sib([10, 21, 21, 256])}</cell>` })),
  ],
  [
    'sibling beyond the cells',
    broken((l) => l.cells[0].distances.push(21)),
    domain(16, TOPOLOGY + cells({ 0: `<cell id='0' cpus='0-3' memory='8388608' unit='KiB'>${sib([10, 21, 21, 21, 21])}</cell>` })),
  ],
  [
    // libvirt meets the cell id before the memnode: both are ours, libvirt reports the first
    'memnode for a missing cell',
    broken((l) => (l.cells[3].id = 7)),
    domain(
      16,
      TOPOLOGY + cells({ 3: `<cell id='7' cpus='12-15' memory='8388608' unit='KiB'/>` }),
      NUMATUNE.replace("cellid='3'", "cellid='7'"),
    ),
  ],
  ['duplicate vcpupin', broken((l) => l.pins.splice(3, 0, { vcpu: 2, cpus: [3] })), domain(16, TOPOLOGY + cells(), `<cputune><vcpupin vcpu='2' cpuset='3'/>${PINS}</cputune>`)],
  ['empty vcpupin cpuset', broken((l) => (l.pins[5].cpus = [])), domain(16, TOPOLOGY + cells(), `<cputune>${PINS.replace("cpuset='76'", "cpuset=''")}</cputune>`)],
  // accepted by libvirt: we warn, never error
  ['vCPUs in no cell', broken((l) => (l.cells[3].vcpus = [12, 13])), domain(16, TOPOLOGY + cells({ 3: `<cell id='3' cpus='12-13' memory='8388608' unit='KiB'/>` }))],
  ['vcpupin beyond <vcpu>', broken((l) => l.pins.push({ vcpu: 16, cpus: [20] })), domain(16, TOPOLOGY + cells(), `<cputune>${PINS}<vcpupin vcpu='16' cpuset='20'/></cputune>`)],
  [
    'socket split across cells',
    broken((l) => (l.topology = { sockets: 2, dies: 1, clusters: 1, cores: 4, threads: 2 })),
    domain(16, "<topology sockets='2' dies='1' cores='4' threads='2'/>" + cells()),
  ],
  [
    'SMT siblings split',
    broken((l) => ((l.cells[0].vcpus = [0, 1, 2]), (l.cells[1].vcpus = [3, 4, 5, 6, 7]))),
    domain(
      16,
      TOPOLOGY +
        cells({ 0: `<cell id='0' cpus='0-2' memory='8388608' unit='KiB'/>`, 1: `<cell id='1' cpus='3-7' memory='8388608' unit='KiB'/>` }),
    ),
  ],
];

describe('validate agrees with virsh define (test driver)', () => {
  it.each(cases)('%s', (_, layout, xml) => {
    const errors = validate(layout).filter((d) => d.severity === 'error');
    const libvirt = defineOnTestDriver(xml);
    expect(libvirt.ok, libvirt.stderr).toBe(errors.length === 0);
    if (!libvirt.ok) expect(errors.some((d) => libvirt.stderr.includes(d.message)), `${libvirt.stderr} vs ${errors.map((d) => d.message)}`).toBe(true);
  });
});
