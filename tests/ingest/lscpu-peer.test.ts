/**
 * The lscpu formats against the real lscpu (Debian util-linux): for every corpus sysfs dump,
 * run `lscpu`, `lscpu -e`, `lscpu -p`, `lscpu -J`, `lscpu -e -J` and the sectioned terminal
 * output (through `script`, wrapped at 80 and at 40 columns), parse each and check that all
 * forms tell the same story about the same machine.
 */
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/core/diagnostics.ts';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { lscpuFormat } from '../../src/core/ingest/lscpu.ts';
import { lscpuExtendedFormat } from '../../src/core/ingest/lscpu-e.ts';
import { lscpuJsonFormat } from '../../src/core/ingest/lscpu-json.ts';
import { lscpuParseFormat } from '../../src/core/ingest/lscpu-p.ts';
import { corpusFiles, dumpRoot, runPeer } from '../support/corpus.ts';

const dumps = [
  ...corpusFiles('util-linux-lscpu', /\.tar\.gz$/).map((f) => ['util-linux-lscpu', f] as const),
  // hwloc dumps with CPU information (the corpus has lscpu output exactly for those).
  ...corpusFiles('hwloc-linux', /\.lscpu\.txt$/).map((f) => ['hwloc-linux', f.replace(/\.lscpu\.txt$/, '.tar.bz2')] as const),
];

interface View {
  online: number[];
  nodes: Record<number, number[]>;
  sockets?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
}

function summaryView(f: HostFacts): View {
  const nodes: Record<number, number[]> = {};
  for (const n of f.nodes) if (n.cpus && n.cpus.length > 0) nodes[n.id] = n.cpus;
  return { online: f.counts.online ?? [], nodes, sockets: f.counts.sockets, coresPerSocket: f.counts.coresPerSocket, threadsPerCore: f.counts.threadsPerCore };
}

/** What the per-CPU table says, summarised the way lscpu summarises it (online CPUs only). */
function tableView(f: HostFacts): View {
  const online = f.cpus.filter((c) => c.online !== false);
  const nodes: Record<number, number[]> = {};
  const coresOf = new Map<number, Set<number>>();
  const threadsOf = new Map<string, number>();
  for (const c of online) {
    if (c.node !== undefined) (nodes[c.node] ??= []).push(c.id);
    if (c.package !== undefined && c.core !== undefined) {
      if (!coresOf.has(c.package)) coresOf.set(c.package, new Set());
      coresOf.get(c.package)?.add(c.core);
      const key = `${c.package}/${c.core}`;
      threadsOf.set(key, (threadsOf.get(key) ?? 0) + 1);
    }
  }
  for (const ids of Object.values(nodes)) ids.sort((a, b) => a - b);
  return {
    online: online.map((c) => c.id).sort((a, b) => a - b),
    nodes,
    sockets: coresOf.size || undefined,
    coresPerSocket: coresOf.size ? Math.max(...[...coresOf.values()].map((s) => s.size)) : undefined,
    threadsPerCore: threadsOf.size ? Math.max(...threadsOf.values()) : undefined,
  };
}

function clean(f: HostFacts, what: string): HostFacts {
  expect(hasErrors(f.diagnostics), `${what}: ${JSON.stringify(f.diagnostics)}`).toBe(false);
  expect(f.unknownLines, what).toBe(0);
  return f;
}

function summaryOf(f: HostFacts) {
  return { machine: f.machine, counts: f.counts, nodes: f.nodes, cacheSummary: f.cacheSummary };
}

/**
 * Where lscpu's own outputs disagree with each other, on purpose or by lscpu's design:
 * - rv64-milkvpioneer: lscpu 2.38 cannot read this RISC-V dump's CPUs, -e prints '-' rows.
 * - s390 and ppc64 LPARs: Socket(s)/Core(s) per socket count topology lscpu reads from
 *   /proc/sysinfo or the hypervisor, not the socket/core ids of the table.
 * - offline-cpu0-node0: the summary counts cores per socket over present CPUs, offline included.
 * - hybrid ARM: lscpu prints one block per core type and numbers CORE per type, so the table's
 *   (socket, core) pairs repeat across types.
 */
const TABLE_SUMMARY_EXCEPTIONS = new Set(['rv64-milkvpioneer', 's390-lpar-drawer', 's390-zvm', '20s390-2g6s4c', 'offline-cpu0-node0']);
const HYBRID = new Set(['arm-A510-A710-A715-X3', 'nvidia-dgx-gb10']);

describe.each(dumps)('real lscpu on %s/%s', (folder, tarball) => {
  const name = tarball.replace(/\.tar\.(gz|bz2)$/, '');
  const root = dumpRoot(folder, tarball);
  const outputs = new Map<string, string>();
  const peer = (...args: string[]): string => {
    const key = args.join(' ');
    if (!outputs.has(key)) outputs.set(key, runPeer('lscpu', [...args, '-s', root]));
    return outputs.get(key) ?? '';
  };
  const plain = clean(lscpuFormat.parse(peer(), 'lscpu'), `${name} lscpu`);
  const extended = clean(lscpuExtendedFormat.parse(peer('-e'), 'lscpu -e'), `${name} lscpu -e`);

  it('sniffs each output as its own format', () => {
    const outputs: [string, string][] = [
      ['lscpu', peer()], ['lscpu-e', peer('-e')], ['lscpu-p', peer('-p')], ['lscpu-json', peer('-J')], ['lscpu-json', peer('-e', '-J')],
    ];
    const formats = [lscpuFormat, lscpuExtendedFormat, lscpuParseFormat, lscpuJsonFormat];
    for (const [id, text] of outputs) {
      const best = formats.reduce((a, b) => (b.sniff(text) > a.sniff(text) ? b : a));
      expect(best.id, `${name}: ${text.slice(0, 80)}`).toBe(id);
    }
  });

  it('lscpu -J says what plain lscpu says', () => {
    const json = clean(lscpuJsonFormat.parse(peer('-J'), 'lscpu -J'), `${name} -J`);
    expect(summaryOf(json)).toEqual(summaryOf(plain));
  });

  it('the sectioned terminal output, wrapped at 80 and 40 columns, says what plain lscpu says', () => {
    for (const columns of ['80', '40']) {
      const text = runPeer('script', ['-qc', `lscpu -s '${root}'`, '/dev/null'], { COLUMNS: columns });
      expect(text).toMatch(/^ {2}\S/m); // really the indented form
      const sectioned = clean(lscpuFormat.parse(text, 'tty'), `${name} tty ${columns}`);
      expect(summaryOf(sectioned), `${columns} columns`).toEqual(summaryOf(plain));
    }
  });

  it('lscpu -e -J gives the same CPUs as lscpu -e', () => {
    const json = clean(lscpuJsonFormat.parse(peer('-e', '-J'), 'lscpu -e -J'), `${name} -e -J`);
    expect(json.cpus).toEqual(extended.cpus);
  });

  it('lscpu -p gives the online CPUs of lscpu -e, with the same ids; -p -a gives all of them', () => {
    const parse = clean(lscpuParseFormat.parse(peer('-p'), 'lscpu -p'), `${name} -p`);
    const online = extended.cpus.filter((c) => c.online !== false);
    expect(parse.cpus).toEqual(online.map(({ online: _o, maxMHz: _m, groups: _g, ...rest }) => rest));
    const all = clean(lscpuParseFormat.parse(peer('-p=cpu,node,socket,core,cache,online', '-a'), 'lscpu -p -a'), `${name} -p -a`);
    expect(all.cpus.map(({ id, node, package: p, core, caches, online: o }) => ({ id, node, package: p, core, caches, online: o }))).toEqual(
      extended.cpus.map(({ id, node, package: p, core, caches, online: o }) => ({ id, node, package: p, core, caches, online: o })),
    );
    const physical = clean(lscpuParseFormat.parse(peer('-p', '-y'), 'lscpu -p -y'), `${name} -p -y`);
    expect(physical.cpus.map((c) => c.id)).toEqual(parse.cpus.map((c) => c.id));
  });

  it('lscpu -e and plain lscpu agree on CPUs, online set, nodes and topology', () => {
    if (name === 'rv64-milkvpioneer') {
      expect(extended.cpus).toEqual([]);
      expect(extended.diagnostics.some((d) => d.severity === 'warning' && /'-' instead of a CPU number/.test(d.message))).toBe(true);
      return;
    }
    expect(extended.cpus.length).toBe(plain.counts.cpus);
    const table = tableView(extended);
    const summary = summaryView(plain);
    expect(table.online).toEqual(summary.online);
    // The summary prints the kernel's node cpumaps, which may name CPUs that are not present
    // (s390: node0 = 0-140 on an 8-CPU LPAR); compare the CPUs the table has.
    const present = new Set(extended.cpus.map((c) => c.id));
    const onlineSet = new Set(table.online);
    expect(union(Object.values(table.nodes))).toEqual(union(Object.values(summary.nodes)).filter((id) => onlineSet.has(id)));
    for (const [node, cpus] of Object.entries(table.nodes)) {
      expect(cpus, `node ${node}`).toEqual(summary.nodes[Number(node)].filter((id) => present.has(id) && onlineSet.has(id)));
    }
    if (!HYBRID.has(name)) expect(table.threadsPerCore).toBe(summary.threadsPerCore);
    else expect(plain.counts.coresPerSocket, 'per-type core counts are not machine-wide').toBeUndefined();
    if (!TABLE_SUMMARY_EXCEPTIONS.has(name) && !HYBRID.has(name) && summary.sockets !== undefined) {
      expect(table.sockets).toBe(summary.sockets);
      expect(table.coresPerSocket).toBe(summary.coresPerSocket);
    }
  });
});

function union(sets: number[][]): number[] {
  return [...new Set(sets.flat())].sort((a, b) => a - b);
}

describe('known facts of corpus machines, through the real lscpu', () => {
  const run = (folder: string, tarball: string, ...args: string[]) => runPeer('lscpu', [...args, '-s', dumpRoot(folder, tarball)]);

  it('x86_64-epyc_7451: 96 PUs, 8 nodes, 2 sockets × 24 cores × 2 threads', () => {
    const f = lscpuFormat.parse(run('util-linux-lscpu', 'x86_64-epyc_7451.tar.gz'), 'epyc');
    expect(f.counts).toMatchObject({ cpus: 96, nodes: 8, sockets: 2, coresPerSocket: 24, threadsPerCore: 2 });
    expect(f.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(f.nodes[0].cpus).toEqual([0, 1, 2, 3, 4, 5, 48, 49, 50, 51, 52, 53]);
    expect(f.cacheSummary).toContainEqual({ level: 3, type: 'unified', sizeKiB: 8192, instances: 16, totalKiB: 131072 });
    const e = lscpuExtendedFormat.parse(run('util-linux-lscpu', 'x86_64-epyc_7451.tar.gz', '-e'), 'epyc -e');
    expect(e.cpus).toHaveLength(96);
    expect(e.cpus[48]).toMatchObject({ id: 48, node: 0, package: 0, core: 0, online: true, maxMHz: 2300 });
  });

  it('offline-cpu0-node0: CPUs 0-3 and 21-23 offline, node 0 has no online CPUs', () => {
    const f = lscpuFormat.parse(run('hwloc-linux', 'offline-cpu0-node0.tar.bz2'), 'offline');
    expect(f.counts.offline).toEqual([0, 1, 2, 3, 21, 22, 23]);
    expect(f.counts.online).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(f.nodes).toEqual([{ id: 1, cpus: [5, 7, 9, 11, 13, 15, 17, 19] }]);
    const e = lscpuExtendedFormat.parse(run('hwloc-linux', 'offline-cpu0-node0.tar.bz2', '-e'), 'offline -e');
    expect(e.cpus.filter((c) => c.online === false).map((c) => c.id)).toEqual([0, 1, 2, 3, 21, 22, 23]);
    expect(e.cpus[0]).toEqual({ id: 0, online: false, caches: [{ level: 1, type: 'data', id: 0 }, { level: 1, type: 'instruction', id: 0 }, { level: 2, type: 'unified', id: 0 }] });
    const j = lscpuJsonFormat.parse(run('hwloc-linux', 'offline-cpu0-node0.tar.bz2', '-e', '-J'), 'offline -e -J');
    expect(j.diagnostics.some((d) => /'-' \(not JSON\)/.test(d.message))).toBe(true); // lscpu 2.38 writes "node": -,
    expect(j.cpus).toEqual(e.cpus);
  });

  it('ppc64-POWER7-64cpu: node 1 has no CPUs', () => {
    const f = lscpuFormat.parse(run('util-linux-lscpu', 'ppc64-POWER7-64cpu.tar.gz'), 'ppc');
    expect(f.nodes).toEqual([{ id: 0, cpus: Array.from({ length: 64 }, (_, i) => i) }, { id: 1, cpus: [] }]);
    expect(f.counts).toMatchObject({ cpus: 64, sockets: 16, coresPerSocket: 1, threadsPerCore: 4, nodes: 2 });
  });

  it('s390-lpar-drawer: drawers, books and sockets from the per-level counts', () => {
    const f = lscpuFormat.parse(run('util-linux-lscpu', 's390-lpar-drawer.tar.gz'), 's390');
    expect(f.counts).toMatchObject({ drawers: 4, books: 8, sockets: 24, coresPerSocket: 8 });
    const e = lscpuExtendedFormat.parse(run('util-linux-lscpu', 's390-lpar-drawer.tar.gz', '-e'), 's390 -e');
    expect(e.cpus[2]).toMatchObject({ id: 2, package: 1, core: 2 });
    // This LPAR's 8 CPUs are all in drawer 0, book 0: groups of the whole machine, which hwloc merges away.
    expect(e.cpus.filter((c) => c.groups !== undefined)).toEqual([]);
    expect(e.groups).toBeUndefined();
  });
});
