/**
 * A sysfs tarball opened in the page becomes one paste listing its files (worker/ingest-sysfs.ts):
 * the ingest worker's job over that paste must draw the host `numascope inspect` builds from the
 * tarball itself (readFileBundle + bundleHost, the CLI's path), alone and beside tool outputs.
 * Real tarballs from the corpus (hwloc's and util-linux's sysfs dumps).
 */
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleHost } from '../../src/core/ingest/bundle.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { readBundleFile } from '../../src/worker/bundle-read.ts';
import { ingestWithSysfs, sysfsListing, treeOfListing } from '../../src/worker/ingest-sysfs.ts';
import { readFileBundle, unpackArchive } from '../../src/worker/unpack.ts';
import { corpusFiles, corpusPath, readCorpus } from '../support/corpus.ts';

const TARBALLS = [
  ['hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2'],
  ['hwloc-linux', '128arm-2pa2n8cluster4co.tar.bz2'],
  ...corpusFiles('util-linux-lscpu', /\.tar\.gz$/).slice(0, 3).map((f) => ['util-linux-lscpu', f]),
];

/** The paste the page holds once the tarball is opened, made as the page makes it. */
async function listingOf(folder: string, name: string): Promise<string> {
  const path = corpusPath(folder, name);
  const reading = await readBundleFile(await openAsBlob(path), name);
  expect(reading.pastes.map((p) => p.name)).toEqual([name]);
  return reading.pastes[0].text;
}

describe.each(TARBALLS)('%s/%s opened in the page', (folder, name) => {
  it('draws the host numascope inspect builds from the tarball', async () => {
    const cli = bundleHost(await readFileBundle(await openAsBlob(corpusPath(folder, name)), name));
    const page = ingestWithSysfs([{ name, text: await listingOf(folder, name) }]);
    expect(cli.host.cpus.length).toBeGreaterThan(0);
    expect(page.host).toEqual(cli.host);
    expect(page.facts).toEqual(cli.facts);
  });

  it('lists the very files read: the listing reads back to the tree unpacked (but paths with a colon, which no reader uses)', async () => {
    const { tree } = await unpackArchive(await openAsBlob(corpusPath(folder, name)), name);
    const back = treeOfListing(sysfsListing(tree))!;
    const trimmed = (t: ReadonlyMap<string, string>) => new Map([...t].map(([path, text]) => [path, text.replace(/\0/g, '').trim()]));
    expect(trimmed(back)).toEqual(trimmed(new Map([...tree].filter(([path]) => !/[\s:]/.test(path)))));
  });
});

describe('beside tool outputs', () => {
  it('merges the listing with pastes as bundleHost merges a tarball with outputs', async () => {
    const name = '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2';
    const lscpu = { name: 'lscpu', text: readCorpus('hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.lscpu.txt') };
    const bundle = await readFileBundle(await openAsBlob(corpusPath('hwloc-linux', name)), name);
    const cli = bundleHost({ ...bundle, pastes: [lscpu] });
    const page = ingestWithSysfs([lscpu, { name, text: await listingOf('hwloc-linux', name) }]);
    expect(page.host).toEqual(cli.host);
    expect(page.pastes.map((p) => p.name)).toEqual(['lscpu']);
  });

  it('leaves pastes with no listing to ingest() as they were', () => {
    const pastes = [{ name: 'lscpu', text: readCorpus('hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.lscpu.txt') }];
    expect(ingestWithSysfs(pastes)).toEqual(ingest(pastes));
    // a paste that only mentions a sysfs path is not a listing
    expect(treeOfListing('see /sys/devices/system/node/node0/cpulist:\n0-7\n')).toBeUndefined();
  });
});
