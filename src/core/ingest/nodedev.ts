/**
 * `virsh nodedev-dumpxml` (libvirt formatnode) for PCI devices: one `<device>` document or
 * several pasted one after another. In `<capability type='pci'>` the domain/bus/slot/function
 * are DECIMAL; in `<address>` children they are 0x-prefixed hex.
 */
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { emptyFacts, type HostFacts, type PciFact } from '../host/facts.ts';
import { childrenNamed, firstChild, parseXml, type XmlElement } from '../xml/tree.ts';
import type { Format } from './format.ts';
import { countLines, headLines } from './text.ts';

/** libvirt's name for a PCI device: pci_DDDD_BB_SS_F (hex). Old libvirt used pci_VENDOR_PRODUCT. */
const PCI_NAME = /^pci_([0-9a-f]{4,8})_([0-9a-f]{2})_([0-9a-f]{2})_([0-7])$/i;

export const nodedevFormat: Format = {
  id: 'nodedev',
  label: 'virsh nodedev-dumpxml',
  sniff(text: string): number {
    const head = headLines(text, 8).join('\n');
    if (!/<device[\s>]/.test(head)) return 0;
    return /<name>pci_|<capability type=['"]pci['"]/.test(head) ? 0.95 : 0.6;
  },
  parse: parseNodedev,
};

export function parseNodedev(text: string, source: string): HostFacts {
  const facts = emptyFacts('nodedev', source);
  const sink = diagnosticSink(source);
  facts.lines = countLines(text);
  const xml = parseXml(text, source);
  facts.diagnostics = [...xml.diagnostics];
  const seen = new Set<string>();
  for (const root of xml.roots) {
    if (root.name !== 'device') {
      sink.error(root.line, `not virsh nodedev-dumpxml output: <${root.name}> where <device> was expected`, root.column);
      continue;
    }
    // The last device of a cut-off paste may end before its address: the cut is reported once.
    const cut = xml.truncated && root === xml.roots[xml.roots.length - 1];
    const pci = readDevice(root, cut ? diagnosticSink(source) : sink);
    if (!pci) continue;
    if (seen.has(pci.bdf)) {
      sink.warning(root.line, `device ${pci.bdf} appears twice; the first one is kept`, root.column);
      continue;
    }
    seen.add(pci.bdf);
    facts.pci.push(pci);
  }
  if (xml.roots.length === 0 && xml.diagnostics.length === 0) sink.error(undefined, 'no <device> element found');
  for (const d of sink.list) facts.diagnostics.push(d);
  return facts;
}

function readDevice(device: XmlElement, sink: DiagnosticSink): PciFact | undefined {
  const name = firstChild(device, 'name')?.text.trim() ?? '';
  const cap = device.children.find((c) => c.name === 'capability' && c.attrs.type === 'pci');
  if (!cap) {
    const type = firstChild(device, 'capability')?.attrs.type ?? 'none';
    sink.info(device.line, `device '${name}' is not a PCI device (capability '${type}'); ignored`, device.column);
    return undefined;
  }
  const num = (tag: string): number | undefined => {
    const t = firstChild(cap, tag)?.text.trim();
    return t !== undefined && /^\d+$/.test(t) ? Number(t) : undefined;
  };
  const [domain, bus, slot, fn] = [num('domain'), num('bus'), num('slot'), num('function')];
  if (domain === undefined || bus === undefined || slot === undefined || fn === undefined || slot > 31 || fn > 7 || bus > 255) {
    sink.error(cap.line, `device '${name}' has no valid decimal <domain>/<bus>/<slot>/<function>; ignored`, cap.column);
    return undefined;
  }
  const pci: PciFact = { bdf: bdfOf(domain, bus, slot, fn), line: device.line };
  const fromName = nameToBdf(name);
  if (fromName && fromName !== pci.bdf) {
    sink.warning(device.line, `device name '${name}' says ${fromName} but its capability says ${pci.bdf}; the capability is used`, device.column);
  }

  const parent = firstChild(device, 'parent')?.text.trim();
  if (parent === 'computer') pci.parent = null;
  else if (parent) {
    const bdf = nameToBdf(parent);
    if (bdf) pci.parent = bdf;
    // Old libvirt named devices pci_VENDOR_PRODUCT: such a parent does not say which bridge it is.
  }
  const driver = firstChild(device, 'driver');
  const driverName = driver && firstChild(driver, 'name')?.text.trim();
  if (driverName) pci.driver = driverName;

  const cls = firstChild(cap, 'class')?.text.trim();
  // Class+subclass as lspci and hwloc print it ("0200"); the prog-if byte is dropped.
  if (cls && /^0x[0-9a-f]{6}$/i.test(cls)) pci.classCode = cls.slice(2, 6).toLowerCase();
  const product = firstChild(cap, 'product');
  if (product) {
    const id = hexId(product.attrs.id);
    if (id) pci.deviceId = id;
    if (product.text.trim()) pci.device = product.text.trim();
  }
  const vendor = firstChild(cap, 'vendor');
  if (vendor) {
    const id = hexId(vendor.attrs.id);
    if (id) pci.vendorId = id;
    if (vendor.text.trim()) pci.vendor = vendor.text.trim();
  }
  const iommu = firstChild(cap, 'iommuGroup')?.attrs.number;
  if (iommu !== undefined && /^\d+$/.test(iommu)) pci.iommuGroup = Number(iommu);

  // libvirt writes <numa node='N'/> only when sysfs numa_node >= 0; its absence means the kernel
  // said -1 (no affinity), so the device is local to no node: null, not "unknown".
  const numa = firstChild(cap, 'numa')?.attrs.node;
  if (numa !== undefined && /^\d+$/.test(numa)) pci.node = Number(numa);
  else if (numa !== undefined) {
    sink.warning(cap.line, `device ${pci.bdf} has <numa node='${numa}'>, not a node number`, cap.column);
    pci.node = null;
  } else pci.node = null;

  const link = readLink(cap);
  if (link) pci.link = link;

  for (const sub of childrenNamed(cap, 'capability')) {
    const type = sub.attrs.type;
    if (type === 'pci-bridge' || type === 'cardbus-bridge') pci.isBridge = true;
    else if (type === 'phys_function') {
      const pf = firstChild(sub, 'address');
      const bdf = pf && addressToBdf(pf, sink);
      if (bdf) pci.physfn = bdf;
    } else if (type === 'virt_functions') {
      const vfs = childrenNamed(sub, 'address')
        .map((a) => addressToBdf(a, sink))
        .filter((b): b is string => b !== undefined);
      if (vfs.length > 0) pci.virtfns = vfs;
    }
  }
  return pci;
}

/** The negotiated link (validity='sta') when it is up, else the capable one. */
function readLink(cap: XmlElement): string | undefined {
  const express = firstChild(cap, 'pci-express');
  if (!express) return undefined;
  const links = childrenNamed(express, 'link');
  const usable = (validity: string) =>
    links.find((l) => l.attrs.validity === validity && l.attrs.speed !== undefined && Number(l.attrs.width) > 0);
  const link = usable('sta') ?? usable('cap');
  return link ? `${link.attrs.speed}GT/s x${link.attrs.width}` : undefined;
}

function bdfOf(domain: number, bus: number, slot: number, fn: number): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`;
}

function nameToBdf(name: string): string | undefined {
  const m = PCI_NAME.exec(name);
  return m ? `${m[1].toLowerCase()}:${m[2].toLowerCase()}:${m[3].toLowerCase()}.${m[4]}` : undefined;
}

function addressToBdf(address: XmlElement, sink: DiagnosticSink): string | undefined {
  const part = (attr: string) => {
    const v = address.attrs[attr];
    return v !== undefined && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : undefined;
  };
  const [d, b, s, f] = [part('domain'), part('bus'), part('slot'), part('function')];
  if (d === undefined || b === undefined || s === undefined || f === undefined || s > 31 || f > 7 || b > 255) {
    sink.warning(address.line, '<address> needs 0x-hex domain, bus, slot and function; ignored', address.column);
    return undefined;
  }
  return bdfOf(d, b, s, f);
}

function hexId(raw: string | undefined): string | undefined {
  return raw !== undefined && /^0x[0-9a-f]{4}$/i.test(raw) ? raw.slice(2).toLowerCase() : undefined;
}
