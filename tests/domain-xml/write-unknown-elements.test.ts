/**
 * Elements libvirt does not define inside the containers the writer orders (<cputune>,
 * <numatune>): libvirt's parser passes over them and so does the reader, so the writer must
 * too — they keep their place, take none in the order, and stop no edit.
 */
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../support/corpus.ts';
import { edit, element, fixture } from './writer-edit.ts';

describe('an element libvirt does not define', () => {
  it('at the end of <cputune> does not draw a new vCPU pin away from the others', () => {
    const text = fixture('cputune.xml').replace("<iothreadsched iothreads='2' scheduler='rr' priority='0'/>", "<iothreadsched iothreads='2' scheduler='rr' priority='0'/>\n    <x-tuning/>");
    const r = edit(text, (l) => ({ ...l, pins: [...l.pins, { vcpu: 2, cpus: [2] }] }));
    expect(r.edits).toEqual([['', "\n    <vcpupin vcpu='2' cpuset='2'/>"]]);
    expect(r.text).toContain("<vcpupin vcpu='1' cpuset='1'/>\n    <vcpupin vcpu='2' cpuset='2'/>\n    <emulatorpin");
  });

  it('in <numatune> stays where it is while a memnode joins', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace("<memory mode='strict' nodeset='0-7'/>", "<memory mode='strict' nodeset='0-7'/>\n    <x-tuning/>");
    const r = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 1 ? { ...c, hostNodes: [4] } : c)) }));
    expect(r.diagnostics).toEqual([]);
    expect(element(r.text, 'numatune')).toBe(`<numatune>
    <memnode cellid='0' mode='preferred' nodeset='3'/>
    <memory mode='strict' nodeset='1-5,7'/>
    <memnode cellid='1' mode='strict' nodeset='4'/>
    <x-tuning/>
    <memnode cellid='2' mode='strict' nodeset='1-2,5-7,^6'/>
  </numatune>`);
  });
});
