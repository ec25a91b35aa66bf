/**
 * <memory> and <currentMemory> as the writer keeps them: the cells' sum (with the memory
 * devices) when the cells change, whatever the layout's total says; a document without
 * <memory> or with a unit-less or MiB <currentMemory>; a currentMemory above memory left to
 * libvirt; a total past libvirt's limit refused with the reason. libvirt's test domains.
 */
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, fixture } from './writer-edit.ts';

const hugepages = fixture('hugepages-numa-nodeset.xml');
const dimm = fixture('memory-hotplug-dimm.xml');
const staticVcpus = fixture('vcpu-placement-static.xml');

/** Cell 0 of hugepages-numa-nodeset.xml doubled to 2 GiB, the layout's total left at 4 GiB. */
const cell0Doubled = (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.map((c) => (c.id === 0 ? { ...c, memoryKiB: 2097152 } : c)) });

describe('<memory> follows the cells', () => {
  it('when a cell grows, even though the layout still says the old total', () => {
    expect(edit(hugepages, cell0Doubled).edits).toEqual([
      ['4194304', '5242880'],
      ['4194304', '5242880'],
      ['1048576', '2097152'],
    ]);
  });

  it('is inserted after <uuid> into a document that has none, currentMemory following', () => {
    const text = hugepages.replace("  <memory unit='KiB'>4194304</memory>\n", '');
    expect(edit(text, cell0Doubled).edits).toEqual([
      ['', "\n  <memory unit='KiB'>5242880</memory>"],
      ['4194304', '5242880'],
      ['1048576', '2097152'],
    ]);
  });

  it('is refused, leaving the document, when the cells and the DIMMs together pass libvirt\'s limit', () => {
    const r = edit(dimm, (l) => ({ ...l, cells: [{ ...l.cells[0], memoryKiB: Number.MAX_SAFE_INTEGER - 1000 }] }));
    expect(r.diagnostics).toEqual(["error: not written: the guest's memory with its memory devices, 9007199255787542 KiB, is past libvirt's limit of 9007199254740991 KiB"]);
    expect(r.edits).toEqual([]);
    expect(r.text).toBe(dimm);
  });
});

describe('<currentMemory>', () => {
  it('without a unit is KiB, and follows a memory it equalled', () => {
    const text = hugepages.replace("<currentMemory unit='KiB'>4194304</currentMemory>", '<currentMemory>4194304</currentMemory>');
    expect(edit(text, cell0Doubled).edits).toEqual([
      ['4194304', '5242880'],
      ['4194304', '5242880'],
      ['1048576', '2097152'],
    ]);
  });

  it('in MiB is read in MiB, and follows in MiB', () => {
    const text = hugepages.replace("<currentMemory unit='KiB'>4194304</currentMemory>", "<currentMemory unit='MiB'>4096</currentMemory>");
    expect(edit(text, cell0Doubled).edits).toEqual([
      ['4194304', '5242880'],
      ['4096', '5120'],
      ['1048576', '2097152'],
    ]);
  });

  it('above <memory> stays as written when the memory does not change: libvirt lowers it itself', () => {
    const text = staticVcpus.replace("<currentMemory unit='KiB'>65536</currentMemory>", "<currentMemory unit='KiB'>262144</currentMemory>");
    const r = edit(text, (l) => ({ ...l, currentVcpus: 3 }));
    expect(r.edits).toEqual([['2', '3']]);
    expect(r.diagnostics).toEqual([]);
  });

  it('without a <currentMemory>, <memory> alone changes', () => {
    const text = hugepages.replace("  <currentMemory unit='KiB'>4194304</currentMemory>\n", '');
    expect(edit(text, cell0Doubled).edits).toEqual([
      ['4194304', '5242880'],
      ['1048576', '2097152'],
    ]);
  });
});

describe('a domain from nothing', () => {
  it('takes its memory from its cells when the layout\'s total is stale', () => {
    const layout: GuestLayout = {
      vcpus: 2,
      topology: { sockets: 2, dies: 1, clusters: 1, cores: 1, threads: 1 },
      cells: [0, 1].map((id) => ({ id, vcpus: [id], memoryKiB: 524288, hostNodes: [], memoryMode: 'strict' as const, distances: id === 0 ? [10, 20] : [20, 10] })),
      pins: [],
      emulatorpin: [],
      iothreadpins: [],
      memoryKiB: 0,
      devices: [],
    };
    const w = writeLayout(null, layout);
    expect(w.diagnostics).toEqual([]);
    expect(w.text).toContain("<name>numascope-guest</name>\n  <memory unit='KiB'>1048576</memory>\n  <currentMemory unit='KiB'>1048576</currentMemory>");
  });
});
