/** virsh nodedev-dumpxml: libvirt's own nodedev test documents (corpus), alone and concatenated. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodedevFormat } from '../../src/core/ingest/nodedev.ts';
import { corpusFiles, readCorpus } from '../support/corpus.ts';

const read = (file: string) => readCorpus('libvirt-nodedev', file);
const parse = (file: string) => nodedevFormat.parse(read(file), file);

describe('nodedev corpus, one device each', () => {
  it('SR-IOV VF: decimal capability address, phys_function, virt_functions, iommu, numa, cap link when sta is down', () => {
    const f = parse('pci_0000_02_10_7_sriov_pf_vfs_all.xml');
    expect(f.diagnostics).toEqual([]);
    expect(f.pci).toEqual([
      {
        bdf: '0000:02:10.7',
        line: 1,
        parent: '0000:00:04.0',
        classCode: 'ffff',
        deviceId: '10ca',
        device: '82576 Virtual Function',
        vendorId: '8086',
        vendor: 'Intel Corporation',
        iommuGroup: 31,
        node: 0,
        link: '2.5GT/s x4',
        physfn: '0000:02:00.1',
        virtfns: ['0000:02:00.2', '0000:02:00.3', '0000:02:00.4', '0000:02:00.5'],
      },
    ]);
  });

  it('82576 PF: numa node 0, iommu group 12', () => {
    const [d] = parse('pci_8086_10c9_sriov_pf.xml').pci;
    expect(d).toMatchObject({ bdf: '0000:02:00.0', node: 0, iommuGroup: 12, vendorId: '8086', deviceId: '10c9' });
  });

  it('old-style names (pci_VENDOR_PRODUCT): the BDF comes from the capability, the parent stays unknown', () => {
    const f = parse('pci_1002_71c4.xml');
    expect(f.diagnostics).toEqual([]);
    expect(f.pci[0].bdf).toBe('0000:01:00.0');
    expect(f.pci[0].node).toBe(1);
    expect(f.pci[0].parent).toBeUndefined();
  });

  it('BlueField-2: bus 66 decimal = 0x42, negotiated link preferred over the capable one, class 0200', () => {
    const [d] = parse('pci_0000_42_00_0_vpd.xml').pci;
    expect(d).toMatchObject({ bdf: '0000:42:00.0', link: '8GT/s x8', classCode: '0200', iommuGroup: 65, node: 0 });
    expect(d.parent).toBeUndefined();
    expect(d.virtfns).toBeUndefined();
  });

  it('no <numa> element: the kernel said -1, so node is null; <parent>computer</parent> is a root', () => {
    const text = read('pci_8086_10c9_sriov_pf.xml').replace("<numa node='0'/>", '').replace('pci_0000_00_04_0', 'computer');
    const [d] = nodedevFormat.parse(text, 'x').pci;
    expect(d.node).toBeNull();
    expect(d.parent).toBeNull();
  });

  it('a pci-bridge capability marks a bridge', () => {
    const text = read('pci_8086_10c9_sriov_pf.xml').replace('<numa', "<capability type='pci-bridge'/>\n    <numa");
    expect(nodedevFormat.parse(text, 'b').pci[0].isBridge).toBe(true);
  });
});

describe('nodedev corpus, all four in one paste', () => {
  it('reads every device, with lines pointing into the paste', () => {
    const files = corpusFiles('libvirt-nodedev', /\.xml$/);
    expect(files).toHaveLength(4);
    const text = files.map(read).join('');
    expect(nodedevFormat.sniff(text)).toBeGreaterThan(0.9);
    const f = nodedevFormat.parse(text, 'all');
    expect(f.diagnostics).toEqual([]);
    expect(f.pci.map((p) => p.bdf).sort()).toEqual(['0000:01:00.0', '0000:02:00.0', '0000:02:10.7', '0000:42:00.0']);
    const lines = text.split('\n');
    for (const p of f.pci) expect(lines[(p.line ?? 0) - 1]).toBe('<device>');
    expect(f.lines).toBe(lines.length - 1);
  });

  it('the same device twice is reported once', () => {
    const f = nodedevFormat.parse(read('pci_1002_71c4.xml').repeat(2), 'dup');
    expect(f.pci).toHaveLength(1);
    expect(f.diagnostics.some((d) => /appears twice/.test(d.message))).toBe(true);
  });
});

describe('nodedev robustness', () => {
  it.each([
    ['empty', ''],
    ['garbage', 'hello\nworld\n'],
    ['binary', '\u0000\u0001\u0002ELF\u0000'],
    ['virsh capabilities', readCorpus('libvirt-caps', 'virt-manager-kvm-s390x.xml')],
    ['numactl -H', readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt')],
  ])('%s → an error, no throw', (_, text) => {
    const f = nodedevFormat.parse(text, 'x');
    expect(f.pci).toEqual([]);
    expect(f.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('truncated: says so', () => {
    const text = read('pci_0000_42_00_0_vpd.xml');
    const f = nodedevFormat.parse(text.slice(0, text.length / 2), 'cut');
    expect(f.diagnostics.some((d) => d.severity === 'error' && /truncated|cut off/.test(d.message))).toBe(true);
  });

  it('never throws on mutated corpus text', () => {
    const base = corpusFiles('libvirt-nodedev', /\.xml$/).map(read).join('');
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 20 }), (a, b, insert) => {
        const f = nodedevFormat.parse(base.slice(0, Math.min(a, b)) + insert + base.slice(Math.max(a, b)), 'm');
        for (const p of f.pci) expect(p.bdf).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
      }),
      { numRuns: 200 },
    );
  });
});
