import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlanArgs, sizeToKiB } from '../src/cli/plan-args.ts';
import { composeRequest, readGuest } from '../src/cli/plan.ts';
import { occupancyOf } from '../src/core/partition/index.ts';
import { corpusPath } from './support/corpus.ts';
import { run, TALK_HOST_ARGS, type Run } from './support/cli.ts';
import { defineOnTestDriver } from './support/libvirt.ts';


const TALK = TALK_HOST_ARGS;

interface PlanJson {
  layout: {
    vcpus: number;
    topology: Record<string, number>;
    cells: { id: number; vcpus: number[]; memoryKiB: number; hostNodes: number[]; memoryMode: string }[];
    pins: { vcpu: number; cpus: number[] }[];
    emulatorpin: number[];
  };
  score: { nodes: number; distanceCost: number };
  xml: string | null;
  diagnostics: { severity: string; message: string }[];
  suggestions: { text: string; change: Record<string, unknown>; flags: string }[];
}

async function planJson(args: string[]): Promise<PlanJson> {
  const r = await run(['plan', ...TALK, ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
}

const badGuest = join(mkdtempSync(join(tmpdir(), 'numascope-plan-')), 'bad.xml');
writeFileSync(badGuest, "<domain>\n  <cputune>\n    <vcpupin vcpu='0' cpuset='1-'/>\n  </cputune>\n</domain>\n");

/** Every run that needs no other run's output, started at once. The talk's examples name their mode: the default is auto. */
const runs = {
  golden: () => run(['plan', ...TALK, '--mode', 'host', '--vcpus', '16', '--memory', '32GiB', '--json']),
  human: () => run(['plan', ...TALK, '--mode', 'host', '--vcpus', '16', '--memory', '32768MiB']),
  xmlOnly: () => run(['plan', ...TALK, '--mode', 'host', '--vcpus', '16', '--memory', '32GiB', '--xml']),
  node: () => run(['plan', ...TALK, '--mode', 'node', '--nodeset', '1', '--json']),
  infeasible: () => run(['plan', ...TALK, '--vcpus', '512', '--json']),
  noHost: () => run(['plan', '--vcpus', '16']),
  badMemory: () => run(['plan', ...TALK, '--memory', 'lots']),
  unreadable: () => run(['plan', '--host', '/nonexistent/host.txt']),
  badGuest: () => run(['plan', ...TALK, '--guest', badGuest, '--json']),
  cellsDisagree: () => run(['plan', ...TALK, '--vcpus', '16', '--cell-vcpus', '1,2']),
  cellSizes: () => run(['plan', ...TALK, '--mode', 'host', '--nodeset', '0-1', '--cell-vcpus', '4,12', '--cell-memory', '4GiB,12GiB', '--json']),
  // Nova's test_hardware.py: guest cells of unequal size (1 + 2 vCPUs), here in the default mode.
  byDefault: () => run(['plan', ...TALK, '--vcpus', '16', '--memory', '32GiB', '--json']),
  novaCells: () => run(['plan', ...TALK, '--cell-vcpus', '1,2', '--cell-memory', '1GiB,3GiB', '--json']),
};
const done = {} as Record<keyof typeof runs, Run>;
beforeAll(async () => {
  const keys = Object.keys(runs) as (keyof typeof runs)[];
  const results = await Promise.all(keys.map((k) => runs[k]()));
  keys.forEach((k, i) => (done[k] = results[i]));
}, 60_000);

function json(r: Run): PlanJson {
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as PlanJson;
}

/** Just enough domain XML to say what a planned guest holds: its pins, cells and memnodes. */
function domainXml(name: string, plan: PlanJson): string {
  const l = plan.layout;
  return [
    `<domain type='kvm'>`,
    `  <name>${name}</name>`,
    `  <vcpu placement='static'>${l.vcpus}</vcpu>`,
    `  <cputune>`,
    ...l.pins.map((p) => `    <vcpupin vcpu='${p.vcpu}' cpuset='${p.cpus.join(',')}'/>`),
    `  </cputune>`,
    `  <numatune>`,
    ...l.cells.map((c) => `    <memnode cellid='${c.id}' mode='strict' nodeset='${c.hostNodes.join(',')}'/>`),
    `  </numatune>`,
    `  <cpu mode='host-passthrough'>`,
    `    <numa>`,
    ...l.cells.map((c) => `      <cell id='${c.id}' cpus='${c.vcpus.join(',')}' memory='${c.memoryKiB}' unit='KiB'/>`),
    `    </numa>`,
    `  </cpu>`,
    `</domain>`,
  ].join('\n');
}

describe('numascope plan (the real bin) on the talk host', () => {
  it('lays out the golden example (DESIGN.md §3) in the JSON contract', () => {
    expect(done.golden.status).toBe(0);
    const plan = json(done.golden);
    expect(Object.keys(plan)).toEqual(['layout', 'score', 'xml', 'diagnostics', 'suggestions']);
    expect(plan.suggestions).toEqual([]);
    expect(Object.keys(plan.layout)).toEqual(['vcpus', 'topology', 'cells', 'pins', 'emulatorpin']);
    expect(plan.layout.vcpus).toBe(16);
    expect(plan.layout.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 2 });
    expect(plan.layout.cells).toEqual(
      [0, 1, 2, 3].map((i) => ({ id: i, vcpus: [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3], memoryKiB: 8388608, hostNodes: [i], memoryMode: 'strict' })),
    );
    // SMT-aware 1:1 pins that leave each node's first core (0/60, 15/75 …) to the host.
    expect(plan.layout.pins.slice(0, 8)).toEqual([[0, 1], [1, 61], [2, 2], [3, 62], [4, 16], [5, 76], [6, 17], [7, 77]].map(([vcpu, cpu]) => ({ vcpu, cpus: [cpu] })));
    expect(plan.layout.pins).toHaveLength(16);
    expect(plan.score).toEqual({ nodes: 4, distanceCost: 66 });
    expect(plan.xml).toContain("<memnode cellid='3' mode='strict' nodeset='3'/>");
    expect(plan.xml).toContain("<vcpupin vcpu='1' cpuset='61'/>");
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('lays the guest out in mode auto when no mode is given: the fewest nodes, 1:1 pins, the first core left to the host', () => {
    expect(done.byDefault.status).toBe(0);
    const plan = json(done.byDefault);
    // One node of the talk host holds 16 vCPUs and 32 GiB: one cell there, not the mirror of all four.
    expect(plan.score.nodes).toBe(1);
    expect(plan.layout.cells).toHaveLength(1);
    const node = plan.layout.cells[0].hostNodes[0];
    expect(plan.layout.pins).toHaveLength(16);
    expect(plan.layout.pins.every((p) => p.cpus.length === 1)).toBe(true);
    // reserveOf(): first-core under 1:1 pinning, its two threads (15 apart per node, siblings 60 apart) for the emulator.
    expect(plan.layout.emulatorpin).toEqual([15 * node, 15 * node + 60]);
    expect(plan.layout.pins.flatMap((p) => p.cpus).filter((c) => plan.layout.emulatorpin.includes(c))).toEqual([]);
  });

  it('--xml prints just the domain XML, the same text as the JSON carries, and libvirt defines it', () => {
    const r = done.xmlOnly;
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd()).toBe((json(done.golden).xml ?? '').trimEnd());
    expect(r.stdout.startsWith('<domain')).toBe(true);
    const defined = defineOnTestDriver(r.stdout);
    expect(defined.stderr).toBe('');
    expect(defined.stdout).toContain('defined from');
  });

  it('reads memory in libvirt and human units alike', () => {
    for (const size of ['32GiB', '32G', '32768MiB', '33554432KiB', '33554432', '32 GiB']) expect(sizeToKiB('--memory', size)).toBe(33554432);
    expect(sizeToKiB('--hugepages', '1G')).toBe(1048576);
    expect(sizeToKiB('--hugepages', '2M')).toBe(2048);
  });

  it("lays out the talk's second example: mode node on node 1, floating over its CPUs", () => {
    expect(done.node.status).toBe(0);
    const plan = json(done.node);
    expect(plan.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 2 });
    expect(plan.layout.cells).toEqual([{ id: 0, vcpus: [...Array(16).keys()], memoryKiB: 32 * 1024 * 1024, hostNodes: [1], memoryMode: 'strict' }]);
    const cpus = new Set(plan.layout.pins.map((p) => p.cpus.join(',')));
    expect(cpus.size).toBe(1);
    const node1 = [...cpus][0].split(',').map(Number);
    expect(node1.every((c) => (c >= 15 && c <= 29) || (c >= 75 && c <= 89))).toBe(true);
  });

  it('prints the layout for people (memory given in MiB)', () => {
    const r = done.human;
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('topology sockets=4 dies=1 clusters=1 cores=2 threads=2');
    expect(r.stdout).toMatch(/^\s+0\s+0-3\s+8 GiB\s+0\s+strict\s+10 21 21 21$/m);
    expect(r.stdout).toMatch(/^\s+0→1\s+1→61\s+2→2\s+3→62\s+4→16\s+5→76/m);
    expect(r.stdout).toMatch(/^Emulator pin: \S+/m);
    expect(r.stdout).toMatch(/^Score: 4 host node\(s\), distance cost 66/m);
    expect(r.stdout).toMatch(/^Domain XML\n<domain/m);
  });

  it('exits 1 with an error diagnostic when no layout fits', () => {
    const r = done.infeasible;
    expect(r.status).toBe(1);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(plan.xml).toBeNull();
  });

  it('exits 2 on usage errors and unreadable files', () => {
    const usage = (r: Run, message: string) => {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    };
    usage(done.noHost, 'name the host with --host FILE');
    usage(done.badMemory, '--memory needs a size such as 32GiB');
    usage(done.unreadable, 'cannot read /nonexistent/host.txt: ENOENT');
  });

  it('names what is wrong with each option', () => {
    const rejects = (args: string[], message: string) => expect(() => parsePlanArgs(['--host', 'h', ...args])).toThrow(message);
    rejects(['--vcpus', '0'], '--vcpus needs a whole number above 0');
    rejects(['--cells', 'two'], '--cells needs a whole number above 0');
    rejects(['--mode', 'socket'], "--mode must be one of auto, host, node, not 'socket'");
    rejects(['--distribution', 'random'], '--distribution must be one of contiguous, siblings, round-robin, interleave');
    rejects(['--pinning', '2:1'], '--pinning must be one of 1:1, node-float');
    rejects(['--thread-policy', 'never'], '--thread-policy must be one of prefer, isolate, require');
    rejects(['--nodeset', '0-'], '--nodeset: ');
    rejects(['--reserve', 'x'], '--reserve: ');
    rejects(['--device', 'eth0'], '--device needs a PCI address');
    rejects(['--device', '3b:00.0:maybe'], '--device needs a PCI address');
    rejects(['--frobnicate'], "unknown option '--frobnicate'");
    rejects(['extra.txt'], "unexpected argument 'extra.txt'");
    rejects(['--cells'], '--cells needs a value');
  });

  it('turns every option into the request the core gets', () => {
    const args = parsePlanArgs([
      '--host', 'a', '--host=b', '--vcpus', '8', '--memory=16G', '--mode', 'node', '--distribution', 'interleave',
      '--nodeset', '0-3,^2', '--cells', '2', '--reserve', '0,60', '--thread-policy', 'isolate', '--hugepages', '1G',
      '--iothreads', '2', '--device', '3B:00.0', '--device', '0000:af:00.1:preferred', '--guest', 'g.xml', '--from', 'old.xml', '--json',
    ]);
    expect(args.hosts).toEqual(['a', 'b']);
    expect(args.guests).toEqual(['g.xml']);
    expect(args.from).toBe('old.xml');
    expect(args.json).toBe(true);
    expect(composeRequest(args.flags)).toEqual({
      vcpus: 8, memoryKiB: 16 * 1024 * 1024, mode: 'node', distribution: 'interleave', nodeset: '0-3,^2', cells: 2,
      reserve: [0, 60], threadPolicy: 'isolate', hugepageSizeKiB: 1048576, iothreads: 2,
      devices: [{ bdf: '0000:3b:00.0', policy: 'required' }, { bdf: '0000:af:00.1', policy: 'preferred' }],
    });
    expect(parsePlanArgs(['--host', 'a', '--mode', 'node', '--pinning', '1:1']).flags.pinning).toBe('1:1');
    // Nothing given: mode auto, and neither pinning nor reserve — the core applies the mode's own (pinningOf, reserveOf).
    expect(parsePlanArgs(['--host', 'a']).flags).toEqual({});
    const defaults = composeRequest(parsePlanArgs(['--host', 'a']).flags);
    expect(defaults).toEqual({ vcpus: 16, memoryKiB: 32 * 1024 * 1024, mode: 'auto', distribution: 'contiguous', threadPolicy: 'prefer', devices: [] });
    expect(() => parsePlanArgs(['--host', 'a', '--xml', '--json'])).toThrow('--json and --xml each choose the output');
    expect(() => parsePlanArgs(['--host', 'a', '--from', 'x.xml', '--from', 'y.xml'])).toThrow('--from names the one domain');
  });

  it('says "none" for hugepages, devices and iothreads a --from document would otherwise give', () => {
    const none = parsePlanArgs(['--host', 'a', '--hugepages', 'none', '--device', 'none', '--iothreads', '0']).flags;
    expect(Object.hasOwn(none, 'hugepageSizeKiB') && none.hugepageSizeKiB === undefined).toBe(true);
    expect(Object.hasOwn(none, 'iothreads') && none.iothreads === undefined).toBe(true);
    expect(none.devices).toEqual([]);
    const fromDocument = { hugepageSizeKiB: 2048, iothreads: 2, devices: [{ bdf: '0000:3b:00.0', policy: 'preferred' as const }] };
    const request = composeRequest(fromDocument, none);
    expect(request).not.toHaveProperty('hugepageSizeKiB');
    expect(request).not.toHaveProperty('iothreads');
    expect(request.devices).toEqual([]);
    // A later --device after 'none' starts the list again.
    expect(parsePlanArgs(['--host', 'a', '--device', '3b:00.0', '--device', 'none', '--device', 'af:00.1']).flags.devices).toEqual([{ bdf: '0000:af:00.1', policy: 'required' }]);
  });

  it('reads explicit cell sizes (Nova\'s hw:numa_cpus.N / hw:numa_mem.N) and fills in the totals', () => {
    const sized = parsePlanArgs(['--host', 'a', '--cell-vcpus', '1,2', '--cell-memory', '1GiB,3GiB']).flags;
    expect(sized).toEqual({ cellVcpus: [1, 2], cellMemoryKiB: [1048576, 3145728], vcpus: 3, memoryKiB: 4194304 });
    // Totals given too: they must agree; memory left out is split by the core.
    expect(parsePlanArgs(['--host', 'a', '--vcpus', '3', '--memory', '4G', '--cell-vcpus=1,2', '--cell-memory=1024MiB,3G']).flags).toEqual(sized);
    expect(parsePlanArgs(['--host', 'a', '--memory', '8GiB', '--cell-vcpus', '4,4,2']).flags).toEqual({ cellVcpus: [4, 4, 2], vcpus: 10, memoryKiB: 8388608 });
    expect(parsePlanArgs(['--host', 'a', '--cells', '2', '--cell-vcpus', '3,5']).flags.cells).toBe(2);
  });

  it('refuses cell sizes that are malformed or disagree, as usage errors', () => {
    const rejects = (args: string[], message: string) => expect(() => parsePlanArgs(['--host', 'h', ...args])).toThrow(message);
    rejects(['--cell-vcpus', '1,,2'], "--cell-vcpus needs a whole number above 0, not ''");
    rejects(['--cell-vcpus', '1,0'], "--cell-vcpus needs a whole number above 0, not '0'");
    rejects(['--cell-vcpus', 'two,2'], "--cell-vcpus needs a whole number above 0, not 'two'");
    rejects(['--cell-vcpus', ''], '--cell-vcpus needs one value per guest cell, separated by commas, such as 1,2');
    rejects(['--cell-vcpus', '1,2', '--cell-memory', '1GiB,lots'], "--cell-memory needs a size such as 32GiB, 32G, 32768MiB or 8388608KiB, not 'lots'");
    rejects(['--cell-memory', '1GiB,3GiB'], '--cell-memory needs --cell-vcpus');
    rejects(['--cell-vcpus', '1,2', '--cell-memory', '4GiB'], '--cell-memory gives 1 size(s) for the 2 cell(s) of --cell-vcpus');
    rejects(['--vcpus', '4', '--cell-vcpus', '1,2'], '--cell-vcpus adds up to 3 vCPUs, not the 4 of --vcpus');
    rejects(['--memory', '8G', '--cell-vcpus', '1,2', '--cell-memory', '1GiB,3GiB'], '--cell-memory adds up to 4194304 KiB, not the 8388608 KiB of --memory');
    rejects(['--cells', '3', '--cell-vcpus', '1,2'], '--cells 3 and the 2 cell(s) of --cell-vcpus disagree');
    rejects(['--iothreads', '-1'], '--iothreads needs a whole number');
    rejects(['--hugepages', 'some'], '--hugepages needs a size');
  });

  it('exits 2 with the reason when cell sizes do not add up (the real bin)', () => {
    const r = done.cellsDisagree;
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('numascope plan: --cell-vcpus adds up to 3 vCPUs, not the 16 of --vcpus');
  });

  it('hands explicit cell sizes to the core: the guest gets the cells asked for', () => {
    for (const [r, sizes] of [[done.cellSizes, [[4, 4], [12, 12]]], [done.novaCells, [[1, 1], [2, 3]]]] as const) {
      expect(r.status, r.stdout).toBe(0);
      const plan = json(r);
      expect(plan.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB])).toEqual(sizes.map(([v, gib]) => [v, gib * 1048576]));
      expect(plan.layout.vcpus).toBe(sizes.reduce((s, [v]) => s + v, 0));
    }
  });

  it('never gives a second guest the host CPUs the first is pinned to (--guest)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'numascope-plan-'));
    const first = json(done.golden);
    const firstXml = join(dir, 'first.xml');
    writeFileSync(firstXml, domainXml('first', first));
    const second = await planJson(['--vcpus', '16', '--memory', '32GiB', '--guest', firstXml]);
    const firstCpus = new Set(first.layout.pins.flatMap((p) => p.cpus));
    const secondCpus = second.layout.pins.flatMap((p) => p.cpus);
    expect(secondCpus).toHaveLength(16);
    expect(secondCpus.filter((c) => firstCpus.has(c))).toEqual([]);

    const secondXml = join(dir, 'second.xml');
    writeFileSync(secondXml, domainXml('second', second));
    const third = await planJson(['--vcpus', '8', '--memory', '8GiB', '--guest', firstXml, '--guest', secondXml]);
    const taken = new Set([...firstCpus, ...secondCpus]);
    expect(third.layout.pins.flatMap((p) => p.cpus).filter((c) => taken.has(c))).toEqual([]);
  });

  it('reports a damaged --guest file with its line and exits 1', () => {
    const r = done.badGuest;
    expect(r.status).toBe(1);
    const plan = JSON.parse(r.stdout) as PlanJson & { diagnostics: { line?: number }[] };
    expect(plan.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: 3, message: expect.stringMatching(/^Failed to parse bitmap '1-'/) }));
  });
});

describe('guest occupancy from libvirt domain XML (libvirt test data)', () => {
  it('reads another guest through the domain-xml layer: its name, and each cell\'s memory on its memnode\'s nodes', () => {
    const xml = readFileSync(corpusPath('libvirt-domain-numa', 'numatune-memnode.xml'), 'utf8');
    const { guest, diagnostics } = readGuest(xml, 'numatune-memnode.xml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(guest?.name).toBe('QEMUGuest');
    const held = occupancyOf(guest ? [guest] : []).guests[0];
    // cell 0 (20002 KiB) → node 3; cell 2 (24002400 KiB) → nodes 1,2,5,7; every KiB of the guest is held somewhere.
    const total = guest?.layout.cells.reduce((sum, c) => sum + c.memoryKiB, 0);
    expect(held.memory.reduce((sum, m) => sum + m.kib, 0)).toBe(total);
    expect(held.memory.find((m) => m.node === 3)?.kib).toBeGreaterThanOrEqual(20002);
    for (const node of [1, 2, 5, 7]) expect(held.memory.find((m) => m.node === node)?.kib).toBeGreaterThanOrEqual(6000600);
  });
});

describe('numascope plan --tier-memory', () => {
  it('puts the asked amount on a memory-only node as a CPU-less cell', async () => {
    // HP Superdome: 16 CPU nodes and a 17th memory-only node (16).
    const host = ['--host', corpusPath('hwloc-linux', '128ia64-17n4s2c.lstopo.xml')];
    const r = await run(['plan', ...host, '--vcpus', '8', '--memory', '8GiB', '--mode', 'node', '--tier-memory', '512MiB', '--json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    const tier = plan.layout.cells.filter((c) => c.vcpus.length === 0);
    expect(tier.map((c) => [c.hostNodes, c.memoryKiB])).toEqual([[[16], 512 * 1024]]);
    expect(plan.layout.cells.reduce((sum, c) => sum + c.memoryKiB, 0)).toBe(8 * 1024 * 1024);
    expect(plan.layout.pins.flatMap((p) => p.cpus).length).toBeGreaterThan(0);
  });
});
