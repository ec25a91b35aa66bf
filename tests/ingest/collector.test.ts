/**
 * The collector line, run for real by bash inside a private libvirtd's mount namespace over a
 * corpus host's sysfs (scripts/libvirt-host.sh) with two guests defined: its output, pasted
 * whole, gives the host the sysfs tarball gives and every guest as `virsh dumpxml` printed it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/cli/unpack.ts';
import { bundleHost, readPaste, type Bundle } from '../../src/core/ingest/bundle.ts';
import { COLLECTED_HOST_COMMANDS, COLLECTOR, PID_FILES_COMMAND } from '../../src/core/ingest/collector.ts';
import { numaMapsNodes, numastatProcesses } from '../../src/core/ingest/runtime.ts';
import { splitPaste } from '../../src/core/ingest/split.ts';
import { corpusPath, dumpRoot } from '../support/corpus.ts';
import { shape, writeGuests, type GuestSpec } from './host-dump-support.ts';

const LIBVIRT_HOST = resolve(import.meta.dirname, '../../scripts/libvirt-host.sh');
const TARBALL = '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2';
const GUESTS: GuestSpec[] = [
  { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
  { name: 'db', cpus: [9, 10, 11, 12], node: 1 },
];

describe('the collector over a dumped host with two guests', () => {
  const state = mkdtempSync(join(tmpdir(), 'numascope-collector-libvirtd-'));
  let output: string;
  let bundle: Bundle;

  beforeAll(async () => {
    const uri = execFileSync('bash', [LIBVIRT_HOST, 'start', state, dumpRoot('hwloc-linux', TARBALL)], { encoding: 'utf8' }).trim();
    for (const file of writeGuests(state, GUESTS)) execFileSync('virsh', ['-q', '-c', uri, 'define', file]);
    // The daemon's namespace sees the dump's sysfs and reaches the daemon as qemu:///system.
    // Its processes still run on this machine's few CPUs, which hwloc would report as the only
    // allowed ones; on the real host the collector is not so confined (HWLOC_ALLOW=all says so).
    const pid = readFileSync(join(state, 'libvirtd.pid'), 'utf8').trim();
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C', HWLOC_ALLOW: 'all' };
    const run = spawnSync('nsenter', ['-m', '-t', pid, 'bash', '-c', COLLECTOR], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
    expect(run.error).toBeUndefined();
    output = run.stdout;
    bundle = readPaste(output, 'collector.txt');
  }, 120_000);

  afterAll(() => {
    spawnSync('bash', [LIBVIRT_HOST, 'stop', state]);
    rmSync(state, { recursive: true, force: true });
  });

  it('prints a marker line before each output, which the paste splitter cuts at', () => {
    const markers = output.split('\n').filter((l) => l.startsWith('$ '));
    expect(markers).toEqual([
      ...COLLECTED_HOST_COMMANDS.map((c) => `$ ${c}`),
      ...GUESTS.map((g) => `$ virsh dumpxml ${g.name}`).sort(),
      `$ ${PID_FILES_COMMAND}`,
      '$ numastat -c qemu',
    ]);
    const commands = splitPaste(bundle.pastes[0].text).map((p) => p.command);
    expect(commands).toEqual([...COLLECTED_HOST_COMMANDS]);
  });

  it('gives the host the sysfs tarball gives, from every host output, with no error or warning', async () => {
    const { host } = bundleHost(bundle);
    const dump = bundleHost(await readBundle(corpusPath('hwloc-linux', TARBALL))).host;
    expect(shape(host)).toEqual(shape(dump));
    expect(host.sources.map((s) => s.format)).toEqual(['lscpu-e', 'numactl', 'lspci-tree', 'hwloc-xml', 'virsh-caps']);
    expect(host.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.source}:${d.line}: ${d.message}`)).toEqual([]);
  });

  it('takes every guest out of the paste, as virsh dumpxml printed it', () => {
    expect(bundle.guests.map((g) => g.name).sort()).toEqual(GUESTS.map((g) => g.name).sort());
    for (const guest of bundle.guests) {
      const start = output.indexOf(`$ virsh dumpxml ${guest.name}\n`) + `$ virsh dumpxml ${guest.name}\n`.length;
      expect(output.slice(start, start + guest.xml.length)).toBe(guest.xml);
      expect(guest.source).toBe(`collector.txt:${output.slice(0, start).split('\n').length}`);
      expect(guest.xml).toMatch(/^<domain type='kvm'>\n[\s\S]*<\/domain>\n$/);
    }
  });

  it('keeps numastat -c qemu and the pid files for the audit, out of the host outputs', () => {
    // numastat matches command lines: with no QEMU running it lists the collector's own shell.
    expect(bundle.numastat?.text).toMatch(/Per-node process memory usage|Found no processes containing pattern: "qemu"/);
    expect(bundle.numastat?.name).toBe(`collector.txt:${output.split('\n').indexOf('$ numastat -c qemu') + 2}`);
    expect(bundle.pastes[0].text).not.toMatch(/Numa_Hit|Found no processes|driver\.pid/);
    // The QEMU driver's own pid file is there; no guest runs, so no guest's memory is found.
    expect(output).toMatch(/^\/run\/libvirt\/qemu\/driver\.pid:\d+$/m);
    expect(bundle.memory).toEqual([]);
    // Blanked, not removed: a line of the host part is the same line of the paste.
    expect(bundle.pastes[0].text.split('\n').length).toBe(output.split('\n').length);
  });

  it('reads the same when saved to a file and given to the CLI', async () => {
    const file = join(state, 'collector.txt');
    execFileSync('sh', ['-c', `cat > '${file}'`], { input: output });
    const fromFile = await readBundle(file, 'collector.txt');
    expect(fromFile.kind).toBe('paste');
    expect(fromFile.guests).toEqual(bundle.guests);
    expect(shape(bundleHost(fromFile).host)).toEqual(shape(bundleHost(bundle).host));
  });
});

/** A `sleep` process, once it is one: on a loaded machine the fork runs as node for a while before its exec. */
async function sleeping(): Promise<ReturnType<typeof spawn>> {
  const child = spawn('sleep', ['60']);
  for (let i = 0; i < 200; i++) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
    } catch {
      // not there yet
    }
    if (comm === 'sleep') return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

describe('runtime memory', () => {
  it("numastat -c's rows are the MiB per node that the process's numa_maps add up to", async () => {
    const sleeper = await sleeping();
    try {
      const rows = numastatProcesses(execFileSync('numastat', ['-c', 'sleep'], { encoding: 'utf8' }));
      const row = rows.find((r) => r.pid === sleeper.pid);
      expect(row?.command).toBe('sleep');
      const maps = numaMapsNodes(readFileSync(`/proc/${sleeper.pid}/numa_maps`, 'utf8'));
      expect(maps.map((m) => m.node)).toEqual(row!.nodes.map((n) => n.node));
      // numastat prints whole MiB: the two agree within that rounding.
      maps.forEach((m, k) => expect(Math.abs(m.kib - row!.nodes[k].kib)).toBeLessThanOrEqual(1024));
      expect(maps.reduce((sum, m) => sum + m.kib, 0)).toBeGreaterThan(0);
    } finally {
      sleeper.kill();
    }
  });

  it('ties a numastat row to its guest through the pid files, and only to a guest the paste defines', async () => {
    const standIn = await sleeping();
    const numastat = execFileSync('numastat', ['-c', 'sleep'], { encoding: 'utf8' });
    standIn.kill();
    const sleeper = numastatProcesses(numastat).find((r) => r.pid === standIn.pid)!;
    expect(sleeper).toBeDefined();
    const paste = [
      '$ virsh dumpxml web',
      "<domain type='kvm'>\n  <name>web</name>\n</domain>",
      `$ ${PID_FILES_COMMAND}`,
      `/run/libvirt/qemu/web.pid:${sleeper.pid}`,
      `/run/libvirt/qemu/driver.pid:${sleeper.pid + 1}`,
      '$ numastat -c qemu',
      numastat,
    ].join('\n');
    const bundle = readPaste(paste, 'p');
    // Other sleeps are neither a guest nor QEMU: left out.
    expect(bundle.memory).toEqual([{ pid: sleeper.pid, guest: 'web', source: `p:${8 + sleeper.line}`, nodes: sleeper.nodes }]);
    expect(paste.split('\n')[8 + sleeper.line - 1]).toMatch(new RegExp(`^${sleeper.pid} \\(sleep\\)`));
  });
});

describe('numastat -c with one matching process', () => {
  it('prints that process as a block, whose Total row is its row (a host running one guest)', () => {
    // Real numastat 2.0.16 output for a single match.
    const block = [
      '',
      'Per-node process memory usage (in MBs) for PID 31677 (sleep)',
      '         Node 0 Node 1 Total',
      '         ------ ------ -----',
      'Huge          0      0     0',
      'Heap          0      0     0',
      'Stack         0      0     0',
      'Private       2      1     3',
      '-------  ------ ------ -----',
      'Total         2      1     3',
    ].join('\n');
    expect(numastatProcesses(block)).toEqual([{ pid: 31677, command: 'sleep', line: 10, nodes: [{ node: 0, kib: 2048 }, { node: 1, kib: 1024 }] }]);
  });
});
