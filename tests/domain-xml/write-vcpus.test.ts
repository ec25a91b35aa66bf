/**
 * <vcpu>, <vcpus> and <iothreads> as the writer keeps them (libvirt's vcpu-placement-static
 * domain): touched only when their counts change; a <vcpus> list rewritten when the count or
 * the online count changes and left when neither does; <iothreads> raised for a pinned
 * iothread only when <iothreadids> does not already name it.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, element, fixture } from './writer-edit.ts';

const staticVcpus = fixture('vcpu-placement-static.xml');
const moreMemory = (l: GuestLayout): GuestLayout => ({ ...l, memoryKiB: 262144 });

/** vcpu-placement-static.xml with a <vcpus> list as libvirt writes it: the first `online` of `count` enabled, each with its order. */
function withVcpus(count: number, online: number): string {
  const rows = Array.from({ length: count }, (_, id) => (id < online ? `    <vcpu id='${id}' enabled='yes' hotpluggable='${id === 0 ? 'no' : 'yes'}' order='${id + 1}'/>` : `    <vcpu id='${id}' enabled='no' hotpluggable='yes'/>`));
  const vcpu = online < count ? `<vcpu placement='static' current='${online}'>${count}</vcpu>` : `<vcpu placement='static'>${count}</vcpu>`;
  return staticVcpus.replace("<vcpu placement='static' current='2'>6</vcpu>", `${vcpu}\n  <vcpus>\n${rows.join('\n')}\n  </vcpus>`);
}

/** The <vcpus> list numascope writes: the first `online` of `count` enabled and not hotpluggable. */
function written(count: number, online: number): string {
  const rows = Array.from({ length: count }, (_, id) => (id < online ? `    <vcpu id='${id}' enabled='yes' hotpluggable='no'/>` : `    <vcpu id='${id}' enabled='no' hotpluggable='yes'/>`));
  return `<vcpus>\n${rows.join('\n')}\n  </vcpus>`;
}

describe('<vcpu>', () => {
  it('is not inserted into a document without one when the count stays 1', () => {
    const text = staticVcpus.replace("  <vcpu placement='static' current='2'>6</vcpu>\n", '').replace(/\n {2}<cputune>[\s\S]*?<\/cputune>/, '');
    expect(edit(text, moreMemory).edits).toEqual([['131072', '262144']]);
  });

  it("keeps a current='6' of 6 (every vCPU online) when only the memory changes", () => {
    const text = staticVcpus.replace("current='2'", "current='6'");
    expect(edit(text, moreMemory).edits).toEqual([['131072', '262144']]);
  });

  it('keeps a count written with spaces when only current changes', () => {
    const text = staticVcpus.replace("current='2'>6</vcpu>", "current='2'> 6 </vcpu>");
    expect(edit(text, (l) => ({ ...l, currentVcpus: 4 })).edits).toEqual([['2', '4']]);
  });
});

describe('a <vcpus> list', () => {
  it('is left when neither count changes', () => {
    expect(edit(withVcpus(6, 2), moreMemory).edits).toEqual([['131072', '262144']]);
    expect(edit(withVcpus(6, 6), moreMemory).edits).toEqual([['131072', '262144']]);
  });

  it('is rewritten when only the online count changes', () => {
    const r = edit(withVcpus(6, 2), (l) => ({ ...l, currentVcpus: 3 }));
    expect(r.diagnostics).toEqual([]);
    expect(element(r.text, 'vcpus')).toBe(written(6, 3));
  });

  it('is rewritten when only the count changes', () => {
    const r = edit(withVcpus(6, 2), (l) => ({ ...l, vcpus: 8, topology: { ...l.topology, sockets: 8 } }));
    expect(r.diagnostics).toEqual([]);
    expect(element(r.text, 'vcpus')).toBe(written(8, 2));
  });

  it('is rewritten all online when current goes', () => {
    const r = edit(withVcpus(6, 2), (l) => ({ ...l, currentVcpus: undefined }));
    expect(element(r.text, 'vcpus')).toBe(written(6, 6));
  });
});

describe('<iothreads> for a pinned iothread', () => {
  const withIds = staticVcpus.replace('<iothreads>2</iothreads>', "<iothreads>2</iothreads>\n  <iothreadids>\n    <iothread id='1'/>\n    <iothread id='5'/>\n  </iothreadids>");

  it('stays when <iothreadids> names the iothread', () => {
    expect(edit(withIds, (l) => ({ ...l, iothreadpins: [...l.iothreadpins, { iothread: 5, cpus: [4] }] })).edits).toEqual([['', "\n    <iothreadpin iothread='5' cpuset='4'/>"]]);
  });

  it('rises to the iothread when <iothreadids> does not name it', () => {
    expect(edit(withIds, (l) => ({ ...l, iothreadpins: [...l.iothreadpins, { iothread: 3, cpus: [4] }] })).edits).toEqual([
      ['2', '3'],
      ['', "\n    <iothreadpin iothread='3' cpuset='4'/>"],
    ]);
  });

  it('stays when it already counts that many, however it is written', () => {
    const text = staticVcpus.replace('<iothreads>2</iothreads>', '<iothreads> 2 </iothreads>');
    expect(edit(text, (l) => ({ ...l, iothreadpins: [...l.iothreadpins, { iothread: 2, cpus: [4] }] })).edits).toEqual([['', "\n    <iothreadpin iothread='2' cpuset='4'/>"]]);
  });

  it('is inserted after <vcpu> into a document without one', () => {
    const text = staticVcpus.replace('  <iothreads>2</iothreads>\n', '').replace("\n    <iothreadpin iothread='1' cpuset='2'/>", '');
    expect(edit(text, (l) => ({ ...l, iothreadpins: [{ iothread: 2, cpus: [4] }] })).edits).toEqual([
      ['', '\n  <iothreads>2</iothreads>'],
      ['', "\n    <iothreadpin iothread='2' cpuset='4'/>"],
    ]);
  });
});
