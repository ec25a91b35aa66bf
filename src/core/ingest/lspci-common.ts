/** Pieces shared by the lspci formats: names as pci.ids prints them, and bus ranges → parents. */
import type { PciFact } from '../host/facts.ts';

export interface VendorDevice {
  vendor?: string;
  vendorId?: string;
  device?: string;
  deviceId?: string;
}

const HEX4 = /^[0-9a-f]{4}$/i;

/**
 * Words that end a company name in pci.ids ("Intel Corporation", "Mellanox Technologies",
 * "ASPEED Technology, Inc.", "Samsung Electronics Co Ltd", "Advanced Micro Devices, Inc. [AMD/ATI]").
 * lspci prints "<vendor> <device>" with nothing between them, so the split is a heuristic: the
 * vendor ends at the first such word, plus any further company words and a [bracketed alias].
 */
const COMPANY_WORD =
  'Corporation|Corp\\.?|Incorporated|Inc\\.?|Ltd\\.?|Limited|LLC|GmbH|AG|PLC|Co\\.?|Company|Technologies|Technology|Semiconductors?|Electronics|Microsystems|Systems|Networks|Communications|Microelectronics|Devices|Logic|Instruments';
const COMPANY_END = new RegExp(
  `^(.*?\\b(?:${COMPANY_WORD}))((?:,?\\s+(?:${COMPANY_WORD}|S\\.A\\.|Group|and subsidiaries|\\(Wrong ID\\)))*)(?:\\s+(\\[[^\\]]+\\]))?(?=\\s)`,
);

/**
 * Split lspci's "<vendor> <device>" name text. With -nn it ends in "[vvvv:dddd]"; lspci writes
 * "Device 8086:3408" for an unknown vendor and "<vendor> Device 0d57" for an unknown device.
 * When no company word marks the end of the vendor, the whole text stays in `device`.
 */
export function splitVendorDevice(text: string): VendorDevice {
  let rest = text.trim();
  const out: VendorDevice = {};
  const ids = /\s*\[([0-9a-f]{4}):([0-9a-f]{4})\]$/i.exec(rest);
  if (ids) {
    out.vendorId = ids[1].toLowerCase();
    out.deviceId = ids[2].toLowerCase();
    rest = rest.slice(0, ids.index);
  }
  const numeric = /^(?:Device\s+)?([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(rest);
  if (numeric) {
    out.vendorId = numeric[1].toLowerCase();
    out.deviceId = numeric[2].toLowerCase();
    return out;
  }
  if (rest === '' || rest === 'Device') return out;
  // "<vendor> Device 0d57" (or "<vendor> Device" once -nn's ids are cut off): no device name.
  const unnamed = /^(.*\S)\s+Device\s+([0-9a-fA-F]{4})$/.exec(rest) ?? (ids ? /^(.*\S)\s+Device()$/.exec(rest) : null);
  if (unnamed) {
    out.vendor = unnamed[1];
    if (unnamed[2]) out.deviceId = unnamed[2].toLowerCase();
    return out;
  }
  const m = COMPANY_END.exec(rest);
  if (m) {
    out.vendor = (m[1] + m[2] + (m[3] ? ` ${m[3]}` : '')).trim();
    const device = rest.slice(m[0].length).trim();
    if (device !== '') out.device = device;
  } else {
    out.device = rest;
  }
  return out;
}

/**
 * A -vmm / -mm field: "Intel Corporation [8086]" (-nn), "8086" (-n) or "Intel Corporation".
 * Returns the name (without lspci's "Device"/"Class xxxx" placeholders) and the 4-hex id.
 */
export function nameAndId(value: string): { name?: string; id?: string } {
  const v = value.trim();
  if (HEX4.test(v)) return { id: v.toLowerCase() };
  const m = /^(.*?)\s*\[([0-9a-f]{4})\]$/i.exec(v);
  const name = m ? m[1] : v;
  const out: { name?: string; id?: string } = {};
  if (m) out.id = m[2].toLowerCase();
  const placeholder = /^(?:Device|Class|Vendor)(?:\s+([0-9a-f]{4}))?$/i.exec(name);
  if (placeholder) {
    if (placeholder[1] && !out.id) out.id = placeholder[1].toLowerCase();
  } else if (name !== '') {
    out.name = name;
  }
  return out;
}

/** "Ethernet controller [0200]", "Class 0604", "0200", "Unassigned class [ffff]". */
export function parseClass(text: string): { className?: string; classCode?: string } {
  const { name, id } = nameAndId(text);
  const out: { className?: string; classCode?: string } = {};
  if (name) out.className = name;
  if (id) out.classCode = id;
  return out;
}

export interface BusRange {
  bdf: string;
  secondary: number;
  subordinate: number;
}

const domainOf = (bdf: string) => bdf.slice(0, bdf.length - 8);
const busOf = (bdf: string) => parseInt(bdf.slice(-7, -5), 16);

/**
 * Parents from bridge bus ranges, the way lspci -t builds its tree: a device hangs from the
 * bridge with the narrowest [secondary, subordinate] range in its domain that holds its bus;
 * without one it sits on a root bus (parent null, root "dddd:bb"). A range starting at or
 * below the bridge's own bus (secondary=00 on an unconfigured port) leads nowhere and is skipped.
 */
export function assignParents(devices: PciFact[], bridges: BusRange[]): void {
  const byDomain = new Map<string, BusRange[]>();
  for (const b of bridges) {
    if (b.secondary <= busOf(b.bdf) || b.subordinate < b.secondary) continue;
    const d = domainOf(b.bdf);
    const list = byDomain.get(d) ?? [];
    list.push(b);
    byDomain.set(d, list);
  }
  const parentOf = new Map<string, string | null>();
  for (const dev of devices) {
    const bus = busOf(dev.bdf);
    let best: BusRange | undefined;
    for (const b of byDomain.get(domainOf(dev.bdf)) ?? []) {
      if (b.bdf === dev.bdf || bus < b.secondary || bus > b.subordinate) continue;
      if (!best || b.subordinate - b.secondary < best.subordinate - best.secondary) best = b;
    }
    dev.parent = best ? best.bdf : null;
    parentOf.set(dev.bdf, dev.parent);
  }
  const rootOf = new Map<string, string>();
  const findRoot = (bdf: string): string => {
    const known = rootOf.get(bdf);
    if (known) return known;
    // Walk up iteratively: a malformed paste can make a bridge cover its own ancestor.
    const chain: string[] = [];
    let cur = bdf;
    const seen = new Set<string>();
    for (;;) {
      const up = parentOf.get(cur);
      const cached = rootOf.get(cur);
      if (cached) {
        for (const c of chain) rootOf.set(c, cached);
        return cached;
      }
      chain.push(cur);
      seen.add(cur);
      if (!up || seen.has(up)) break;
      cur = up;
    }
    const root = cur.slice(0, -5);
    for (const c of chain) rootOf.set(c, root);
    return root;
  };
  for (const dev of devices) dev.root = findRoot(dev.bdf);
}

/** "Speed 8GT/s (ok), Width x16 (ok)" or "Port #1, Speed 5GT/s, Width x4, …" → "8GT/s x16". */
export function parseLink(text: string): string | undefined {
  const m = /Speed\s+([^,\s]+)(?:\s+\([^)]*\))?,\s+Width\s+(x\d+)/.exec(text);
  return m ? `${m[1]} ${m[2]}` : undefined;
}
