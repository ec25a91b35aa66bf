/**
 * libvirt itself judges what write() produces: Debian's virt-xml-validate (libvirt-clients,
 * the RelaxNG schema of the installed libvirt) and `virsh define` on the test driver.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';
import { defineOnTestDriver, validateXml } from '../support/libvirt.ts';
import { changed, domainFiles, goldenLayout } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'numascope-domain-xml-'));
let serial = 0;

function save(text: string): string {
  const path = join(dir, `domain-${serial++}.xml`);
  writeFileSync(path, text);
  return path;
}

function expectValid(text: string): void {
  const result = validateXml(save(text));
  expect(result.ok, `virt-xml-validate refused:\n${result.message}\n--- document ---\n${text}`).toBe(true);
}

const talk = talkHost();

const layouts: [string, () => GuestLayout][] = [
  ['the DESIGN.md §3 golden layout (by hand)', goldenLayout],
  ['solve(): talk host, mode host', () => solve(talk, TALK_REQUEST).layout],
  ['solve(): talk host, mode node on node 1, floating', () => solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout],
];

describe('write(null, layout) is a domain libvirt accepts', () => {
  it.each(layouts)('%s', (_, make) => {
    const layout = make();
    const w = writeLayout(null, layout, { name: 'numascope-test' });
    expect(w.diagnostics).toEqual([]);
    expectValid(w.text);
    const defined = defineOnTestDriver(w.text);
    expect(defined.ok, defined.stderr).toBe(true);
    expect(defined.stdout).toMatch(/Domain 'numascope-test' defined/);
    const back = readLayout(parseDomainDocument(w.text));
    expect(back.diagnostics).toEqual([]);
    expect(back.layout).toEqual(layout);
  });

  it('the golden XML has memnodes per cell, distances rows and SMT-aware pins', () => {
    const text = writeLayout(null, goldenLayout()).text;
    expect(text).toContain("<memory mode='strict' nodeset='0-3'/>\n    <memnode cellid='0' mode='strict' nodeset='0'/>");
    expect(text).toContain("<vcpupin vcpu='4' cpuset='16'/>\n    <vcpupin vcpu='5' cpuset='76'/>");
    expect(text).toContain("<topology sockets='4' dies='1' cores='2' threads='2'/>");
    expect(text).toContain("<sibling id='1' value='21'/>");
  });
});

describe('changed layouts written into real domains still validate', () => {
  // From a newer libvirt's test suite; Debian's libvirt 9.0 schema refuses them as they come
  // (<topology clusters='1'>, and an element of the q35 <devices>). Any other refusal is news.
  const REFUSED = ['memory-hotplug-virtio-mem.xml', 'vcpu-placement-static.xml'];
  const files = domainFiles();
  const valid = files.filter((f) => validateXml(save(f.text)).ok);
  it('every fixture validates against this libvirt to begin with, except the known ones', () => {
    expect(files.filter((f) => !valid.includes(f)).map((f) => f.name)).toEqual(REFUSED);
  });
  it.each(valid.map((f) => [f.name, f.text]))('%s', (_, text) => {
    const layout = readLayout(parseDomainDocument(text)).layout!;
    const w = writeLayout(parseDomainDocument(text), changed(layout));
    expectValid(w.text);
  });
});

describe('the reader refuses what libvirt refuses, in its words', () => {
  it('two <iothreadpin> of one iothread: the second is an error, as virsh define says', () => {
    const text = writeLayout(null, goldenLayout(), { name: 'numascope-test' }).text.replace(
      '</cputune>',
      "  <iothreadpin iothread='1' cpuset='0'/>\n    <iothreadpin iothread='1' cpuset='1'/>\n  </cputune>\n  <iothreads>1</iothreads>",
    );
    const read = readLayout(parseDomainDocument(text));
    const message = "duplicate iothreadpin for same iothread '1'";
    expect(read.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([message]);
    expect(read.layout?.iothreadpins).toEqual([{ iothread: 1, cpus: [0] }]);
    const defined = defineOnTestDriver(text);
    expect(defined.ok).toBe(false);
    expect(defined.stderr).toContain(message);
  });
});
