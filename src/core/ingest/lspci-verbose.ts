/**
 * `lspci -v` / `-vv` / `-vvv` (with or without -D, -n, -nn, -k), `lspci -vmm` / `-vmmnn`
 * ("Tag:<TAB>value" records) and `lspci -mm` (one quoted line per device).
 *
 * Verbose blocks: "[dddd:]bb:ss.f <class>: <vendor> <device> (rev xx) (prog-if …)" then lines
 * indented by a tab. Of the hundreds of capability lines only a few matter here: NUMA node, IOMMU
 * group (or both inside -v's "Flags:" line), kernel driver, "Bus: primary=…, secondary=…,
 * subordinate=…" of bridges, LnkSta (LnkCap when the link status is not shown) and the SR-IOV
 * capability. Every other indented line is part of a block and so not "unknown".
 *
 * lspci prints "NUMA node" only when the kernel knows one (numa_node >= 0), so a device without
 * it gets no node here (undefined), not "no affinity".
 */
import type { DiagnosticSink } from '../diagnostics.ts';
import type { HostFacts, PciFact } from '../host/facts.ts';
import type { Format } from './format.ts';
import { assignParents, nameAndId, parseClass, parseLink, splitVendorDevice, type BusRange } from './lspci-common.ts';
import { beginParse, canonicalBdf, headLines } from './text.ts';

const HEADER = /^((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (\S.*)$/i;
const MACHINE_LINE = /^((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) "([^"]*)" "([^"]*)" "([^"]*)"/i;
const TAG = /^([A-Za-z]+):\t(.*)$/;
/** -x / -xxx / -xxxx hex dump lines inside a block. */
const HEX_DUMP = /^[0-9a-f]{2,3}: [0-9a-f]{2}( [0-9a-f]{2})*\s*$/i;
const MAX_INFOS = 3;

interface Block {
  dev: PciFact;
  subordinate?: number;
  /** SR-IOV capability: VFs are enabled and these routing-id steps locate them. */
  numVfs?: number;
  vfEnabled?: boolean;
  vfOffset?: number;
  vfStride?: number;
  lnkCap?: string;
}

function applyNames(dev: PciFact, text: string): void {
  const names = splitVendorDevice(text);
  for (const key of ['vendor', 'vendorId', 'device', 'deviceId'] as const) {
    const value = names[key];
    if (value !== undefined) dev[key] = value;
  }
}

function applyClass(dev: PciFact, text: string): void {
  const { className, classCode } = parseClass(text);
  if (className !== undefined) dev.className = className;
  if (classCode !== undefined) dev.classCode = classCode;
}

function headerFact(bdf: string, rest: string, line: number): PciFact {
  const dev: PciFact = { bdf, line };
  const colon = rest.indexOf(': ');
  let names = rest;
  if (colon >= 0) {
    applyClass(dev, rest.slice(0, colon));
    names = rest.slice(colon + 2);
  }
  names = names.replace(/\s*\(prog-if [0-9a-f]{2}(?: \[[^\]]*\])?\)\s*$/i, '').replace(/\s*\(rev [0-9a-f]{2}\)\s*$/i, '');
  applyNames(dev, names);
  return dev;
}

/** One indented line of a verbose block; dispatched on its label, as most lines are not wanted. */
function readDetail(block: Block, text: string): void {
  const dev = block.dev;
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon < 0) return;
  const value = t.slice(colon + 1).trim();
  let m: RegExpExecArray | null;
  switch (t.slice(0, colon)) {
    case 'NUMA node':
      if (/^-?\d+$/.test(value)) dev.node = Number(value) < 0 ? null : Number(value);
      break;
    case 'IOMMU group':
      if (/^\d+$/.test(value)) dev.iommuGroup = Number(value);
      break;
    case 'Kernel driver in use':
      if (value !== '') dev.driver = value;
      break;
    case 'Flags': // -v folds node and group into this line
      if ((m = /, NUMA node (\d+)/.exec(value))) dev.node = Number(m[1]);
      if ((m = /, IOMMU group (\d+)/.exec(value))) dev.iommuGroup = Number(m[1]);
      break;
    case 'Bus':
      if ((m = /^primary=[0-9a-f]{2}, secondary=([0-9a-f]{2}), subordinate=([0-9a-f]{2})/i.exec(value))) {
        dev.isBridge = true;
        const secondary = parseInt(m[1], 16);
        // secondary=00 is an unconfigured port: no bus lies behind it.
        if (secondary > 0) dev.secondaryBus = secondary;
        block.subordinate = parseInt(m[2], 16);
      }
      break;
    case 'LnkSta':
      dev.link = parseLink(value) ?? dev.link;
      break;
    case 'LnkCap':
      block.lnkCap = parseLink(value);
      break;
    case 'IOVCtl':
      if ((m = /^Enable([+-])/.exec(value))) block.vfEnabled = m[1] === '+';
      break;
    case 'Initial VFs':
      if ((m = /Number of VFs: (\d+)/.exec(value))) block.numVfs = Number(m[1]);
      break;
    case 'VF offset':
      if ((m = /^(\d+), stride: (\d+)/.exec(value))) {
        block.vfOffset = Number(m[1]);
        block.vfStride = Number(m[2]);
      }
      break;
  }
}

/** The kernel's rule (pci_iov_virtfn_bus/devfn): VF n sits at routing id PF + offset + n·stride. */
function virtualFunctions(block: Block): string[] {
  const { numVfs, vfOffset, vfStride } = block;
  if (!numVfs || vfOffset === undefined || vfStride === undefined || block.vfEnabled === false) return [];
  const bdf = block.dev.bdf;
  const domain = bdf.slice(0, -8);
  const rid = (parseInt(bdf.slice(-7, -5), 16) << 8) | (parseInt(bdf.slice(-4, -2), 16) << 3) | Number(bdf.slice(-1));
  const out: string[] = [];
  for (let n = 0; n < numVfs; n++) {
    const r = rid + vfOffset + n * vfStride;
    if (r > 0xffff) break;
    const hex = (v: number) => v.toString(16).padStart(2, '0');
    out.push(`${domain}:${hex(r >> 8)}:${hex((r >> 3) & 0x1f)}.${r & 7}`);
  }
  return out;
}

/** -vmm record field. */
function readTag(dev: PciFact, tag: string, value: string): void {
  switch (tag) {
    case 'Class':
      applyClass(dev, value);
      break;
    case 'Vendor': {
      const { name, id } = nameAndId(value);
      if (name) dev.vendor = name;
      if (id) dev.vendorId = id;
      break;
    }
    case 'Device': {
      const { name, id } = nameAndId(value);
      if (name) dev.device = name;
      if (id) dev.deviceId = id;
      break;
    }
    case 'NUMANode':
      if (/^-?\d+$/.test(value.trim())) dev.node = Number(value) < 0 ? null : Number(value);
      break;
    case 'IOMMUGroup':
      if (/^\d+$/.test(value.trim())) dev.iommuGroup = Number(value);
      break;
    case 'Driver':
      dev.driver = value.trim();
      break;
  }
}

class VerboseReader {
  readonly blocks: Block[] = [];
  readonly byBdf = new Map<string, Block>();
  /** Blocks met again; only the first gets a diagnostic. */
  repeats = 0;
  current: Block | undefined;
  /** Any tab-indented detail line: the paste is -v or more verbose. */
  sawDetails = false;
  unknown = 0;
  private infos = 0;

  constructor(private readonly diag: DiagnosticSink) {}

  private start(bdfText: string, line: number): Block | undefined {
    const bdf = canonicalBdf(bdfText);
    if (!bdf) return undefined;
    const block: Block = { dev: { bdf, line } };
    if (this.byBdf.has(bdf)) {
      // The repeated block is still read (so its lines are not "unknown") but then dropped.
      if (this.repeats++ === 0) this.diag.warning(line, `${bdf} is listed twice (pasted twice?); the first block is kept`);
    } else {
      this.byBdf.set(bdf, block);
      this.blocks.push(block);
    }
    return block;
  }

  private unknownLine(line: number, text: string): void {
    this.unknown++;
    if (this.infos++ < MAX_INFOS) this.diag.info(line, `not part of any lspci device block: "${text.slice(0, 60)}"`);
  }

  read(text: string, line: number): void {
    if (text.trim() === '') {
      this.current = undefined;
      return;
    }
    const tag = TAG.exec(text);
    if (tag && tag[1] === 'Slot') {
      this.current = this.start(tag[2], line);
      if (!this.current) this.unknownLine(line, text);
      return;
    }
    // pciutils before 2.2 named the slot "Device:" too; it is the slot when it is an address.
    if (tag && tag[1] === 'Device' && !this.current && canonicalBdf(tag[2])) {
      this.current = this.start(tag[2], line);
      return;
    }
    if (tag && this.current) {
      readTag(this.current.dev, tag[1], tag[2]);
      return;
    }
    if (/^\s/.test(text)) {
      if (this.current) {
        this.sawDetails = true;
        readDetail(this.current, text);
      } else this.unknownLine(line, text);
      return;
    }
    const machine = MACHINE_LINE.exec(text);
    if (machine) {
      this.current = undefined;
      const block = this.start(machine[1], line);
      if (block) {
        applyClass(block.dev, machine[2]);
        readTag(block.dev, 'Vendor', machine[3]);
        readTag(block.dev, 'Device', machine[4]);
      }
      return;
    }
    const header = HEADER.exec(text);
    const bdf = header ? canonicalBdf(header[1]) : undefined;
    if (header && bdf) {
      this.current = this.start(header[1], line);
      if (this.current) this.current.dev = headerFact(bdf, header[2], line);
      return;
    }
    if (this.current && HEX_DUMP.test(text)) return;
    this.unknownLine(line, text);
  }

  finish(): PciFact[] {
    const devices = this.blocks.map((b) => b.dev);
    const bridges: BusRange[] = [];
    for (const b of this.blocks) {
      if (b.dev.link === undefined && b.lnkCap !== undefined) b.dev.link = b.lnkCap;
      if (b.dev.secondaryBus !== undefined && b.subordinate !== undefined) {
        bridges.push({ bdf: b.dev.bdf, secondary: b.dev.secondaryBus, subordinate: b.subordinate });
      }
      const vfs = virtualFunctions(b);
      if (vfs.length > 0) {
        b.dev.virtfns = vfs;
        for (const vf of vfs) {
          const v = this.byBdf.get(vf);
          if (v) v.dev.physfn = b.dev.bdf;
        }
      }
    }
    // -v and up print "Bus:" for every bridge, so there the ranges are complete; -vmm, -mm and a
    // plain `lspci` print none, and parents stay unknown rather than all looking like root buses.
    if (this.sawDetails) assignParents(devices, bridges);
    return devices;
  }
}

export const lspciVerboseFormat: Format = {
  id: 'lspci-verbose',
  label: 'lspci -vvv',
  sniff(text: string): number {
    const head = headLines(text, 20);
    if (head.length === 0) return 0;
    if (/^Slot:\t/.test(head[0])) return 0.95;
    if (MACHINE_LINE.test(head[0])) return 0.8;
    const h = HEADER.exec(head[0]);
    if (!h) return 0;
    // Class names and a tab-indented detail line make it lspci; a bare address line is weaker.
    const indented = head.slice(1).some((l) => /^\t\S/.test(l));
    return indented ? 0.95 : /^[^:]+: /.test(h[2]) ? 0.6 : 0.3;
  },
  parse(text: string, source: string): HostFacts {
    const { facts, sink: diag, lines, binary } = beginParse('lspci-verbose', text, source, 'lspci -vvv');
    if (binary) return facts;
    const reader = new VerboseReader(diag);
    for (let i = 0; i < lines.length; i++) reader.read(lines[i], i + 1);
    facts.pci = reader.finish();
    facts.unknownLines = reader.unknown;
    if (facts.pci.length === 0) {
      diag.error(undefined, 'no PCI devices found: expected `lspci -vvv` blocks ("00:1f.0 ISA bridge: …") or `lspci -vmm` records ("Slot:\t00:1f.0")');
    }
    return facts;
  },
};
