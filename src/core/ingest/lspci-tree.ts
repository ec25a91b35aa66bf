/**
 * `lspci -t` / `-tv` / `-tvnn` (pciutils): the bus tree drawn in ASCII.
 *
 *   -+-[0000:00]-+-00.0  Intel Corporation Xeon E5/Core i7 DMI2
 *    |           +-01.1-[02]--+-00.0  Intel Corporation I350 Gigabit Network Connection
 *    |           |            \-00.3  Intel Corporation I350 Gigabit Network Connection
 *    |           +-11.0--                      (bridge with no bus range assigned)
 *    \-[0000:80]-+-02.2-[82]----00.0  Mellanox Technologies MT27500 Family [ConnectX-3]
 *
 * Grammar (pciutils ls-tree.c): a bridge prints "-[ss]-" or "-[ss-uu]-" and then "-" and its
 * bus(es); the host bridge and any bridge with several buses list them as "+-[dddd:bb]-" /
 * "\-[dddd:bb]-"; a bus with one device prints "--dev", with several "+-dev" … "\-dev". Each
 * printed line turns every '+' and '|' of its prefix into '|' and everything else into ' ', so a
 * continuation line's first '+' or '\' sits in the column of the list it continues.
 */
import type { DiagnosticSink } from '../diagnostics.ts';
import type { HostFacts, PciFact } from '../host/facts.ts';
import type { Format } from './format.ts';
import { splitVendorDevice } from './lspci-common.ts';
import { beginParse, headLines } from './text.ts';

interface Bus {
  domain: string;
  /** undefined under a bridge that printed no bus range. */
  number?: number;
  parent: string | null;
  root?: string;
}

interface Bridge {
  domain: string;
  bdf: string | null;
  secondary?: number;
  root?: string;
}

type List = { kind: 'devices'; bus: Bus } | { kind: 'buses'; bridge: Bridge };

const HOST: Bridge = { domain: '0000', bdf: null };
const BUS_ENTRY = /^\[([0-9a-f]{4,8}):([0-9a-f]{2})\]-/i;
const DEVICE = /^([0-9a-f]{2})\.([0-7])/i;
const RANGE = /^-\[([0-9a-f]{2})(?:-([0-9a-f]{2}))?\]-/i;
/** -tvv prints each device's BARs on lines of their own under it. */
const BASES = /^(?:Region \d+: |\[virtual\] |\[enhanced\] |Memory at |I\/O ports at )/;
const MAX_INFOS = 3;

class TreeReader {
  readonly lists = new Map<number, List>();
  readonly devices: PciFact[] = [];
  readonly seen = new Set<string>();
  /** Devices met again; only the first gets a diagnostic. */
  repeats = 0;
  line = 0;
  text = '';

  constructor(private readonly diag: DiagnosticSink) {}

  /** One printed line; returns false when it does not fit the tree grammar. */
  read(text: string, lineNo: number): boolean {
    this.text = text;
    this.line = lineNo;
    let col = 0;
    while (col < text.length && (text[col] === ' ' || text[col] === '|')) col++;
    const rest = text.slice(col);
    if (col === 0 && rest.startsWith('-')) {
      this.lists.clear();
      return this.bridgeTail(0, HOST);
    }
    // `lspci -t -s …` prints each matching bridge as "dddd:bb:ss.f-[..]-…".
    const filtered = /^([0-9a-f]{4,8}):([0-9a-f]{2}):/i.exec(rest);
    if (col === 0 && filtered) {
      this.lists.clear();
      const bus: Bus = { domain: filtered[1].toLowerCase(), number: parseInt(filtered[2], 16), parent: null };
      const dev = this.device(filtered[0].length, bus);
      if (dev) delete dev.parent; // the filter hides what is above the bridge
      return dev !== undefined;
    }
    if (BASES.test(rest)) return true;
    if ((rest.startsWith('+-') || rest.startsWith('\\-')) && this.lists.has(col)) {
      for (const c of this.lists.keys()) if (c > col) this.lists.delete(c);
      const list = this.lists.get(col)!;
      return list.kind === 'devices' ? this.device(col + 2, list.bus) !== undefined : this.busEntry(col + 2, list.bridge);
    }
    return false;
  }

  /** After a bridge's range: "-" then its bus, or its list of buses. */
  private bridgeTail(pos: number, bridge: Bridge): boolean {
    if (this.text[pos] !== '-') return false;
    pos++;
    const next = this.text.slice(pos);
    if (next.startsWith('+-[') || next.startsWith('\\-[')) {
      this.lists.set(pos, { kind: 'buses', bridge });
      return this.busEntry(pos + 2, bridge);
    }
    if (bridge.bdf === null) return this.busEntry(pos, bridge);
    const bus: Bus = { domain: bridge.domain, parent: bridge.bdf };
    if (bridge.secondary !== undefined) bus.number = bridge.secondary;
    if (bridge.root !== undefined) bus.root = bridge.root;
    return this.busTail(pos, bus);
  }

  /** "[dddd:bb]-" then the bus's devices. */
  private busEntry(pos: number, bridge: Bridge): boolean {
    const m = BUS_ENTRY.exec(this.text.slice(pos));
    if (!m) return false;
    const domain = m[1].toLowerCase().padStart(4, '0');
    const number = parseInt(m[2], 16);
    const bus: Bus =
      bridge.bdf === null
        ? { domain, number, parent: null, root: `${domain}:${m[2].toLowerCase()}` }
        : { domain, number, parent: bridge.bdf, ...(bridge.root !== undefined ? { root: bridge.root } : {}) };
    return this.busTail(pos + m[0].length, bus);
  }

  /** Nothing (empty bus), "--dev", or the first of a list "+-dev" / "\-dev". */
  private busTail(pos: number, bus: Bus): boolean {
    const next = this.text.slice(pos);
    if (next.trim() === '') return true;
    if (next.startsWith('--')) return this.device(pos + 2, bus) !== undefined;
    if (next.startsWith('+-') || next.startsWith('\\-')) {
      this.lists.set(pos, { kind: 'devices', bus });
      return this.device(pos + 2, bus) !== undefined;
    }
    return false;
  }

  /** "ss.f" then a bridge range and tail, or the name, or nothing. */
  private device(pos: number, bus: Bus): PciFact | undefined {
    const m = DEVICE.exec(this.text.slice(pos));
    if (!m) return undefined;
    if (bus.number === undefined) {
      this.diag.warning(this.line, `device ${m[0]} hangs from a bridge that shows no bus number; it is left out`);
      return undefined;
    }
    const bdf = `${bus.domain}:${bus.number.toString(16).padStart(2, '0')}:${m[1].toLowerCase()}.${m[2]}`;
    const dev: PciFact = { bdf, parent: bus.parent, line: this.line };
    if (bus.root !== undefined) dev.root = bus.root;
    if (this.seen.has(bdf)) {
      if (this.repeats++ === 0) this.diag.warning(this.line, `${bdf} appears twice in the tree (pasted twice?); the first one is kept`);
    } else {
      this.seen.add(bdf);
      this.devices.push(dev);
    }
    pos += m[0].length;
    const after = this.text.slice(pos);
    const range = RANGE.exec(after);
    if (range) {
      dev.isBridge = true;
      dev.secondaryBus = parseInt(range[1], 16);
      const bridge: Bridge = { domain: bus.domain, bdf, secondary: dev.secondaryBus };
      if (bus.root !== undefined) bridge.root = bus.root;
      return this.bridgeTail(pos + range[0].length, bridge) ? dev : undefined;
    }
    if (after.startsWith('-')) {
      // A bridge whose secondary bus is unassigned (00): lspci prints "-" instead of a range.
      dev.isBridge = true;
      const bridge: Bridge = { domain: bus.domain, bdf };
      if (bus.root !== undefined) bridge.root = bus.root;
      return this.bridgeTail(pos + 1, bridge) ? dev : undefined;
    }
    if (after.trim() === '') return dev;
    if (!after.startsWith('  ')) return undefined;
    const names = splitVendorDevice(after);
    for (const key of ['vendor', 'vendorId', 'device', 'deviceId'] as const) {
      const value = names[key];
      if (value !== undefined) dev[key] = value;
    }
    return dev;
  }
}

export const lspciTreeFormat: Format = {
  id: 'lspci-tree',
  label: 'lspci -tv',
  sniff(text: string): number {
    const head = headLines(text, 10);
    if (head.length === 0) return 0;
    if (/^-(?:[+\\]-)?\[[0-9a-f]{4,8}:[0-9a-f]{2}\]-/i.test(head[0])) return 0.95;
    const glyphs = head.filter((l) => /^[ |]*[+\\]-[0-9a-f]{2}\.[0-7]/i.test(l)).length;
    return glyphs >= 2 && glyphs >= head.length / 2 ? 0.5 : 0;
  },
  parse(text: string, source: string): HostFacts {
    const { facts, sink: diag, lines, binary } = beginParse('lspci-tree', text, source, 'lspci -tv');
    if (binary) return facts;
    const reader = new TreeReader(diag);
    let infos = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.trim() === '') continue;
      if (!reader.read(line, i + 1)) {
        facts.unknownLines++;
        if (infos++ < MAX_INFOS) diag.info(i + 1, `not part of an lspci -t tree: "${line.slice(0, 60)}"`);
      }
    }
    facts.pci = reader.devices;
    if (facts.pci.length === 0) {
      diag.error(undefined, 'no PCI devices found: expected the output of `lspci -tv` (a tree starting with "-[0000:00]-" or "-+-[0000:00]-")');
    }
    return facts;
  },
};
