/**
 * Quick fixes on real broken documents: the talk's golden domain (written by our writer and
 * accepted by libvirt) and libvirt's own test domains, each broken the way a person breaks them
 * by hand. A fix must leave a document that readLayout + validate accept (no errors, the finding
 * gone) and that libvirt itself accepts (`virsh define` on the test driver, virt-xml-validate),
 * while every byte outside the fix stays as it was.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.ts';
import { applyEdits, parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { diagnosticSpan, elementAtPath, quickFixes, type QuickFix } from '../../src/core/guest/quickfix.ts';
import { validate } from '../../src/core/guest/validate.ts';
import { readCorpus } from '../support/corpus.ts';
import { talkExample1, talkExample2, talkHost } from '../support/golden.ts';
import { defineOnTestDriver, validateXml } from '../support/libvirt.ts';

const host = talkHost();
const golden = writeLayout(null, talkExample1(), { name: 'talk' }).text;
const dir = mkdtempSync(join(tmpdir(), 'numascope-quickfix-'));

/** The talk's host for the golden guest; libvirt's test domains name nodes of no real host. */
function findings(text: string, onHost = text.includes('<name>talk</name>')): { diagnostics: Diagnostic[]; fixesFor: (d: Diagnostic) => QuickFix[] } {
  const doc = parseDomainDocument(text);
  const read = readLayout(doc);
  const diagnostics = [...read.diagnostics, ...(read.layout ? validate(read.layout, onHost ? host : undefined) : [])];
  return { diagnostics, fixesFor: (d) => quickFixes(doc, read.layout, d, onHost ? host : undefined) };
}

/** libvirt's test driver defines the document and prints it back. */
function virshDefine(text: string): { ok: boolean; out: string } {
  const r = defineOnTestDriver(text, { dumpxml: true });
  return { ok: r.ok, out: r.stdout + r.stderr };
}

function xmlValid(text: string): string {
  const file = join(dir, 'v.xml');
  writeFileSync(file, text);
  const r = validateXml(file);
  return r.ok ? 'valid' : r.message;
}

/** Break → find the finding → its one fix → a document libvirt and we accept. */
function repair(broken: string, message: RegExp): { fixed: string; fix: QuickFix } {
  const before = findings(broken);
  const finding = before.diagnostics.find((d) => message.test(d.message));
  expect(finding, `a finding ${message} among ${JSON.stringify(before.diagnostics)}`).toBeDefined();
  const fixes = before.fixesFor(finding!);
  expect(fixes).toHaveLength(1);
  const fixed = applyEdits(broken, fixes[0].edits);
  const after = findings(fixed).diagnostics;
  expect(after.filter((d) => d.severity === 'error')).toEqual([]);
  expect(after.filter((d) => message.test(d.message))).toEqual([]);
  expect(xmlValid(fixed)).toBe('valid');
  const defined = virshDefine(fixed);
  expect(defined.ok, defined.out).toBe(true);
  return { fixed, fix: fixes[0] };
}

describe('quick fixes', () => {
  it('the golden document is clean, so every finding below is the breakage', () => {
    expect(findings(golden).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(virshDefine(golden).ok).toBe(true);
  });

  it("topology 3×2×2 ≠ 16 vCPUs → sockets 4, from readLayout's line and validate's path alike", () => {
    const broken = golden.replace("sockets='4'", "sockets='3'");
    const { fixed, fix } = repair(broken, /^CPU topology doesn't match maximum vcpu count$/);
    expect(fixed).toBe(golden);
    expect(fix.title).toBe('Set sockets to 4 (4×4 = 16 vCPUs)');
    const both = findings(broken).diagnostics.filter((d) => d.message === "CPU topology doesn't match maximum vcpu count");
    expect(both.map((d) => (d.line !== undefined ? 'line' : 'path'))).toEqual(['line', 'path']);
    for (const d of both) expect(findings(broken).fixesFor(d)[0].edits).toEqual(fix.edits);
  });

  it('offers no topology fix when sockets cannot make the product (16 vCPUs, 3 cores × 2 threads)', () => {
    const broken = golden.replace("cores='2'", "cores='3'");
    const f = findings(broken);
    const d = f.diagnostics.find((x) => x.message === "CPU topology doesn't match maximum vcpu count")!;
    expect(f.fixesFor(d)).toEqual([]);
  });

  it('a stale finding on a repaired document offers nothing', () => {
    const broken = findings(golden.replace("sockets='4'", "sockets='3'"));
    const d = broken.diagnostics.find((x) => x.message === "CPU topology doesn't match maximum vcpu count")!;
    expect(findings(golden).fixesFor(d)).toEqual([]);
  });

  it('cell ids 1..4 are renumbered 0..3, memnode and sibling references following them', () => {
    let broken = golden;
    for (const id of [3, 2, 1, 0]) {
      broken = broken.replaceAll(`cell id='${id}'`, `cell id='${id + 1}'`).replaceAll(`cellid='${id}'`, `cellid='${id + 1}'`).replaceAll(`sibling id='${id}'`, `sibling id='${id + 1}'`);
    }
    expect(virshDefine(broken).ok).toBe(false);
    const { fixed } = repair(broken, /^Exactly one 'cell' element per guest NUMA cell allowed/);
    expect(fixed).toBe(golden);
  });

  it('duplicate cell ids are renumbered when nothing refers to the duplicated id', () => {
    // libvirt's memnode test domain, without the memnode of cell 0, whose id is then typed twice.
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace(/\n *<memnode cellid='0'[^>]*>/, '');
    const broken = text.replace("<cell id='0'", "<cell id='1'");
    expect(broken).not.toBe(text);
    expect(virshDefine(broken).out).toContain("Duplicate NUMA cell info for cell id '1'");
    const { fixed } = repair(broken, /^Duplicate NUMA cell info for cell id '1'$/);
    expect(fixed).toBe(text);
  });

  it('renumbering is refused when a memnode names the duplicated id (which cell did it mean?)', () => {
    const broken = golden.replace("<cell id='1'", "<cell id='0'");
    const f = findings(broken);
    const d = f.diagnostics.find((x) => /^Duplicate NUMA cell info/.test(x.message))!;
    expect(f.fixesFor(d)).toEqual([]);
  });

  it('overlapping cells: the later cell gives the shared vCPU up', () => {
    const broken = golden.replace("cpus='0-3'", "cpus='0-4'");
    expect(virshDefine(broken).out).toContain('NUMA cells 1 and 0 have overlapping vCPU ids');
    const { fixed } = repair(broken, /^NUMA cells \d+ and \d+ have overlapping vCPU ids$/);
    expect(fixed).toBe(broken.replace("cpus='4-7'", "cpus='5-7'"));
  });

  it('no overlap fix when it would leave a cell without vCPUs', () => {
    const broken = golden.replace("cpus='0-3'", "cpus='0-7'");
    const f = findings(broken);
    const d = f.diagnostics.find((x) => /overlapping vCPU ids/.test(x.message))!;
    expect(f.fixesFor(d)).toEqual([]);
  });

  it('a vCPU in no cell joins cell 0, as the QEMU driver would put it', () => {
    const broken = golden.replace("cpus='12-15'", "cpus='12-14'");
    const { fixed, fix } = repair(broken, /are in no NUMA cell; libvirt's QEMU driver adds them to cell 0$/);
    expect(fixed).toBe(broken.replace("cpus='0-3'", "cpus='0-3,15'"));
    expect(fix.title).toBe('Add vCPUs 15 to cell 0');
  });

  it("<memory> that disagrees with the cells becomes their sum (libvirt's own test domain)", () => {
    // numatune-distances.xml from libvirt's tests: 6 cells × 2 GiB, <memory> 8 GiB.
    const text = readCorpus('libvirt-domain-numa', 'numatune-distances.xml');
    const { fixed, fix } = repair(text, /^<memory> is \d+ KiB but the NUMA cells hold \d+ KiB/);
    expect(fix.title).toBe("Set <memory> to the cells' sum (12582912 KiB)");
    expect(fixed).toBe(text.replace("<memory unit='KiB'>8388608</memory>", "<memory unit='KiB'>12582912</memory>").replace("<currentMemory unit='KiB'>8388608</currentMemory>", "<currentMemory unit='KiB'>12582912</currentMemory>"));
    // libvirt, given the fixed document, keeps exactly that total.
    expect(virshDefine(fixed).out).toContain("<memory unit='KiB'>12582912</memory>");
  });

  it('the memory fix keeps the unit the person wrote when the sum is whole in it', () => {
    const broken = golden.replace("<memory unit='KiB'>33554432</memory>", "<memory unit='GiB'>16</memory>");
    const { fixed } = repair(broken, /^<memory> is \d+ KiB but the NUMA cells hold/);
    expect(fixed).toBe(broken.replace("<memory unit='GiB'>16</memory>", "<memory unit='GiB'>32</memory>"));
  });

  it('a document written with double quotes gets its fixes in double quotes', () => {
    const doubled = golden.replaceAll("'", '"');
    const noCpus = doubled.replace('<cell id="0" cpus="0-3" ', '<cell id="0" ');
    expect(noCpus).not.toBe(doubled);
    const { fixed, fix } = repair(noCpus, /are in no NUMA cell; libvirt's QEMU driver adds them to cell 0$/);
    expect(fix.title).toBe('Add vCPUs 0-3 to cell 0');
    expect(fixed).toBe(doubled);

    const memory = doubled.replace('<memory unit="KiB">33554432</memory>', '<memory unit="GiB">16</memory>');
    expect(repair(memory, /^<memory> is \d+ KiB but the NUMA cells hold/).fixed).toBe(memory.replace('<memory unit="GiB">16</memory>', '<memory unit="GiB">32</memory>'));
    // not a whole number of MiB: KiB, and the unit says so, in the document's quotes
    const odd = doubled.replace('<cell id="3" cpus="12-15" memory="8388608"', '<cell id="3" cpus="12-15" memory="8388609"').replace('<memory unit="KiB">33554432</memory>', '<memory unit="MiB">32768</memory>');
    const fixedOdd = odd.replace('<memory unit="MiB">32768</memory>', '<memory unit="KiB">33554433</memory>').replace('<currentMemory unit="KiB">33554432<', '<currentMemory unit="KiB">33554433<');
    expect(repair(odd, /^<memory> is \d+ KiB but the NUMA cells hold/).fixed).toBe(fixedOdd);
  });
});

describe('quick fixes for a layout that does not suit its host', () => {
  it('a vCPU pinned to a CPU the host lacks moves to the free thread of the core its guest-core sibling runs on', () => {
    const broken = golden.replace("<vcpupin vcpu='5' cpuset='76'/>", "<vcpupin vcpu='5' cpuset='130'/>");
    const { fixed, fix } = repair(broken, /^vCPU 5 is pinned to host CPUs 130, which are not online CPUs of this host$/);
    expect(fixed).toBe(golden);
    expect(fix.title).toBe('Pin vCPU 5 to CPU 76 (nearest free)');
  });

  it('a vCPU pinned to an offline CPU whose core is taken moves to the first free CPU of its cell’s node (not the reserved first core)', () => {
    const offline = structuredClone(host);
    offline.cpus.find((c) => c.id === 76)!.online = false;
    const doc = parseDomainDocument(golden);
    const layout = readLayout(doc).layout!;
    const finding = validate(layout, offline).find((d) => d.message === 'vCPU 5 is pinned to host CPUs 76, which are not online CPUs of this host');
    expect(finding).toBeDefined();
    const [fix, ...more] = quickFixes(doc, layout, finding!, offline);
    expect(more).toEqual([]);
    const fixed = applyEdits(golden, fix.edits);
    expect(fixed).toBe(golden.replace("<vcpupin vcpu='5' cpuset='76'/>", "<vcpupin vcpu='5' cpuset='18'/>"));
    const after = validate(readLayout(parseDomainDocument(fixed)).layout!, offline);
    expect(after.filter((d) => d.severity !== 'info')).toEqual([]);
    // without the host the finding was made on, nothing is guessed
    expect(quickFixes(doc, layout, finding!)).toEqual([]);
  });

  it('a floating vCPU keeps the CPUs of its pin that are online', () => {
    const node = writeLayout(null, talkExample2(), { name: 'talk' }).text;
    const broken = node.replace("<vcpupin vcpu='3' cpuset='16-29,76-89'/>", "<vcpupin vcpu='3' cpuset='16-29,76-89,130-131'/>");
    expect(broken).not.toBe(node);
    const { fixed, fix } = repair(broken, /^vCPU 3 is pinned to host CPUs 130-131, which are not online CPUs of this host$/);
    expect(fixed).toBe(node);
    expect(fix.title).toBe('Keep vCPU 3 on its online CPUs 16-29,76-89');
  });

  it('a vCPU away from its cell’s memory moves back beside its guest-core sibling', () => {
    const broken = golden.replace("<vcpupin vcpu='5' cpuset='76'/>", "<vcpupin vcpu='5' cpuset='33'/>");
    const { fixed, fix } = repair(broken, /^vCPU 5 runs on host node 2 but cell 1's memory is on node 1/);
    expect(fixed).toBe(golden);
    expect(fix.title).toBe('Pin vCPU 5 to CPU 76 on node 1, beside its memory');
  });

  it('a cell whose memory is bound away from all its vCPUs: move the vCPU, or bind the memory where they run', () => {
    const broken = golden.replace("<memnode cellid='1' mode='strict' nodeset='1'/>", "<memnode cellid='1' mode='strict' nodeset='2'/>");
    const f = findings(broken);
    const finding = f.diagnostics.find((d) => /^vCPU 4 runs on host node 1 but cell 1's memory is on node 2/.test(d.message));
    expect(finding).toBeDefined();
    const fixes = f.fixesFor(finding!);
    expect(fixes.map((x) => x.title)).toEqual(['Pin vCPU 4 to CPU 33 on node 2, beside its memory', "Bind cell 1's memory to node 1, where its vCPUs run"]);
    const rebound = applyEdits(broken, fixes[1].edits);
    expect(rebound).toBe(golden);
    expect(virshDefine(rebound).ok).toBe(true);
    expect(applyEdits(broken, fixes[0].edits)).toBe(broken.replace("<vcpupin vcpu='4' cpuset='16'/>", "<vcpupin vcpu='4' cpuset='33'/>"));
  });

  it('a <memnode> naming a cell the guest does not have is removed', () => {
    const broken = golden.replace("<memnode cellid='3' mode='strict' nodeset='3'/>", "<memnode cellid='3' mode='strict' nodeset='3'/>\n    <memnode cellid='4' mode='strict' nodeset='0'/>");
    expect(broken).not.toBe(golden);
    expect(virshDefine(broken).ok).toBe(false);
    const { fixed, fix } = repair(broken, /^Invalid 'cellid' attribute in memnode element: 4\. Max cellid is 3$/);
    expect(fixed).toBe(golden);
    expect(fix.title).toBe('Remove the <memnode> of cell 4, which the guest does not have');
  });

  it('cells that do not add up to <memory>: <memory> becomes their sum', () => {
    const broken = golden.replace("<memory unit='KiB'>33554432</memory>", "<memory unit='KiB'>30000000</memory>");
    expect(broken).not.toBe(golden);
    const { fixed } = repair(broken, /^<memory> is 30000000 KiB but the NUMA cells hold 33554432 KiB/);
    expect(fixed).toBe(golden);
  });
});

describe('locating diagnostics', () => {
  const doc = parseDomainDocument(golden);
  const at = (from: number, to: number) => golden.slice(from, to);

  it('paths name elements, attribute steps included', () => {
    const span = diagnosticSpan(doc, { severity: 'error', source: 'layout', path: "/domain/cpu/numa/cell[@id='2']", message: '' })!;
    expect(at(span.from, span.to)).toBe("<cell id='2' cpus='8-11' memory='8388608' unit='KiB'>");
    const pin = diagnosticSpan(doc, { severity: 'warning', source: 'layout', path: "/domain/cputune/vcpupin[@vcpu='5']", message: '' })!;
    expect(at(pin.from, pin.to)).toBe("<vcpupin vcpu='5' cpuset='76'/>");
  });

  it('a path below what exists lands on the nearest ancestor', () => {
    const span = diagnosticSpan(doc, { severity: 'error', source: 'layout', path: "/domain/cputune/iothreadpin[@iothread='1']", message: '' })!;
    expect(at(span.from, span.to)).toBe('<cputune>');
    expect(elementAtPath(doc.root!, '/other/x')).toBeUndefined();
  });

  it("readLayout's line and column land on the element, attribute value or content they name", () => {
    const broken = golden.replace("cpus='4-7'", "cpus='4-x'").replace('>16</vcpu>', '>sixteen</vcpu>');
    const bdoc = parseDomainDocument(broken);
    const spans = readLayout(bdoc).diagnostics.map((d) => {
      const s = diagnosticSpan(bdoc, d)!;
      return `${d.message.slice(0, 20)} → ${broken.slice(s.from, s.to)}`;
    });
    expect(spans).toContain("Failed to parse bitm → 4-x");
    expect(spans).toContain('maximum vcpus count  → sixteen');
  });
});
