/**
 * Where passthrough PCI devices sit in the guest: a `<hostdev type='pci'>` hangs off a guest
 * bus, that bus belongs to a controller, and walking controllers' own addresses upwards reaches
 * a pci/pcie expander bus (QEMU pxb/pxb-pcie) whose `<target><node>` is the guest cell.
 */
import { attribute, childElement, childElements, textContent, type DomainDocument, type XmlElement } from './lossless-xml.ts';

export interface ExpanderBus {
  controller: XmlElement;
  index: number;
  /** The `<target><node>` element, when there is one. */
  node: XmlElement | undefined;
}

export interface PlacedHostdev {
  /** Host PCI address as lspci prints it: 0000:03:00.0. */
  bdf: string;
  hostdev: XmlElement;
  expander: ExpanderBus | undefined;
}

const EXPANDER_MODELS = new Set(['pcie-expander-bus', 'pci-expander-bus']);

export function expanderBuses(devices: XmlElement): ExpanderBus[] {
  const out: ExpanderBus[] = [];
  for (const c of childElements(devices, 'controller')) {
    if (attribute(c, 'type')?.value !== 'pci' || !EXPANDER_MODELS.has(attribute(c, 'model')?.value ?? '')) continue;
    const index = Number(attribute(c, 'index')?.value);
    const target = childElement(c, 'target');
    out.push({ controller: c, index: Number.isInteger(index) ? index : -1, node: target && childElement(target, 'node') });
  }
  return out;
}

export function placedHostdevs(devices: XmlElement): PlacedHostdev[] {
  const parentBus = new Map<number, number>();
  for (const c of childElements(devices, 'controller')) {
    if (attribute(c, 'type')?.value !== 'pci') continue;
    const index = Number(attribute(c, 'index')?.value);
    const bus = guestBus(childElement(c, 'address'));
    if (Number.isInteger(index) && bus !== undefined) parentBus.set(index, bus);
  }
  const expanders = new Map(expanderBuses(devices).map((e) => [e.index, e]));
  const out: PlacedHostdev[] = [];
  for (const h of childElements(devices, 'hostdev')) {
    if (attribute(h, 'type')?.value !== 'pci') continue;
    const source = childElement(h, 'source');
    const address = source && childElement(source, 'address');
    if (!address) continue;
    const bdf = hostBdf(address);
    if (!bdf) continue;
    let bus = guestBus(childElement(h, 'address'));
    let expander: ExpanderBus | undefined;
    // Bounded walk: a controller loop in a broken document must not spin.
    for (let hops = 0; bus !== undefined && hops < 256 && !expander; hops++) {
      expander = expanders.get(bus);
      bus = expander ? undefined : parentBus.get(bus);
    }
    out.push({ bdf, hostdev: h, expander });
  }
  return out;
}

/** The guest cell an expander bus names, or undefined when it names none. */
export function expanderNode(doc: DomainDocument, expander: ExpanderBus): number | undefined {
  if (!expander.node) return undefined;
  const text = textContent(doc, expander.node).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function guestBus(address: XmlElement | undefined): number | undefined {
  if (!address || (attribute(address, 'type')?.value ?? 'pci') !== 'pci') return undefined;
  const bus = attribute(address, 'bus')?.value;
  if (bus === undefined) return undefined;
  const n = Number(bus);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function hostBdf(address: XmlElement): string | undefined {
  const num = (name: string, fallback: number) => {
    const v = attribute(address, name)?.value;
    if (v === undefined) return fallback;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const domain = num('domain', 0);
  const bus = num('bus', -1);
  const slot = num('slot', -1);
  const fn = num('function', 0);
  if (domain === undefined || bus === undefined || slot === undefined || fn === undefined || bus < 0 || slot < 0) return undefined;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn.toString(16)}`;
}
