/**
 * libvirt itself judges what write() produces: Debian's virt-xml-validate (libvirt-clients,
 * the RelaxNG schema of the installed libvirt) and `virsh define` on the test driver.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { readCorpus } from '../support/corpus.ts';
import { changed, domainFiles, goldenLayout } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'numascope-domain-xml-'));
let serial = 0;

function save(text: string): string {
  const path = join(dir, `domain-${serial++}.xml`);
  writeFileSync(path, text);
  return path;
}

/** Throws with virt-xml-validate's complaint and the document when it refuses. */
function validate(text: string): void {
  const result = spawnSync('virt-xml-validate', [save(text), 'domain'], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`virt-xml-validate refused:\n${result.stderr}${result.stdout}\n--- document ---\n${text}`);
}

function define(text: string): string {
  // The test driver keeps definitions in memory: each virsh run starts from a fresh driver.
  return execFileSync('virsh', ['-c', 'test:///default', 'define', save(text)], { encoding: 'utf8' });
}

const talk = ingest(['pasted/talk-e7-8895v2.lscpu.txt', 'pasted/talk-e7-8895v2.numactl-H.txt'].map((f) => ({ name: f, text: readCorpus(f) }))).host;

const layouts: [string, () => GuestLayout][] = [
  ['the DESIGN.md §3 golden layout (by hand)', goldenLayout],
  ['solve(): talk host, mode host', () => solve(talk, DEFAULT_REQUEST).layout],
  ['solve(): talk host, mode node on node 1, floating', () => solve(talk, { ...DEFAULT_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout],
];

describe('write(null, layout) is a domain libvirt accepts', () => {
  it.each(layouts)('%s', (_, make) => {
    const layout = make();
    const w = writeLayout(null, layout, { name: 'numascope-test' });
    expect(w.diagnostics).toEqual([]);
    validate(w.text);
    expect(define(w.text)).toMatch(/Domain 'numascope-test' defined/);
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
  const valid = domainFiles().filter((f) => {
    try {
      validate(f.text);
      return true;
    } catch {
      return false;
    }
  });
  it('most fixtures validate against this libvirt to begin with', () => {
    expect(valid.length).toBeGreaterThanOrEqual(8);
  });
  it.each(valid.map((f) => [f.name, f.text]))('%s', (_, text) => {
    const layout = readLayout(parseDomainDocument(text)).layout!;
    const w = writeLayout(parseDomainDocument(text), changed(layout));
    validate(w.text);
  });
});
