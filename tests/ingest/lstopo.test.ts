import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList, parseHexMask } from '../../src/core/cpuset.ts';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { parseHwlocXml } from '../../src/core/ingest/hwloc-xml.ts';
import { lstopoFormat, parseLstopo } from '../../src/core/ingest/lstopo.ts';
import { corpusFiles, corpusPath, readCorpus, runPeer } from '../support/corpus.ts';
import { dumpInContainer, errors, memoryAgrees, summary } from './hwloc-support.ts';

const textFiles = [
  ...corpusFiles('hwloc-xml', /\.lstopo(-v-wholeio)?\.txt$/).map((f) => ['hwloc-xml', f]),
  ...corpusFiles('hwloc-xml-v3', /\.console$/).map((f) => ['hwloc-xml-v3', f]),
  ...corpusFiles('hwloc-linux', /\.(lstopo\.txt|console)$/).map((f) => ['hwloc-linux', f]),
];

describe('lstopo text: every corpus file', () => {
  it.each(textFiles)('%s/%s parses without errors', (folder, file) => {
    const text = readCorpus(folder, file);
    expect(lstopoFormat.sniff(text)).toBeGreaterThanOrEqual(0.8);
    const f = parseLstopo(text, file);
    expect(errors(f)).toEqual([]);
    expect(f.unknownLines).toBe(0);
    expect(f.cpus.length).toBeGreaterThan(0);
  });
});

/** The XML each text was made from (hwloc-xml: same name; hwloc-linux: the generated .lstopo.xml). */
function xmlOf(folder: string, file: string): string | undefined {
  const base = file.replace(/\.(lstopo(-v-wholeio)?\.txt|console)$/, '');
  const candidates = folder === 'hwloc-linux' ? [`${base}.lstopo.xml`] : [`${base}.xml`];
  return candidates.find((c) => existsSync(corpusPath(folder, c)));
}

/**
 * lstopo without --whole-system shows only the CPUs in the XML's allowed_cpuset, which the XML
 * reader keeps online (they are the host's): compare on what lstopo shows.
 */
function asLstopoShows(x: HostFacts, xml: string): HostFacts {
  const attr = /<object type="(?:Machine|System)"[^>]*\ballowed_cpuset="([^"]*)"/.exec(xml)?.[1];
  const allowed = attr === undefined ? undefined : parseHexMask(attr);
  if (!allowed?.ok) return x;
  const shown = new Set(allowed.ids);
  return { ...x, cpus: x.cpus.map((c) => (shown.has(c.id) ? c : { ...c, online: false })) };
}

describe('lstopo text agrees with the hwloc XML of the same machine', () => {
  // Plain lstopo drops "unimportant" PCI devices and prints memory rounded to the unit.
  // Upstream .console files were made by newer hwloc from the sysfs dump, not from our XML:
  // only the CPU/node structure is compared for them.
  const pairs = textFiles.filter(([folder, file]) => xmlOf(folder, file) !== undefined);
  it.each(pairs)('%s/%s', (folder, file) => {
    const xml = readCorpus(folder, xmlOf(folder, file) as string);
    const x = asLstopoShows(parseHwlocXml(xml, 'xml'), xml);
    const t = parseLstopo(readCorpus(folder, file), file);
    const sx = summary(x);
    const st = summary(t);
    const verbose = /-v-wholeio|\.console$/.test(file);
    const sameSource = folder !== 'hwloc-linux' || !file.endsWith('.console');
    // lstopo hides CPUs outside allowed_cpuset, with their nodes and the locality of their PCI.
    const allShown = x.cpus.every((c) => c.online);
    expect({ ...st, pciWithNode: 0 }).toEqual({ ...sx, pciWithNode: 0 });
    if (verbose && sameSource && allShown) expect(st.pciWithNode).toBe(sx.pciWithNode);
    if (sameSource) expect(memoryAgrees(x, t, verbose ? 0.0001 : 0.05)).toBe(true);
    if (verbose && x.distances && sameSource && allShown) expect(t.distances).toEqual({ ...x.distances, line: t.distances?.line });
  });
});

describe('lstopo text: details', () => {
  it('verbose: OS indexes of cores and packages, cache attributes, PCI attributes', () => {
    const f = parseLstopo(readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.lstopo-v-wholeio.txt'), 'v');
    expect(f.cpus.find((c) => c.id === 2)).toMatchObject({ package: 0, core: 8, node: 0, siblings: [2, 14] });
    expect(f.caches.find((c) => c.level === 3)).toMatchObject({ sizeKiB: 12288, lineSize: 64, ways: 16, cpus: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22] });
    expect(f.pci.find((p) => p.bdf === '0000:04:00.0')).toMatchObject({
      parent: '0000:00:01.0', root: '0000:00', node: 0, classCode: '0200', className: 'Ethernet', vendorId: '8086', deviceId: '10c9', link: '0.2 GB/s',
      osDevices: [{ name: 'eth0', kind: 'Network' }],
    });
    expect(f.machine).toMatchObject({ hostname: 'mirage004', arch: 'x86_64' });
  });
  it('plain: the " + " chains, GB sizes and folded PCI functions', () => {
    const f = parseLstopo(readCorpus('hwloc-xml', '16intel64-manyVFs.lstopo.txt'), 'p');
    expect(f.pci.filter((p) => p.bdf.startsWith('0000:88:00.')).map((p) => p.bdf)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `0000:88:00.${i}`));
    expect(f.nodes[0].memoryKiB).toBe(64 * 1024 * 1024);
    expect(f.cpus[0].caches?.map((c) => `L${c.level}${c.type[0]}`)).toEqual(['L3u', 'L2u', 'L1d', 'L1i']);
  });
  it('offline CPUs and CPU kinds from the verbose summary', () => {
    const f = parseLstopo(readCorpus('hwloc-linux', '16em64t-4s2c2t-offlines.console'), 'c');
    expect(f.cpus.filter((c) => !c.online).map((c) => c.id)).toEqual([2, 5, 13, 14]);
    const h = parseLstopo(readCorpus('hwloc-linux', '20em64t-hybrid-1p6c2t+2ca4co1t.console'), 'h');
    expect(new Set(h.cpus.map((c) => c.kind)).size).toBe(2);
  });
  it('hwloc 1.x style: NUMANode as a parent, Socket, PCI without bus address', () => {
    const text = [
      'Machine (64GB)',
      '  NUMANode L#0 (P#0 32GB) + Socket L#0 + L3 L#0 (20MB)',
      '    L2 L#0 (256KB) + L1d L#0 (32KB) + L1i L#0 (32KB) + Core L#0',
      '      PU L#0 (P#0)',
      '      PU L#1 (P#2)',
      '    HostBridge L#0',
      '      PCI 8086:1521',
      '        Net L#0 "eth0"',
      '  NUMANode L#1 (P#1 32GB) + Socket L#1 + L3 L#1 (20MB)',
      '    L2 L#1 (256KB) + L1d L#1 (32KB) + L1i L#1 (32KB) + Core L#1',
      '      PU L#2 (P#1)',
      '      PU L#3 (P#3)',
    ].join('\n');
    const f = parseLstopo(text, '1x');
    expect(errors(f)).toEqual([]);
    expect(f.nodes).toEqual([{ id: 0, cpus: [0, 2], memoryKiB: 32 << 20 }, { id: 1, cpus: [1, 3], memoryKiB: 32 << 20 }]);
    expect(f.cpus.find((c) => c.id === 3)).toMatchObject({ package: 1, core: 1, node: 1, siblings: [1, 3] });
    expect(f.diagnostics.some((d) => /bus address/.test(d.message))).toBe(true);
  });
  it.each([
    ['empty', ''],
    ['garbage', 'hello\nworld'],
    ['binary', '\u0000\u0001\u00ff'],
    ['xml', readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.xml')],
  ])('%s → an error, never a throw', (_, text) => {
    expect(errors(parseLstopo(text, 'bad')).length).toBeGreaterThan(0);
  });
  it('a truncated paste keeps what it has', () => {
    const text = readCorpus('hwloc-xml', '192em64t-24n8c2t.lstopo.txt');
    const f = parseLstopo(text.slice(0, text.length / 2), 'cut');
    expect(errors(f)).toEqual([]);
    expect(f.cpus.length).toBeGreaterThan(0);
  });
});

describe('lstopo text of a collector run inside a container (real lstopo, cpuset cgroup)', () => {
  it("--whole-system -v: the PUs it marks (disallowed) are the host's, in their own nodes, and named once", () => {
    const root = dumpInContainer();
    const text = runPeer('lstopo-no-graphics', ['--whole-system', '-v'], { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' });
    rmSync(dirname(root), { recursive: true, force: true });
    expect(text).toContain('PU L#1 (P#16) (disallowed)');
    const f = parseLstopo(text, 'container');
    expect(formatIdList(f.cpus.filter((c) => c.online).map((c) => c.id))).toBe('0-31');
    expect(f.nodes.map((n) => formatIdList(n.cpus ?? []))).toEqual(['0-7,16-23', '8-15,24-31']);
    const line = text.split('\n').findIndex((l) => l.startsWith('24 processors represented but not allowed')) + 1;
    expect(f.diagnostics).toEqual([
      {
        severity: 'info',
        source: 'container',
        line,
        message: '24 CPU(s) (8-31) were outside the allowed set of the process that ran lstopo (allowed_cpuset, its cgroup or container); they are host CPUs and read as online',
      },
    ]);
  });
});
