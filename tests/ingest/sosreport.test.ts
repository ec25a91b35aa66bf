/**
 * Real sosreports, made by Debian's sos (scripts/make-sosreport.sh) inside a private libvirtd's
 * mount namespace over a corpus host's sysfs, with two guests defined there: numascope reads
 * the report's lscpu, numactl -H, lspci, virsh capabilities and sysfs copy into the same host
 * the sysfs tarball alone gives, and finds the guests exactly as libvirt stored them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/cli/unpack.ts';
import { bundleHost, readTree, type Bundle } from '../../src/core/ingest/bundle.ts';
import { unpackArchive } from '../../src/worker/unpack.ts';
import { corpusPath, dumpRoot } from '../support/corpus.ts';
import { shape, writeGuests, type GuestSpec } from './host-dump-support.ts';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/make-sosreport.sh');
const hasSos = spawnSync('sh', ['-c', 'command -v sos']).status === 0;
/** sos names a report after the host's short name. */
const SHORT_HOSTNAME = hostname().split('.')[0];

interface Case {
  tarball: string;
  compression: 'xz' | 'gzip';
  guests: GuestSpec[];
}

const CASES: Case[] = [
  {
    tarball: '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2',
    compression: 'xz',
    guests: [
      { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
      { name: 'db', cpus: [9, 10, 11, 12], node: 1 },
    ],
  },
  {
    // Sparse node ids (0,1,2,33,34,45,72,73): distances and node folders are labelled, not indexed.
    tarball: '48amd64-4pa2n6c-sparse.tar.bz2',
    compression: 'gzip',
    guests: [{ name: 'batch', cpus: [18, 19, 20], node: 33 }],
  },
];

describe.skipIf(!hasSos)('sosreports made by sos over corpus hosts (skipped: sos is not installed; scripts/setup.sh installs sosreport)', () => {
  for (const c of CASES) {
    describe(c.tarball, () => {
      let report: string;
      let sos: Bundle;
      let dump: Bundle;

      beforeAll(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'numascope-sos-'));
        const root = dumpRoot('hwloc-linux', c.tarball);
        const guests = writeGuests(dir, c.guests);
        report = execFileSync('bash', [SCRIPT, join(dir, 'out'), root, ...guests], { encoding: 'utf8', env: { ...process.env, SOS_COMPRESSION: c.compression } }).trim();
        sos = await readBundle(report);
        dump = await readBundle(corpusPath('hwloc-linux', c.tarball));
      }, 120_000);

      it(`is a ${c.compression} sosreport and numascope reads it as one`, () => {
        expect(report).toMatch(c.compression === 'xz' ? /\.tar\.xz$/ : /\.tar\.gz$/);
        expect(sos.kind).toBe('sosreport');
        expect(sos.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        const outputs = sos.pastes.map((p) => p.name.replace(/^[^/]+\//, '')).sort();
        expect(outputs).toEqual(
          expect.arrayContaining([
            'sos_commands/numa/numactl_--hardware',
            'sos_commands/pci/lspci_-tv',
            'sos_commands/processor/lscpu',
            expect.stringMatching(/^sos_commands\/(virsh|libvirt)\/virsh_-r_capabilities$/),
          ]),
        );
      });

      it('gives the host the sysfs tarball gives, with no error or warning', () => {
        expect(dump.kind).toBe('sysfs');
        const fromSos = bundleHost(sos).host;
        const fromDump = bundleHost(dump).host;
        expect(shape(fromSos)).toEqual(shape(fromDump));
        expect(fromSos.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.source}: ${d.message}`)).toEqual([]);
        // Every one of the report's outputs was recognised and used, beside its sysfs copy.
        expect(fromSos.sources.map((s) => s.format).sort()).toEqual(['lscpu', 'lspci-tree', 'lspci-verbose', 'numactl', 'sysfs', 'virsh-caps']);
      });

      it('finds every defined guest with the XML libvirt stored', () => {
        expect(sos.guests.map((g) => g.name).sort()).toEqual(c.guests.map((g) => g.name).sort());
        for (const guest of sos.guests) {
          expect(guest.source).toMatch(new RegExp(`/etc/libvirt/qemu/${guest.name}\\.xml$`));
          const spec = c.guests.find((g) => g.name === guest.name)!;
          spec.cpus.forEach((cpu, vcpu) => expect(guest.xml).toContain(`<vcpupin vcpu='${vcpu}' cpuset='${cpu}'/>`));
          expect(guest.xml).toContain(`<memory mode='strict' nodeset='${spec.node}'/>`);
          // libvirt's own file: it opens with libvirt's warning comment, which edits must keep.
          expect(guest.xml).toMatch(/^<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE/);
        }
      });

      it('names the host sos ran on, as its host plugin printed it', () => {
        // make-sosreport.sh runs sos on this machine, with the host plugin and --label numascope.
        expect(report).toMatch(new RegExp(`/sosreport-${SHORT_HOSTNAME}-numascope-\\d{4}-\\d{2}-\\d{2}-[a-z]+\\.tar`));
        expect(sos.hostname).toBe(hostname());
        expect(bundleHost(sos).host.machine.hostname).toBe(hostname());
        // A sysfs tarball names no host: hwloc's dump has no hostname file.
        expect(dump.hostname).toBeUndefined();
      });

      it("without the host plugin, the report's name without the --label its manifest records", async () => {
        const { tree } = await unpackArchive(await openAsBlob(report), report);
        const without = new Map([...tree].filter(([path]) => !path.endsWith('sos_commands/host/hostname')));
        expect(readTree(without, report).hostname).toBe(SHORT_HOSTNAME);
      });

      it("without its manifest either, a report's name is all that names the host", async () => {
        const { tree } = await unpackArchive(await openAsBlob(report), report);
        const without = new Map([...tree].filter(([path]) => !/sos_reports\/manifest\.json$|sos_commands\/host\/hostname$/.test(path)));
        expect(readTree(without, report).hostname).toBe(`${SHORT_HOSTNAME}-numascope`);
      });

      it('a report without the processor and numa plugins says which plugins to run', async () => {
        const { tree } = await unpackArchive(await openAsBlob(report), report);
        const without = new Map([...tree].filter(([path]) => !/\/(sos_commands|sys)\//.test(path)));
        expect([...without.keys()].some((p) => p.endsWith('sos_reports/manifest.json'))).toBe(true);
        const bundle = readTree(without, 'thin-report');
        expect(bundle.kind).toBe('sosreport');
        expect(bundle.diagnostics.map((d) => d.message)).toEqual([
          'this sosreport has neither lscpu, numactl -H nor sys/devices/system: make it with `sos report -o processor,numa,pci,libvirt,host`',
        ]);
      });

      it('reads the same report unpacked into a folder', async () => {
        const folder = mkdtempSync(join(tmpdir(), 'numascope-sos-folder-'));
        execFileSync('tar', ['-xf', report, '-C', folder]);
        const [top] = readdirSync(folder);
        const unpacked = await readBundle(join(folder, top));
        expect(unpacked.kind).toBe('sosreport');
        expect(shape(bundleHost(unpacked).host)).toEqual(shape(bundleHost(sos).host));
        expect(unpacked.guests.map((g) => g.xml).sort()).toEqual(sos.guests.map((g) => g.xml).sort());
        expect(unpacked.hostname).toBe(hostname());
      });

      it('keeps the numa_maps sos copied, and ties none to a guest that is not running', () => {
        // sos copies numa_maps of every process with a pid file under /run/libvirt: the drivers'.
        expect(sos.numaMaps.length).toBeGreaterThan(0);
        for (const maps of sos.numaMaps) {
          expect(maps.guest).toBeUndefined();
          expect(maps.source).toMatch(new RegExp(`/proc/${maps.pid}/numa_maps$`));
          expect(maps.text).toMatch(/^[0-9a-f]+ (default|bind|interleave|prefer)/m);
        }
        expect(sos.numastat).toBeUndefined();
        // Each process's memory per node, as its numa_maps count pages (4 KiB or larger).
        expect(sos.memory.map((m) => m.source)).toEqual(sos.numaMaps.map((m) => m.source));
        for (const m of sos.memory) {
          expect(m.guest).toBeUndefined();
          expect(m.nodes.length).toBeGreaterThan(0);
          expect(m.nodes.every((n) => n.kib > 0 && n.kib % 4 === 0)).toBe(true);
        }
        const paths = sos.numaMaps.map((m) => m.source);
        expect(new Set(paths).size).toBe(paths.length);
      });
    });
  }
});
