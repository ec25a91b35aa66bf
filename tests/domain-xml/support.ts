/**
 * Shared test material for the domain XML engine: the real libvirt domains (shared corpus and
 * tests/fixtures/domain-xml), the DESIGN.md §3 golden layout, and a byte-level "everything but
 * the owned elements" view of a document for the round-trip diffs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDomainDocument, type XmlElement } from '../../src/core/domain-xml/index.ts';
import { talkExample1 } from '../support/golden.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { corpusPath } from '../support/corpus.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/domain-xml');

export interface DomainFile {
  name: string;
  text: string;
}

export function domainFiles(): DomainFile[] {
  const dirs = [corpusPath('libvirt-domain-numa'), FIXTURES];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') })),
  );
}

/** The talk's guest on the talk's host (DESIGN.md §3 golden example), written out by hand. */
export const goldenLayout = talkExample1;

const OWNED_TOP = new Set(['memory', 'currentMemory', 'vcpu', 'vcpus', 'iothreads', 'numatune']);
const OWNED_IN: Record<string, Set<string>> = {
  cputune: new Set(['vcpupin', 'emulatorpin', 'iothreadpin']),
  memoryBacking: new Set(['hugepages']),
  cpu: new Set(['topology', 'numa']),
};

/**
 * The document with every owned element cut out together with its line, and containers left
 * empty by that (`<cputune>`, `<memoryBacking>`, an attribute-less `<cpu>`) dropped, a
 * self-closing and an emptied container made alike. Two documents that differ only in owned
 * elements give the same string.
 */
export function withoutOwned(text: string): string {
  const doc = parseDomainDocument(text);
  const root = doc.root;
  if (!root) throw new Error('no root');
  const cuts: [number, number][] = [];
  const cut = (el: XmlElement) => {
    let from = el.start;
    while (from > 0 && ' \t'.includes(text[from - 1])) from--;
    if (text[from - 1] === '\n') from--;
    cuts.push([from, el.end]);
  };
  for (const c of root.children) {
    if (c.kind !== 'element') continue;
    if (OWNED_TOP.has(c.name)) cut(c);
    const inner = OWNED_IN[c.name];
    if (inner) for (const g of c.children) if (g.kind === 'element' && inner.has(g.name)) cut(g);
    if (c.name === 'devices') {
      for (const ctl of c.children) {
        if (ctl.kind !== 'element' || ctl.name !== 'controller') continue;
        for (const t of ctl.children) if (t.kind === 'element' && t.name === 'target') for (const n of t.children) if (n.kind === 'element' && n.name === 'node') cut(n);
      }
    }
  }
  cuts.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of cuts) {
    out += text.slice(at, from);
    at = to;
  }
  out += text.slice(at);
  return out
    .replace(/\n[ \t]*<(cputune|memoryBacking)>\s*<\/\1>/g, '')
    .replace(/\n[ \t]*<cpu>\s*<\/cpu>/g, '')
    .replace(/<cpu([^>]*[^/])>\s*<\/cpu>/g, '<cpu$1/>');
}

/** Changes every owned part: pins, emulator and iothread pins, topology, cells and their memory, numatune, hugepages. */
export function changed(layout: GuestLayout): GuestLayout {
  const vcpus = layout.vcpus;
  const cellCount = Math.min(vcpus, 2);
  const per = vcpus / cellCount;
  const cells = Array.from({ length: cellCount }, (_, i) => ({
    id: i,
    vcpus: Array.from({ length: Number.isInteger(per) ? per : i === 0 ? Math.ceil(per) : Math.floor(per) }, (_, k) => (i === 0 ? k : Math.ceil(per) + k)),
    memoryKiB: 1048576 * (i + 1),
    hostNodes: [i + 4],
    memoryMode: i === 0 ? ('strict' as const) : ('preferred' as const),
    distances: Array.from({ length: cellCount }, (_, j) => (i === j ? 10 : 31)),
    hugepageSizeKiB: 2048,
  }));
  return {
    ...layout,
    currentVcpus: undefined,
    topology: { sockets: vcpus, dies: 1, clusters: 1, cores: 1, threads: 1 },
    cells,
    pins: Array.from({ length: vcpus }, (_, v) => ({ vcpu: v, cpus: [100 + v] })),
    emulatorpin: [0, 1],
    iothreadpins: [{ iothread: 1, cpus: [2, 3] }],
    memoryKiB: cells.reduce((s, c) => s + c.memoryKiB, 0),
  };
}

