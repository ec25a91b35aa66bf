import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from './support/corpus.ts';

const BIN = resolve(import.meta.dirname, '../bin/numascope.js');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input });

describe('numascope inspect (the real bin, as npx runs it)', () => {
  const talk = [corpusPath('pasted', 'talk-e7-8895v2.lscpu.txt'), corpusPath('pasted', 'talk-e7-8895v2.numactl-H.txt')];

  it('prints the merged talk host', () => {
    const r = run(['inspect', ...talk]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('4 package(s), 4 NUMA node(s), 60 core(s), 120 CPU(s) (120 online)');
    expect(r.stdout).toMatch(/^\s+0\s+cpu\+memory\s+0-14,60-74\s+125\.6 GiB/m);
    expect(r.stdout).toMatch(/^\s+0\s+10\s+21\s+21\s+21$/m);
  });

  it('keeps the JSON contract for scripts', () => {
    const r = run(['inspect', '--json', ...talk]);
    expect(r.status).toBe(0);
    const host = JSON.parse(r.stdout);
    expect(host.packages.map((p: { id: number }) => p.id)).toEqual([0, 1, 2, 3]);
    expect(host.nodes[0]).toMatchObject({ id: 0, memoryKiB: 128602 * 1024, freeKiB: 125954 * 1024, hugepages: [] });
    expect(host.nodes[0].cpus).toHaveLength(30);
    expect(host.cpus[1]).toMatchObject({ id: 1, online: true, package: 0, node: 0, siblings: [1, 61] });
    expect(host.distances[3]).toEqual([21, 21, 21, 10]);
    expect(host.pci).toEqual([]);
    for (const cpu of host.cpus) expect(Object.keys(cpu)).toEqual(expect.arrayContaining(['id', 'online', 'package', 'core', 'node', 'siblings']));
    expect(Array.isArray(host.diagnostics)).toBe(true);
    for (const d of host.diagnostics) expect(Object.keys(d)).toEqual(expect.arrayContaining(['severity', 'source', 'message']));
  });

  it('writes null, never a missing key, for what no paste said', () => {
    const r = run(['inspect', '--json', corpusPath('pasted', 'numactl-H-kunpeng920-2s4n.txt')]);
    const host = JSON.parse(r.stdout);
    expect(host.cpus[0]).toMatchObject({ id: 0, package: null, core: null, die: null, cluster: null, node: 0 });
    expect(host.pci).toEqual([]);
  });

  it('reads standard input with -', () => {
    const r = run(['inspect', '-'], execFileSync('cat', talk, { encoding: 'utf8' }));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('120 CPU(s)');
  });

  it('exits 1 with a line-numbered diagnostic on a bad paste', () => {
    const r = run(['inspect', '-'], 'available: 2 nodes (0-1)\nnode 0 cpus: 0 1\nnode 0 size: lots MB\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/stdin:3: error: /);
  });

  it('exits 2 on usage errors and unreadable files', () => {
    expect(run([]).status).toBe(2);
    expect(run(['inspect']).status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);
    const missing = run(['inspect', '/nonexistent/host.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/host.txt: ENOENT');
  });
});

describe('numascope inspect over archives', () => {
  const tarball = corpusPath('hwloc-linux', '16em64t-4s2c2t-offlines.tar.bz2');
  // lstopo's XML leaves offline CPUs out of its nodes: the machine is compared on the online ones.
  const machine = (json: string) => {
    const host = JSON.parse(json);
    const online = new Set(host.cpus.filter((c: { online: boolean }) => c.online).map((c: { id: number }) => c.id));
    return {
      nodes: host.nodes.map((n: { id: number; cpus: number[] }) => [n.id, n.cpus.filter((c) => online.has(c))]),
      cpus: host.cpus.filter((c: { online: boolean }) => c.online).map((c: { id: number; siblings: number[] }) => [c.id, c.siblings]),
    };
  };

  it('reads a sysfs tarball, named or on standard input, into the host lstopo read from the same dump', () => {
    const named = run(['inspect', '--json', tarball]);
    const piped = spawnSync(process.execPath, [BIN, 'inspect', '--json', '-'], { input: readFileSync(tarball), encoding: 'utf8' });
    const lstopo = run(['inspect', '--json', corpusPath('hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml')]);
    for (const r of [named, piped, lstopo]) expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(named.stdout).cpus.some((c: { online: boolean }) => !c.online)).toBe(true);
    expect(machine(piped.stdout)).toEqual(machine(named.stdout));
    expect(machine(named.stdout)).toEqual(machine(lstopo.stdout));
    expect(JSON.parse(named.stdout).sources).toMatchObject([{ name: tarball, format: 'sysfs' }]);
  });
});
