/**
 * Ground truth for the lspci tests: the corpus sysfs dumps that lspci itself reads, and the
 * hwloc XML lstopo made from the same dumps. Shared by lspci-tree and lspci-verbose tests.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { extractDump, readCorpus, runPeer } from '../support/corpus.ts';

/** hwloc-linux dumps that hold a PCI tree (the others have no sys/bus/pci). */
export const PCI_MACHINES = ['32em64t-2n8c+dax+nvme+mic+dimms', '32intel64-2p8co2t+8ve'] as const;

export interface SysfsPci {
  bdf: string;
  /** Nearest ancestor in the sysfs path that is itself a listed device; null on a root bus. */
  parent: string | null;
  /** "dddd:bb" from the pciDDDD:BB host bridge directory. */
  root: string;
  /** numa_node, null for -1. */
  node: number | null;
  classCode: string;
  vendorId: string;
  deviceId: string;
  secondaryBus?: number;
}

export interface PciDump {
  /** The machine's root inside the extracted tarball (holds sys/). */
  root: string;
  devices: Map<string, SysfsPci>;
}

function machineRoot(machine: string): string {
  const dir = extractDump('hwloc-linux', `${machine}.tar.bz2`);
  const sub = readdirSync(dir).find((d) => existsSync(join(dir, d, 'sys/bus/pci/devices')));
  if (!sub) throw new Error(`${machine}: no sys/bus/pci/devices in the dump`);
  return join(dir, sub);
}

const hex = (file: string) => readFileSync(file, 'utf8').trim().replace(/^0x/, '');

export function readPciDump(machine: string): PciDump {
  const root = machineRoot(machine);
  const base = join(root, 'sys/bus/pci/devices');
  const names = readdirSync(base).sort();
  const listed = new Set(names);
  const devices = new Map<string, SysfsPci>();
  for (const bdf of names) {
    const parts = readlinkSync(join(base, bdf)).split('/');
    const self = parts.lastIndexOf(bdf);
    let parent: string | null = null;
    for (let i = self - 1; i >= 0; i--) {
      if (listed.has(parts[i])) {
        parent = parts[i];
        break;
      }
    }
    const host = parts.find((p) => /^pci[0-9a-f]{4}:[0-9a-f]{2}$/.test(p))!;
    const dir = join(base, bdf);
    const node = Number(readFileSync(join(dir, 'numa_node'), 'utf8').trim());
    const dev: SysfsPci = {
      bdf,
      parent,
      root: host.slice(3),
      node: node < 0 ? null : node,
      classCode: hex(join(dir, 'class')).slice(0, 4),
      vendorId: hex(join(dir, 'vendor')),
      deviceId: hex(join(dir, 'device')),
    };
    if (existsSync(join(dir, 'secondary_bus_number'))) dev.secondaryBus = Number(readFileSync(join(dir, 'secondary_bus_number'), 'utf8'));
    devices.set(bdf, dev);
  }
  return { root, devices };
}

/** The real Debian lspci reading the dump's sysfs instead of the host's. */
export function lspciOn(dump: PciDump, ...args: string[]): string {
  return runPeer('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${join(dump.root, 'sys/bus/pci')}`, ...args]);
}

/**
 * pci_busid → NUMA node from a corpus hwloc XML, by a plain scan of <object> nesting: an I/O
 * object's node is the single bit of the nearest enclosing nodeset.
 */
export function hwlocPciNodes(file: string): Map<string, number> {
  const xml = readCorpus('hwloc-linux', file);
  const out = new Map<string, number>();
  const stack: (string | undefined)[] = [];
  for (const m of xml.matchAll(/<object\b([^>]*?)(\/?)>|<\/object>/g)) {
    if (m[0] === '</object>') {
      stack.pop();
      continue;
    }
    const attrs = m[1];
    const nodeset = /\bnodeset="0x([0-9a-f,x]+)"/.exec(attrs)?.[1] ?? stack[stack.length - 1];
    const busid = /\bpci_busid="([^"]+)"/.exec(attrs)?.[1];
    if (busid && nodeset) {
      const mask = BigInt(`0x${nodeset.replace(/,0x/g, '')}`);
      const bits = mask.toString(2);
      if (bits.replace(/0/g, '') === '1') out.set(busid, bits.length - 1);
    }
    if (m[2] !== '/') stack.push(nodeset);
  }
  return out;
}
