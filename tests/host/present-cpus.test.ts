/**
 * Node lists held to the CPUs the machine has (host/present-cpus.ts), on util-linux's s390 LPAR
 * dump: 8 CPUs present, 141 possible, and a node cpumap naming all 141. numactl -H is the real
 * numactl over the dump's sysfs; lscpu is the corpus paste of the same dump.
 */
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { sysfsFormat } from '../../src/core/ingest/sysfs.ts';
import { unpackArchive } from '../../src/worker/unpack.ts';
import { corpusPath, dumpRoot, numactlOver, readCorpus, runPeer } from '../support/corpus.ts';

const TARBALL = 's390-lpar-drawer.tar.gz';
const numactl = () => ({ name: 'numactl -H', text: numactlOver(join(dumpRoot('util-linux-lscpu', TARBALL), 'sys/devices/system')) });
const lscpu = () => ({ name: 'lscpu', text: readCorpus('util-linux-lscpu', 's390-lpar-drawer.lscpu.txt') });

async function sysfsCpus(): Promise<string> {
  const { tree } = await unpackArchive(await openAsBlob(corpusPath('util-linux-lscpu', TARBALL)), TARBALL);
  return formatIdList(sysfsFormat.parse(tree, TARBALL).facts[0].cpus.map((c) => c.id));
}

describe('s390 LPAR: lscpu + numactl -H', () => {
  it('numactl names the possible CPUs 0-140 as node 0', () => {
    expect(numactl().text).toMatch(/^node 0 cpus: 0 1 2 .* 139 140$/m);
  });

  it('the merged host has the 8 CPUs lscpu and the sysfs dump agree on, said once, with no conflict', async () => {
    const { host } = ingest([lscpu(), numactl()]);
    const present = await sysfsCpus();
    expect(present).toBe('0-7');
    expect(formatIdList(host.cpus.map((c) => c.id))).toBe(present);
    expect(host.nodes.map((n) => [n.id, formatIdList(n.cpus)])).toEqual([[0, present]]);
    expect(host.cores).toHaveLength(8);
    expect(host.conflicts).toEqual([]);
    const trimmed = host.diagnostics.filter((d) => /node lists name CPUs/.test(d.message));
    expect(trimmed).toEqual([
      {
        severity: 'info',
        source: 'numactl -H',
        message: "node lists name CPUs 8-140, which lscpu says this machine does not have (its CPUs: 0-7); they are left out, as the kernel's node map may name possible CPUs (s390 does)",
      },
    ]);
  });

  it('pasted in the other order, or as one text, the host is the same', () => {
    const first = ingest([lscpu(), numactl()]).host;
    expect(ingest([numactl(), lscpu()]).host.cpus).toEqual(first.cpus);
    expect(ingest([{ name: 'both', text: `${lscpu().text}\n${numactl().text}` }]).host.cpus).toEqual(first.cpus);
  });

  it("hwloc XML of the dump bounds numactl too: complete_cpuset is every present CPU", () => {
    const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: dumpRoot('util-linux-lscpu', TARBALL), HWLOC_COMPONENTS: 'linux,stop' });
    const { host } = ingest([numactl(), { name: 'lstopo.xml', text: xml }]);
    expect(formatIdList(host.cpus.map((c) => c.id))).toBe('0-7');
    expect(host.diagnostics.filter((d) => /node lists name CPUs 8-140, which lstopo.xml says/.test(d.message))).toHaveLength(1);
  });

  it("the collector's lscpu -e (the real lscpu over the dump) bounds it as well", () => {
    const table = runPeer('lscpu', ['-e', '--sysroot', dumpRoot('util-linux-lscpu', TARBALL)]);
    const { host } = ingest([{ name: 'lscpu -e', text: table }, numactl()]);
    expect(formatIdList(host.cpus.map((c) => c.id))).toBe('0-7');
    expect(host.nodes.map((n) => [n.id, formatIdList(n.cpus)])).toEqual([[0, '0-7']]);
    expect(host.conflicts).toEqual([]);
  });

  it('numactl alone cannot tell possible from present: its 141 CPUs stay', () => {
    const { host } = ingest([numactl()]);
    expect(host.cpus).toHaveLength(141);
    expect(host.diagnostics.some((d) => /node lists name CPUs/.test(d.message))).toBe(false);
  });
});
