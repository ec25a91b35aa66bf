/**
 * Several pastes of one host become one Host; pastes of different hosts are caught as
 * conflicts that name who said what. All inputs are real: corpus files, and lspci run on a
 * corpus sysfs dump.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus, runPeer } from '../support/corpus.ts';
import { PCI_MACHINES, readPciDump } from '../ingest/lspci-sysfs.ts';

const paste = (folder: string, file: string): Paste => ({ name: file, text: readCorpus(folder, file) });
const talk = [paste('pasted', 'talk-e7-8895v2.lscpu.txt'), paste('pasted', 'talk-e7-8895v2.numactl-H.txt')];

describe("the talk's host from lscpu + numactl -H", () => {
  const { host } = ingest(talk);

  it('has 4 packages, 4 nodes, 60 cores, 120 CPUs and 10/21 distances', () => {
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(['0-14,60-74', '15-29,75-89', '30-44,90-104', '45-59,105-119']);
    expect(host.nodes.map((n) => formatIdList(n.cpus))).toEqual(['0-14,60-74', '15-29,75-89', '30-44,90-104', '45-59,105-119']);
    expect(host.cores).toHaveLength(60);
    expect(host.cpus).toHaveLength(120);
    expect(host.distances).toEqual([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 10 : 21))));
    expect(host.conflicts).toEqual([]);
  });

  it("pairs SMT siblings as the golden example needs (CPU 1 with 61) and says it inferred them", () => {
    expect(host.cpus[1].siblings).toEqual([1, 61]);
    expect(host.cpus[76].siblings).toEqual([16, 76]);
    expect(host.diagnostics.some((d) => d.severity === 'info' && /inferred from lscpu's counts/.test(d.message))).toBe(true);
  });

  it('takes memory from numactl and caches from lscpu', () => {
    expect(host.nodes[1]).toMatchObject({ memoryKiB: 129018 * 1024, freeKiB: 118358 * 1024, kind: 'cpu+memory' });
    const l3 = host.caches.filter((c) => c.level === 3);
    expect(l3.map((c) => c.sizeKiB)).toEqual([38400, 38400, 38400, 38400]);
    expect(l3[0].cpus).toEqual(host.packages[0].cpus);
  });

  it('is the same whether pasted as one text or two', () => {
    const one = ingest([{ name: 'both', text: `${talk[0].text}\n${talk[1].text}` }]).host;
    expect(one.nodes).toEqual(host.nodes);
    expect(one.cpus).toEqual(host.cpus);
    expect(one.distances).toEqual(host.distances);
  });
});

describe('pastes of different machines', () => {
  it('reports each disagreement with both claims instead of picking one silently', () => {
    const { host } = ingest([talk[0], paste('pasted', 'numactl-H-kunpeng920-2s4n.txt')]);
    const subjects = host.conflicts.map((c) => c.subject);
    expect(subjects).toContain('CPUs of node 0');
    const node0 = host.conflicts.find((c) => c.subject === 'CPUs of node 0')!;
    expect(node0.claims).toEqual([
      { source: 'talk-e7-8895v2.lscpu.txt (lscpu)', value: '0-14,60-74' },
      { source: 'numactl-H-kunpeng920-2s4n.txt (numactl -H)', value: '0-23' },
    ]);
    expect(node0.resolution).toMatch(/numascope uses/);
  });

  it('reports different distances', () => {
    const caps = paste('libvirt-caps', 'virt-manager-kvm-aarch64.xml');
    const numactl = { name: 'numactl.txt', text: 'available: 2 nodes (0-1)\nnode 0 cpus: 0\nnode 0 size: 100 MB\nnode 0 free: 50 MB\nnode 1 cpus: 1\nnode 1 size: 100 MB\nnode 1 free: 50 MB\nnode distances:\nnode   0   1\n  0:  10  31\n  1:  31  10\n' };
    const { host } = ingest([caps, numactl]);
    expect(host.conflicts.find((c) => c.subject.startsWith('distance'))?.claims.map((c) => c.value)).toEqual(['20', '31']);
  });
});

describe('one machine from lscpu -e, hwloc XML and the real lspci -vvv of its sysfs dump', () => {
  const machine = PCI_MACHINES[1];
  const dump = readPciDump(machine);
  const lspci = runPeer('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${dump.root}/sys/bus/pci`, '-D', '-vvv']);
  const { host } = ingest([paste('hwloc-linux', `${machine}.lscpu-e.txt`), { name: 'lspci-vvv.txt', text: lspci }]);

  it('places every PCI device where sysfs says, next to the CPUs lscpu -e gave', () => {
    expect(host.cpus.length).toBeGreaterThan(0);
    expect(host.pci.map((p) => p.bdf)).toEqual([...dump.devices.keys()].sort());
    for (const p of host.pci) expect(p.node, p.bdf).toBe(dump.devices.get(p.bdf)!.node);
    expect(host.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([...new Set(host.pci.flatMap((p) => (p.node === null ? [] : [p.node])))]));
    expect(host.conflicts).toEqual([]);
  });

  it('agrees with the hwloc XML of the same dump when both are pasted', () => {
    const both = ingest([paste('hwloc-linux', `${machine}.lstopo.xml`), { name: 'lspci-vvv.txt', text: lspci }]).host;
    expect(both.conflicts.filter((c) => c.subject.startsWith('NUMA node of PCI'))).toEqual([]);
    expect(both.pci.length).toBe(dump.devices.size);
  });
});

describe('libvirt host XML together', () => {
  it('attaches nodedev devices to the capabilities host', () => {
    const nodedev = ['pci_1002_71c4.xml', 'pci_8086_10c9_sriov_pf.xml'].map((f) => readCorpus('libvirt-nodedev', f)).join('\n');
    const { host } = ingest([paste('libvirt-caps', 'vircaps-x86_64-basic.xml'), { name: 'nodedev.xml', text: nodedev }]);
    expect(host.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3]);
    expect(host.pci.map((p) => [p.bdf, p.node])).toEqual([
      ['0000:01:00.0', 1],
      ['0000:02:00.0', 0],
    ]);
  });
});

describe('PCI devices read like lspci whatever the paste', () => {
  it('names the class of devices that hwloc XML gives only as a code', () => {
    const { host } = ingest([paste('hwloc-xml', '24em64t-2n6c2t-pci.xml')]);
    const nic = host.pci.find((p) => p.bdf === '0000:04:00.0')!;
    expect(nic).toMatchObject({ classCode: '0200', className: 'Ethernet controller', node: 0 });
    expect(host.pci.find((p) => p.bdf === '0000:00:1f.2')?.className).toBe('IDE interface');
  });
});
