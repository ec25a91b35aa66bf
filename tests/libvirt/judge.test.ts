/**
 * libvirt is the judge (issue 7): for the talk's golden layouts and for hundreds of solve()
 * results on real corpus hosts, a real libvirtd — started over the sysfs of the host being
 * planned, so that its node checks are that host's — validates, defines and translates our
 * domain XML, and its QEMU command line must carry exactly our preview's placement items.
 */
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intersect, parseHexMask, parseIdList } from '../../src/core/cpuset.ts';
import { hasErrors } from '../../src/core/diagnostics.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { type Distribution, type PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusPath, dumpRoot } from '../support/corpus.ts';
import { startDaemon, type Daemon } from './daemon.ts';
import { talkExample1, talkExample2, talkHost, TALK_REQUEST } from '../support/golden.ts';
import { seededRandom } from '../support/random.ts';
import { judge } from './judge.ts';
import { judgeVirshCommands } from './virsh-apply.ts';
import { writeSysfs } from './sysfs.ts';

/** A first daemon on a fresh machine probes QEMU's capabilities (seconds on a loaded CI box). */
const STARTUP = 60_000;
const work = mkdtempSync(join(tmpdir(), 'numascope-judge-'));

const DISTRIBUTIONS: Distribution[] = ['contiguous', 'siblings', 'round-robin', 'interleave'];

/** solve() on random requests until `count` layouts came back; the seeds are fixed. */
function randomLayouts(host: Host, count: number, seed: number): { name: string; layout: GuestLayout }[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const nodes = host.nodes.filter((n) => n.cpus.length > 0 && (n.memoryKiB ?? 0) > 0);
  const out: { name: string; layout: GuestLayout }[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const cells = 1 + Math.floor(rnd() * Math.min(4, nodes.length));
    const perCell = pick([1, 2, 4, 6, 8]);
    const mode = pick(['auto', 'auto', 'host', 'node'] as const);
    // Counts the cells do not divide too: unequal cells, odd cells with a partly used core.
    const odd = rnd() < 0.3 ? 1 : 0;
    const request: PartitionRequest = {
      vcpus: cells * perCell + odd,
      memoryKiB: cells * pick([256, 512, 1024]) * 1024,
      mode,
      distribution: pick(DISTRIBUTIONS),
      pinning: mode === 'node' ? 'node-float' : pick(['1:1', '1:1', 'node-float'] as const),
      ...(rnd() < 0.7 ? { reserve: pick(['first-core', 'none'] as const) } : {}),
      threadPolicy: 'prefer',
      devices: [],
      ...(rnd() < 0.5 ? { cells } : {}),
      ...(rnd() < 0.3 ? { nodeset: nodes.slice(0, cells).map((n) => n.id).join(',') } : {}),
      ...(rnd() < 0.2 ? { iothreads: 1 } : {}),
    };
    const result = solve(host, request);
    if (hasErrors(result.diagnostics)) continue;
    out.push({ name: `s${seed}-${attempt}`, layout: result.layout });
  }
  return out;
}

function expectJudged(daemon: Daemon, layouts: { name: string; layout: GuestLayout }[]): void {
  const failures = layouts.flatMap(({ name, layout }) => judge(daemon, layout, name, work) ?? []);
  expect(failures.slice(0, 3).join('\n\n'), `${failures.length} of ${layouts.length} layouts failed`).toBe('');
}

describe("the talk's host (a generated sysfs: 4 nodes × 15 cores × 2 threads)", () => {
  let daemon: Daemon;
  const host = talkHost();
  beforeAll(() => {
    daemon = startDaemon(writeSysfs(host, join(work, 'talk-sysfs')));
  }, STARTUP);
  afterAll(() => daemon?.stop());

  it("libvirt's capabilities show the talk host's nodes, and our ingest reads them back", () => {
    const caps = daemon.virsh('capabilities');
    expect(caps.ok, caps.stderr).toBe(true);
    const back = ingest([{ name: 'capabilities.xml', text: caps.stdout }]).host;
    expect(back.nodes.map((n) => [n.id, n.cpus])).toEqual(host.nodes.map((n) => [n.id, n.cpus]));
    expect(back.distances).toEqual(host.distances);
    expect(back.cpus.find((c) => c.id === 1)?.siblings).toEqual([1, 61]);
  });

  it('accepts both golden layouts and translates them exactly as our preview says', () => {
    expectJudged(daemon, [
      { name: 'talk-example-1', layout: talkExample1() },
      { name: 'talk-example-2', layout: talkExample2() },
    ]);
  });

  it('our virsh commands, run on a defined guest, leave exactly the layout\'s pins and memory binding', () => {
    const layouts = [
      { name: 'talk-example-1', layout: talkExample1() },
      { name: 'talk-example-2', layout: talkExample2() },
      ...randomLayouts(host, 12, 11),
    ];
    const failures = layouts.flatMap(({ name, layout }) => judgeVirshCommands(daemon, layout, `${name}-virsh`, work) ?? []);
    expect(failures.slice(0, 2).join('\n\n'), `${failures.length} of ${layouts.length} layouts failed`).toBe('');
  });

  it('judges solve() on the talk host (the default request and 60 random ones)', () => {
    const defaults = solve(host, TALK_REQUEST);
    expect(defaults.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const layouts = [{ name: 'talk-default', layout: defaults.layout }, ...randomLayouts(host, 60, 7)];
    expect(layouts.length).toBe(61);
    expectJudged(daemon, layouts);
  });
});

/**
 * Real sysfs dumps (hwloc's, which keep each node's meminfo: libvirt needs it to describe a
 * node): NUMA ids with holes, offline CPUs, an offline node 0, sub-NUMA clusters.
 */
const DUMPS: { folder: string; tarball: string; count: number }[] = [
  { folder: 'hwloc-linux', tarball: '48amd64-4pa2n6c-sparse.tar.bz2', count: 40 },
  { folder: 'hwloc-linux', tarball: '96em64t-4no4pa3ca2co.tar.bz2', count: 30 },
  { folder: 'hwloc-linux', tarball: 'memorysidecaches.tar.bz2', count: 30 },
  { folder: 'hwloc-linux', tarball: '16em64t-4s2c2t-offlines.tar.bz2', count: 20 },
  { folder: 'hwloc-linux', tarball: 'offline-cpu0-node0.tar.bz2', count: 20 },
  { folder: 'hwloc-linux', tarball: '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2', count: 20 },
];

describe.each(DUMPS)('corpus host $tarball (its own sysfs dump)', ({ folder, tarball, count }) => {
  let daemon: Daemon;
  let host: Host;
  const root = dumpRoot(folder, tarball);
  beforeAll(() => {
    daemon = startDaemon(root);
    const caps = daemon.virsh('capabilities');
    if (!caps.ok) throw new Error(caps.stderr);
    host = ingest([{ name: `${tarball} capabilities`, text: caps.stdout }]).host;
  }, STARTUP);
  afterAll(() => daemon?.stop());

  it("libvirt's capabilities show exactly the dump's nodes and their online CPUs", () => {
    const nodeDir = join(root, 'sys/devices/system/node');
    // libvirt lists offline CPUs bare (<cpu id='1'/>), and our ingest keeps them out of nodes.
    const onlineFile = join(root, 'sys/devices/system/cpu/online');
    const onlineList = existsSync(onlineFile) ? parseIdList(readFileSync(onlineFile, 'utf8').trim()) : undefined;
    const online = onlineList?.ok ? onlineList.ids : host.cpus.map((c) => c.id);
    const dumped = readdirSync(nodeDir)
      .filter((d) => /^node\d+$/.test(d))
      .map((d) => {
        // Older kernels wrote only the hex cpumap.
        const cpulist = join(nodeDir, d, 'cpulist');
        const list = existsSync(cpulist) ? parseIdList(readFileSync(cpulist, 'utf8').trim()) : parseHexMask(readFileSync(join(nodeDir, d, 'cpumap'), 'utf8').trim());
        return [Number(d.slice(4)), intersect(list.ok ? list.ids : [], online)] as const;
      })
      .sort((a, b) => a[0] - b[0]);
    expect(host.nodes.map((n) => [n.id, n.cpus])).toEqual(dumped);
  });

  it(`judges ${count} random solve() results`, () => {
    const layouts = randomLayouts(host, count, count * 1000 + host.nodes.length);
    expect(layouts.length).toBe(count);
    expectJudged(daemon, layouts);
  });
});

it('the corpus hosts exist', () => {
  for (const { folder, tarball } of DUMPS) expect(existsSync(corpusPath(folder, tarball)), tarball).toBe(true);
});
