/**
 * <cputune> pins in place (libvirt's cputune.xml): a new pin takes its place among the others by
 * vCPU or iothread number, a pin found by the number it names however that is written, an
 * empty <cputune> the user wrote left alone, and none inserted when nothing is pinned.
 */
import { describe, expect, it } from 'vitest';
import { edit, element, fixture } from './writer-edit.ts';

const cputune = fixture('cputune.xml');
/** cputune.xml with vCPU 3 pinned too, and iothreads 1 and 3. */
const gapped = cputune
  .replace("<vcpupin vcpu='1' cpuset='1'/>", "<vcpupin vcpu='1' cpuset='1'/>\n    <vcpupin vcpu='3' cpuset='3'/>")
  .replace("<emulatorpin cpuset='1'/>", "<emulatorpin cpuset='1'/>\n    <iothreadpin iothread='1' cpuset='0'/>\n    <iothreadpin iothread='3' cpuset='0'/>");

describe('a new pin', () => {
  it('joins the vCPU pins in vCPU order', () => {
    const r = edit(gapped, (l) => ({ ...l, pins: [...l.pins, { vcpu: 2, cpus: [2] }] }));
    expect(r.edits).toEqual([['', "\n    <vcpupin vcpu='2' cpuset='2'/>"]]);
    expect(r.text).toContain("<vcpupin vcpu='1' cpuset='1'/>\n    <vcpupin vcpu='2' cpuset='2'/>\n    <vcpupin vcpu='3' cpuset='3'/>\n    <emulatorpin");
  });

  it('joins the iothread pins in iothread order', () => {
    const r = edit(gapped, (l) => ({ ...l, iothreadpins: [...l.iothreadpins, { iothread: 2, cpus: [2] }] }));
    expect(r.edits).toEqual([['', "\n    <iothreadpin iothread='2' cpuset='2'/>"]]);
    expect(r.text).toContain("<iothreadpin iothread='1' cpuset='0'/>\n    <iothreadpin iothread='2' cpuset='2'/>\n    <iothreadpin iothread='3' cpuset='0'/>\n    <vcpusched");
  });
});

describe('a pin in place', () => {
  it("is found by its number however it is written (vcpu='01')", () => {
    const text = cputune.replace("<vcpupin vcpu='1' cpuset='1'/>", "<vcpupin vcpu='01' cpuset='1'/>");
    expect(edit(text, (l) => ({ ...l, pins: l.pins.map((p) => (p.vcpu === 1 ? { ...p, cpus: [5] } : p)) })).edits).toEqual([['1', '5']]);
  });

  it('keeps a set written differently but equal when another pin moves', () => {
    const text = cputune.replace("<vcpupin vcpu='0' cpuset='0'/>", "<vcpupin vcpu='0' cpuset='0-2,^1,^2'/>");
    expect(edit(text, (l) => ({ ...l, emulatorpin: [2] })).edits).toEqual([['1', '2']]);
  });
});

describe('<cputune> itself', () => {
  it('is not inserted when nothing is pinned', () => {
    const text = fixture('hugepages-numa-nodeset.xml');
    expect(element(edit(text, (l) => ({ ...l, pins: [], emulatorpin: [], iothreadpins: [] })).text, 'cputune')).toBeUndefined();
  });

  it('stays when the user wrote it empty and nothing is pinned', () => {
    const text = cputune.replace(/<cputune>[\s\S]*<\/cputune>/, '<cputune>\n  </cputune>');
    expect(edit(text, (l) => ({ ...l, memoryKiB: 262144 })).edits).toEqual([
      ['219136', '262144'],
      ['219136', '262144'],
    ]);
  });
});
