/**
 * `numascope check` and `inspect` over real sosreports, made by Debian's sos
 * (scripts/make-sosreport.sh) inside a private libvirtd's mount namespace over corpus hosts'
 * sysfs, with guests defined there: the guests libvirt stored are audited on the host the report
 * describes, and a folder of reports is a fleet, read in worker threads.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpRoot } from './support/corpus.ts';
import { run } from './support/cli.ts';
import { writeGuests, type GuestSpec } from './ingest/host-dump-support.ts';

const SCRIPT = resolve(import.meta.dirname, '../scripts/make-sosreport.sh');
const hasSos = spawnSync('sh', ['-c', 'command -v sos']).status === 0;
const TWO_NODES = '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2';
const SPARSE = '48amd64-4pa2n6c-sparse.tar.bz2';

interface Report {
  tarball: string;
  guests: GuestSpec[];
}

const REPORTS: Record<'clean' | 'overlap' | 'sparse', Report> = {
  clean: {
    tarball: TWO_NODES,
    guests: [
      { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
      { name: 'db', cpus: [9, 10, 11, 12], node: 1 },
    ],
  },
  // Two guests an operator pinned by hand onto CPUs 3 and 4 both.
  overlap: {
    tarball: TWO_NODES,
    guests: [
      { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
      { name: 'clash', cpus: [3, 4, 5, 6], node: 0 },
    ],
  },
  sparse: { tarball: SPARSE, guests: [{ name: 'batch', cpus: [18, 19, 20], node: 33 }] },
};

interface CheckJson {
  host: { nodes: { id: number }[] };
  guests: { name: string; source: string; vcpus: number; memoryKiB: number; nodes: number[] }[];
  findings: { severity: string; kind: string; guests: string[]; cpus: number[]; nodes: number[] }[];
  diagnostics: { severity: string; source: string; message: string }[];
}

interface FleetJson {
  source: string;
  hostname: string;
  kind: string;
  unread: boolean;
  guests: CheckJson['guests'];
  findings: CheckJson['findings'];
  counts: { error: number; warning: number; info: number };
  kinds: Record<string, number>;
}

const dir = mkdtempSync(join(tmpdir(), 'numascope-check-sos-'));
const reports = {} as Record<keyof typeof REPORTS, string>;

async function makeReport(key: keyof typeof REPORTS): Promise<void> {
  const { tarball, guests } = REPORTS[key];
  const out = join(dir, key);
  mkdirSync(out);
  const files = writeGuests(out, guests);
  const { stdout } = await promisify(execFile)('bash', [SCRIPT, join(out, 'report'), dumpRoot('hwloc-linux', tarball), ...files], { encoding: 'utf8' });
  reports[key] = stdout.trim();
}

async function checkJson(args: string[], status: number): Promise<CheckJson> {
  const r = await run(['check', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(status);
  return JSON.parse(r.stdout) as CheckJson;
}

describe.skipIf(!hasSos)('numascope check over sosreports made by sos (skipped: sos is not installed; scripts/setup.sh installs sosreport)', () => {
  beforeAll(async () => {
    for (const key of Object.keys(REPORTS) as (keyof typeof REPORTS)[]) await makeReport(key);
  }, 180_000);

  it('lists the guests defined in the libvirtd with their nodes, on the host the report describes: exit 0', async () => {
    const [out, inspected] = await Promise.all([checkJson([reports.clean], 0), run(['inspect', reports.clean, '--json'])]);
    expect(inspected.status).toBe(0);
    expect(out.host).toEqual(JSON.parse(inspected.stdout));
    expect(out.host.nodes.map((n) => n.id)).toEqual([0, 1]);
    const top = basename(reports.clean).replace(/\.tar\.xz$/, '');
    expect(out.guests.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'db', source: `${top}/etc/libvirt/qemu/db.xml`, vcpus: 4, memoryKiB: 2097152, nodes: [1] },
      { name: 'web', source: `${top}/etc/libvirt/qemu/web.xml`, vcpus: 4, memoryKiB: 2097152, nodes: [0] },
    ]);
    expect(out.findings).toEqual([]);
    expect(out.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('two guests pinned onto the same CPUs: pin-overlap on those CPUs, exit 1, and the people report says so under the guest', async () => {
    const [out, text] = await Promise.all([checkJson([reports.overlap], 1), run(['check', reports.overlap])]);
    const overlap = out.findings.filter((f) => f.kind === 'pin-overlap');
    expect(overlap).toHaveLength(1);
    expect(overlap[0]).toMatchObject({ severity: 'error', cpus: [3, 4], nodes: [0] });
    expect([...overlap[0].guests].sort()).toEqual(['clash', 'web']);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^ {2}error pin-overlap: /m);
    expect(text.stdout).toMatch(/^Host: 2 NUMA node\(s\), 16 CPU\(s\) \(16 online\), 2 guest\(s\)$/m);
  });

  it('reads the report unpacked into a folder as the archive, and sparse node ids as they are', async () => {
    const folder = mkdtempSync(join(dir, 'unpacked-'));
    execFileSync('tar', ['-xf', reports.overlap, '-C', folder]);
    const [top] = readdirSync(folder);
    const [unpacked, archive, sparse] = await Promise.all([checkJson([join(folder, top)], 1), checkJson([reports.overlap], 1), checkJson([reports.sparse], 0)]);
    expect(unpacked.guests).toEqual(archive.guests);
    expect(unpacked.findings).toEqual(archive.findings);
    expect(sparse.guests).toMatchObject([{ name: 'batch', vcpus: 3, nodes: [33] }]);
  });

  it('a folder of three sosreports is a fleet: one line per host, a summary, exit 1 for the host with an error', async () => {
    const fleet = join(dir, 'fleet');
    mkdirSync(fleet);
    for (const key of ['clean', 'overlap', 'sparse'] as const) copyFileSync(reports[key], join(fleet, `${key}-${basename(reports[key])}`));
    writeFileSync(join(fleet, 'README.txt'), 'not a host\n');
    const [text, json, files] = await Promise.all([run(['check', fleet]), run(['check', fleet, '--json']), run(['check', reports.clean, reports.sparse, '--json'])]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(1);
    const lines = text.stdout.trimEnd().split('\n');
    // sos's host plugin printed the host's name: this machine's.
    const host = hostname();
    expect(lines.slice(0, 3).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      [host, '2 node(s), 16 CPU(s), 2 guest(s)', '0 error(s), 0 warning(s)', `(${join(fleet, `clean-${basename(reports.clean)}`)})`],
      [host, '2 node(s), 16 CPU(s), 2 guest(s)', '1 error(s), 0 warning(s): pin-overlap×1', `(${join(fleet, `overlap-${basename(reports.overlap)}`)})`],
      [host, '8 node(s), 48 CPU(s), 1 guest(s)', '0 error(s), 0 warning(s)', `(${join(fleet, `sparse-${basename(reports.sparse)}`)})`],
    ]);
    expect(lines.slice(3)).toEqual(['', '3 host(s), 5 guest(s): 1 with errors, 0 with warnings only, 2 clean', 'findings: pin-overlap×1']);

    expect(json.status).toBe(1);
    const hosts = JSON.parse(json.stdout) as FleetJson[];
    expect(hosts.map((h) => [h.kind, h.hostname, h.guests.map((g) => g.name).sort(), h.counts, h.kinds])).toEqual([
      ['sosreport', host, ['db', 'web'], { error: 0, warning: 0, info: 0 }, {}],
      ['sosreport', host, ['clash', 'web'], { error: 1, warning: 0, info: 0 }, { 'pin-overlap': 1 }],
      ['sosreport', host, ['batch'], { error: 0, warning: 0, info: 0 }, {}],
    ]);
    expect(hosts[1].findings).toMatchObject([{ kind: 'pin-overlap', cpus: [3, 4] }]);

    // Several archives named on the command line are a fleet too: all clean, exit 0.
    expect(files.status).toBe(0);
    expect((JSON.parse(files.stdout) as FleetJson[]).map((h) => h.source)).toEqual([reports.clean, reports.sparse]);
  });
});

describe('numascope check and inspect over archives', () => {
  it('a corpus sysfs tarball is a host: inspect reads it, check finds no guest, exit 0', async () => {
    const { corpusPath } = await import('./support/corpus.ts');
    const tarball = corpusPath('hwloc-linux', '16em64t-4s2c2t-offlines.tar.bz2');
    const [out, inspected] = await Promise.all([checkJson([tarball], 0), run(['inspect', tarball])]);
    expect(out.guests).toEqual([]);
    expect(out.host.nodes.length).toBeGreaterThan(0);
    expect(inspected.status).toBe(0);
    expect(inspected.stdout).toContain(`${tarball}  [sysfs]`);
  });

  it('exit 2 for an archive holding no host, a folder holding no host dump, and a missing file', async () => {
    const junk = join(dir, 'junk.tar.gz');
    writeFileSync(junk, gzipSync('not a tar archive at all\n'.repeat(40)));
    const empty = mkdtempSync(join(dir, 'empty-'));
    writeFileSync(join(empty, 'notes.txt'), 'nothing here\n');
    const [archive, folder, missing] = await Promise.all([run(['check', junk]), run(['check', empty]), run(['check', join(dir, 'absent.tar.xz')])]);
    for (const r of [archive, folder, missing]) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(archive.stderr).toContain('no host was read');
    expect(archive.stderr).toContain(junk);
    expect(folder.stderr).toContain('holds no sosreport, sysfs tarball or unpacked dump');
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'absent.tar.xz')}: ENOENT`);
  });
});
