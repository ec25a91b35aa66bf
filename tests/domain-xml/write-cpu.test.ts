/**
 * <cpu> as the writer keeps it in libvirt's test domains: <topology> values written where the
 * document names them (dies and clusters back to 1 included), a change of dies or clusters alone
 * written, clusters placed after dies; a <cpu> without cells gets no empty <numa>, and one whose
 * cells all go keeps its mode.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, GuestTopology } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { edit, element, fixture } from './writer-edit.ts';

const expanderBus = fixture('pcie-expander-bus.xml');
const virtioMem = fixture('memory-hotplug-virtio-mem.xml');
const staticVcpus = fixture('vcpu-placement-static.xml');

const topologyOf = (text: string) => /<topology [^>]*\/>/.exec(text)![0];
/** The layout with that topology (and that many vCPUs, when they change too). */
const withTopology = (topology: GuestTopology, vcpus?: number) => (l: GuestLayout): GuestLayout => ({ ...l, topology, vcpus: vcpus ?? l.vcpus });

describe('<topology>', () => {
  it("takes dies back to 1 where the document names dies='2'", () => {
    const text = expanderBus.replace("sockets='2' dies='1'", "sockets='1' dies='2'");
    const r = edit(text, withTopology({ sockets: 2, dies: 1, clusters: 1, cores: 4, threads: 2 }));
    expect(r.edits).toEqual([
      ['1', '2'],
      ['2', '1'],
    ]);
    expect(topologyOf(r.text)).toBe("<topology sockets='2' dies='1' cores='4' threads='2'/>");
  });

  it("takes clusters back to 1 where the document names clusters='2'", () => {
    const text = virtioMem.replace("sockets='2' dies='1' clusters='1'", "sockets='1' dies='1' clusters='2'");
    const r = edit(text, withTopology({ sockets: 2, dies: 1, clusters: 1, cores: 1, threads: 1 }));
    expect(topologyOf(r.text)).toBe("<topology sockets='2' dies='1' clusters='1' cores='1' threads='1'/>");
  });

  it('puts new clusters after the dies the document names', () => {
    const r = edit(expanderBus, withTopology({ sockets: 1, dies: 1, clusters: 2, cores: 4, threads: 2 }));
    expect(topologyOf(r.text)).toBe("<topology sockets='1' dies='1' clusters='2' cores='4' threads='2'/>");
  });

  it('is written when only dies change (twice the vCPUs on two dies)', () => {
    const r = edit(expanderBus, withTopology({ sockets: 2, dies: 2, clusters: 1, cores: 4, threads: 2 }, 32));
    expect(r.edits).toEqual([
      ['16', '32'],
      ['1', '2'],
    ]);
  });

  it('is written when only clusters change (twice the vCPUs in two clusters)', () => {
    const r = edit(virtioMem, withTopology({ sockets: 2, dies: 1, clusters: 2, cores: 1, threads: 1 }, 4));
    expect(topologyOf(r.text)).toBe("<topology sockets='2' dies='1' clusters='2' cores='1' threads='1'/>");
  });
});

describe('<cpu> without cells', () => {
  it('gains a <topology> and no empty <numa> when the topology changes', () => {
    const r = edit(staticVcpus, withTopology({ sockets: 1, dies: 1, clusters: 1, cores: 3, threads: 2 }));
    expect(element(r.text, 'cpu')).toBe(`<cpu mode='custom' match='exact' check='none'>
    <model fallback='forbid'>qemu64</model>
    <topology sockets='1' dies='1' cores='3' threads='2'/>
  </cpu>`);
  });

  it('is left alone when only the memory changes', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, memoryKiB: 262144 })).edits).toEqual([['131072', '262144']]);
  });

  it('keeps its mode when every cell goes, with the <numa> that held them', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace('<cpu>', "<cpu mode='host-passthrough'>");
    const r = edit(text, (l) => ({ ...l, cells: [] }));
    expect(element(r.text, 'cpu')).toBe("<cpu mode='host-passthrough'>\n  </cpu>");
  });
});
