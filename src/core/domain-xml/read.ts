/**
 * read(): a lossless domain document → the GuestLayout it describes, plus a diagnostic (line
 * and column, libvirt's wording where libvirt has one) for every owned value that is malformed
 * or that libvirt would refuse. Bad values are skipped, never thrown: the rest still reads.
 * Counts and ids past what libvirt and QEMU take (limits.ts) are refused the same way, before
 * anything is built from them, and memory sizes are read exactly (scaled.ts).
 */
import { diagnosticSink, type Diagnostic, type DiagnosticSink } from '../diagnostics.ts';
import type { GuestCell, GuestDevice, GuestLayout, GuestTopology, IothreadPin, MemoryMode, VcpuPin } from '../guest/model.ts';
import { parseBitmap } from './bitmap.ts';
import { expanderBuses, expanderNode, placedHostdevs } from './devices.ts';
import { MAX_CELLS, MAX_VCPUS } from '../guest/limits.ts';
import { attribute, childElement, childElements, positionOf, textContent, type DomainDocument, type XmlAttribute, type XmlElement } from './lossless-xml.ts';
import { scaledKiB } from './scaled.ts';

export { scaledKiB };

export interface ReadResult {
  /** Null when there is no <domain> to read (empty, malformed beyond the root, or refused). */
  layout: GuestLayout | null;
  /** The parse's diagnostics followed by the layout's. */
  diagnostics: Diagnostic[];
}

const MEMORY_MODES: readonly MemoryMode[] = ['strict', 'preferred', 'interleave', 'restrictive'];

/** libvirt's default when no distance is given: 10 to itself, 20 to every other cell. */
export function defaultDistance(from: number, to: number): number {
  return from === to ? 10 : 20;
}

/** The domain's <name>, for virsh, QEMU's paths and naming another guest. */
export function domainNameOf(doc: DomainDocument): string | null {
  const name = doc.root && childElement(doc.root, 'name');
  return (name && textContent(doc, name).trim()) || null;
}

export function readLayout(doc: DomainDocument): ReadResult {
  const sink = diagnosticSink(doc.source);
  const diagnostics = [...doc.diagnostics];
  const root = doc.root;
  if (!root) return { layout: null, diagnostics };
  if (root.name !== 'domain') {
    report(doc, sink, root.start, `unexpected root element <${root.name}>, expecting <domain>`);
    return { layout: null, diagnostics: [...diagnostics, ...sink.list] };
  }
  const r = new Reader(doc, sink);
  const layout = r.read(root);
  return { layout, diagnostics: [...diagnostics, ...sink.list] };
}

/** A value quoted in a message: a 10 KB list is named by its start, not printed whole. */
function clipped(value: string, max = 80): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

function report(doc: DomainDocument, sink: DiagnosticSink, offset: number, message: string, severity: 'error' | 'warning' = 'error'): void {
  const p = positionOf(doc, offset);
  sink[severity](p.line, message, p.column);
}

class Reader {
  constructor(
    private readonly doc: DomainDocument,
    private readonly sink: DiagnosticSink,
  ) {}

  read(domain: XmlElement): GuestLayout {
    const { vcpus, currentVcpus } = this.vcpu(domain);
    const cpu = childElement(domain, 'cpu');
    const numa = cpu && childElement(cpu, 'numa');
    const cells = numa ? this.cells(numa, vcpus) : [];
    this.numatune(domain, cells);
    this.hugepages(domain, cells);
    const topology = this.topology(cpu, vcpus);
    const { pins, emulatorpin, iothreadpins } = this.cputune(domain, vcpus);
    const devicesElement = childElement(domain, 'devices');
    const memoryKiB = this.memory(domain, cells, devicesElement);
    const devices = devicesElement ? this.devices(devicesElement, cells.length) : [];
    const layout: GuestLayout = { vcpus, topology, cells, pins, emulatorpin, iothreadpins, memoryKiB, devices };
    if (currentVcpus !== undefined) layout.currentVcpus = currentVcpus;
    return layout;
  }

  private error(offset: number, message: string): void {
    report(this.doc, this.sink, offset, message);
  }

  private warning(offset: number, message: string): void {
    report(this.doc, this.sink, offset, message, 'warning');
  }

  /** A non-negative integer attribute; reported and undefined when malformed. */
  private uint(el: XmlElement, name: string, what = `'${name}' of <${el.name}>`): number | undefined {
    const a = attribute(el, name);
    if (!a) return undefined;
    const v = a.value.trim();
    if (/^\d+$/.test(v) && Number(v) <= 0xffffffff) return Number(v);
    this.error(a.valueStart, `Invalid value for ${what}: '${a.value}'`);
    return undefined;
  }

  /**
   * Lists read, by their text: 4096 vCPUs each pinned to `0-16383` (libvirt allows both) share
   * one list of 16384 ids instead of holding 64M, and what goes through pins list by list (the
   * occupancy, the audit) goes through it once. Lists are never changed in place.
   */
  private readonly lists = new Map<string, number[]>();

  private list(a: XmlAttribute): number[] | undefined {
    const known = this.lists.get(a.value);
    if (known) return known;
    const parsed = parseBitmap(a.value);
    if (parsed.ok) {
      this.lists.set(a.value, parsed.ids);
      return parsed.ids;
    }
    this.error(a.valueStart, `Failed to parse bitmap '${clipped(a.value)}': ${clipped(parsed.error)}`);
    return undefined;
  }

  private vcpu(domain: XmlElement): { vcpus: number; currentVcpus?: number } {
    const el = childElement(domain, 'vcpu');
    if (!el) return { vcpus: 1 };
    const text = textContent(this.doc, el).trim();
    let vcpus = 1;
    // libvirt reads an unsigned int; QEMU's machine then caps it (limits.ts).
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 0xffffffff) this.error(el.startTagEnd, `maximum vcpus count must be an integer (found '${text}')`);
    else if (Number(text) > MAX_VCPUS) this.error(el.startTagEnd, `Maximum CPUs greater than specified machine type limit ${MAX_VCPUS} (found ${text})`);
    else vcpus = Number(text);
    const placement = attribute(el, 'placement');
    if (placement && placement.value !== 'static' && placement.value !== 'auto') {
      this.error(placement.valueStart, `Unsupported CPU placement mode '${placement.value}'`);
    }
    const cpuset = attribute(el, 'cpuset');
    if (cpuset) this.list(cpuset);
    const current = this.uint(el, 'current', 'current vcpus count');
    if (current === undefined || current >= vcpus) return { vcpus };
    if (current === 0) {
      this.error(attribute(el, 'current')!.valueStart, 'current vcpus count must be at least 1');
      return { vcpus };
    }
    const list = childElement(domain, 'vcpus');
    if (list) {
      const enabled = childElements(list, 'vcpu').filter((v) => attribute(v, 'enabled')?.value === 'yes').length;
      if (enabled !== current) this.warning(list.start, `<vcpus> enables ${enabled} vCPUs but <vcpu current='${current}'>`);
    }
    return { vcpus, currentVcpus: current };
  }

  private topology(cpu: XmlElement | undefined, vcpus: number): GuestTopology {
    const fallback: GuestTopology = { sockets: vcpus, dies: 1, clusters: 1, cores: 1, threads: 1 };
    const el = cpu && childElement(cpu, 'topology');
    if (!el) return fallback;
    const t: GuestTopology = { ...fallback };
    for (const key of ['sockets', 'dies', 'clusters', 'cores', 'threads'] as const) {
      const v = this.uint(el, key, `CPU topology '${key}'`);
      if (v === 0) this.error(attribute(el, key)!.valueStart, `Invalid CPU topology: '${key}' must be at least 1`);
      else if (v !== undefined) t[key] = v;
      else if (key !== 'dies' && key !== 'clusters' && !attribute(el, key)) this.error(el.start, `Missing '${key}' attribute in CPU topology`);
    }
    if (t.sockets * t.dies * t.clusters * t.cores * t.threads !== vcpus) this.error(el.start, "CPU topology doesn't match maximum vcpu count");
    return t;
  }

  private cells(numa: XmlElement, vcpus: number): GuestCell[] {
    const elements = childElements(numa, 'cell');
    if (elements.length === 0) {
      this.error(numa.start, 'NUMA topology defined without NUMA cells');
      return [];
    }
    const n = elements.length;
    if (n > MAX_CELLS) {
      this.error(numa.start, `Max number of NUMA nodes reached: ${n} cells, QEMU takes at most ${MAX_CELLS}`);
      return [];
    }
    const cells: (GuestCell | undefined)[] = new Array(n).fill(undefined);
    const explicit: Map<number, number>[] = [];
    elements.forEach((el, index) => {
      const id = attribute(el, 'id') ? this.uint(el, 'id', `'id' attribute in NUMA cell`) : index;
      if (id === undefined) return;
      if (id >= n) {
        this.error(el.start, "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed");
        return;
      }
      if (cells[id]) {
        this.error(el.start, `Duplicate NUMA cell info for cell id '${id}'`);
        return;
      }
      const cpus = attribute(el, 'cpus');
      const ids = cpus ? (this.list(cpus) ?? []) : [];
      const high = ids.find((v) => v >= vcpus);
      if (high !== undefined) this.error(cpus!.valueStart, 'CPU IDs in <numa> exceed the <vcpu> count');
      const memory = attribute(el, 'memory');
      let memoryKiB = 0;
      if (!memory) this.error(el.start, `NUMA cell ${id} has no 'memory' attribute`);
      else {
        const unit = attribute(el, 'unit');
        const kib = scaledKiB(memory.value, unit?.value);
        if (kib.error) this.error(kib.error.startsWith('unknown') ? unit!.valueStart : memory.valueStart, kib.error);
        else memoryKiB = kib.kib!;
      }
      const memAccess = attribute(el, 'memAccess');
      if (memAccess && memAccess.value !== 'shared' && memAccess.value !== 'private') this.error(memAccess.valueStart, `Invalid 'memAccess' attribute value '${memAccess.value}'`);
      const discard = attribute(el, 'discard');
      if (discard && discard.value !== 'yes' && discard.value !== 'no') this.error(discard.valueStart, `Invalid 'discard' attribute value '${discard.value}'`);
      explicit[id] = this.siblings(el, id, n);
      cells[id] = { id, vcpus: ids.filter((v) => v < vcpus), memoryKiB, hostNodes: [], memoryMode: 'strict', distances: [] };
    });
    const present = cells.filter((c): c is GuestCell => c !== undefined);
    for (let a = 0; a < present.length; a++) {
      const inA = new Set(present[a].vcpus);
      for (let b = a + 1; b < present.length; b++) {
        if (present[b].vcpus.some((v) => inA.has(v))) this.error(numa.start, `NUMA cells ${present[a].id} and ${present[b].id} have overlapping vCPU ids`);
      }
    }
    if (present.length !== n) return present.map((c, i) => ({ ...c, id: i, distances: present.map((_, j) => defaultDistance(i, j)) }));
    // Missing entries mirror the other direction (libvirt's symmetry fill), else 10/20.
    for (const cell of present) {
      cell.distances = present.map((_, j) => explicit[cell.id]?.get(j) ?? explicit[j]?.get(cell.id) ?? defaultDistance(cell.id, j));
    }
    const listed = present.reduce((s, c) => s + c.vcpus.length, 0);
    if (listed < vcpus) this.warning(numa.start, `<numa> cells list ${listed} of ${vcpus} vCPUs; libvirt puts the rest in cell 0`);
    return present;
  }

  private siblings(cell: XmlElement, id: number, n: number): Map<number, number> {
    const row = new Map<number, number>();
    const distances = childElement(cell, 'distances');
    if (!distances) return row;
    const siblings = childElements(distances, 'sibling');
    if (siblings.length === 0) this.error(distances.start, 'NUMA distances defined without siblings');
    for (const s of siblings) {
      const to = this.uint(s, 'id', "'id' of a NUMA distance sibling");
      const value = this.uint(s, 'value', "'value' of a NUMA distance sibling");
      if (to === undefined || value === undefined) {
        if (!attribute(s, 'id') || !attribute(s, 'value')) this.error(s.start, "'sibling' needs both 'id' and 'value'");
        continue;
      }
      if (to >= n) {
        this.error(s.start, `'sibling_id' attribute ${to} for NUMA cell ${id} is out of range`);
        continue;
      }
      if (value < 10 || value > 255) {
        this.error(attribute(s, 'value')!.valueStart, `'value' attribute ${value} of NUMA distance is out of range (10-255)`);
        continue;
      }
      if (to === id && value !== 10) this.error(s.start, `'value' attribute of NUMA distance for a node to itself must be 10`);
      else if (to !== id && value === 10) this.error(s.start, `'value' attribute of NUMA distance between different nodes must not be 10`);
      else row.set(to, value);
    }
    return row;
  }

  private numatune(domain: XmlElement, cells: GuestCell[]): void {
    const el = childElement(domain, 'numatune');
    if (!el) return;
    const mode = (m: XmlElement): MemoryMode | undefined => {
      const a = attribute(m, 'mode');
      if (!a) return 'strict';
      if ((MEMORY_MODES as readonly string[]).includes(a.value)) return a.value as MemoryMode;
      this.error(a.valueStart, `Unsupported NUMA memory tuning mode '${a.value}'`);
      return undefined;
    };
    const memories = childElements(el, 'memory');
    if (memories.length > 1) this.error(memories[1].start, 'only one <memory> element is supported in <numatune>');
    const memory = memories[0];
    let defaultMode: MemoryMode = 'strict';
    let defaultNodes: number[] = [];
    let auto = false;
    if (memory) {
      defaultMode = mode(memory) ?? 'strict';
      const placement = attribute(memory, 'placement');
      const nodeset = attribute(memory, 'nodeset');
      if (placement && placement.value !== 'static' && placement.value !== 'auto') this.error(placement.valueStart, `Unsupported numatune placement '${placement.value}'`);
      auto = placement?.value === 'auto';
      if (!auto && nodeset) {
        const nodes = this.list(nodeset);
        if (nodes && nodes.length === 0) this.error(nodeset.valueStart, `Invalid value of 'nodeset': ${nodeset.value}`);
        defaultNodes = nodes ?? [];
      } else if (placement?.value === 'static' && !nodeset) {
        this.error(memory.start, "nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
      }
    }
    for (const cell of cells) {
      cell.memoryMode = defaultMode;
      cell.hostNodes = [...defaultNodes];
    }
    const seen = new Set<number>();
    for (const m of childElements(el, 'memnode')) {
      if (cells.length === 0) {
        this.error(m.start, 'Element \'memnode\' is invalid without any guest NUMA cells');
        break;
      }
      if (auto) this.error(m.start, 'Per-node binding is not compatible with automatic NUMA placement.');
      const cellid = this.uint(m, 'cellid', "'cellid' attribute in memnode element");
      if (cellid === undefined) {
        if (!attribute(m, 'cellid')) this.error(m.start, "Missing required cellid attribute in memnode element");
        continue;
      }
      if (cellid >= cells.length) {
        this.error(m.start, `Invalid 'cellid' attribute in memnode element: ${cellid}. Max cellid is ${cells.length - 1}`);
        continue;
      }
      if (seen.has(cellid)) {
        this.error(m.start, `Multiple memnode elements with cellid ${cellid}`);
        continue;
      }
      seen.add(cellid);
      const nodeset = attribute(m, 'nodeset');
      if (!nodeset) {
        this.error(m.start, "Missing required nodeset attribute in memnode element");
        continue;
      }
      const nodes = this.list(nodeset);
      if (nodes && nodes.length === 0) this.error(nodeset.valueStart, `Invalid value of 'nodeset': ${nodeset.value}`);
      const cellMode = mode(m);
      if (defaultMode === 'restrictive' && cellMode !== 'restrictive') this.error(m.start, "'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element");
      if (nodes && nodes.length > 0) cells[cellid].hostNodes = nodes;
      if (cellMode) cells[cellid].memoryMode = cellMode;
    }
  }

  private hugepages(domain: XmlElement, cells: GuestCell[]): void {
    const backing = childElement(domain, 'memoryBacking');
    const hugepages = backing && childElement(backing, 'hugepages');
    if (!hugepages) return;
    let fallback: number | undefined;
    const claimed = new Set<number>();
    for (const page of childElements(hugepages, 'page')) {
      const size = attribute(page, 'size');
      if (!size) {
        this.error(page.start, 'hugepage size must be specified');
        continue;
      }
      const kib = scaledKiB(size.value, attribute(page, 'unit')?.value);
      if (kib.error || !kib.kib) {
        this.error(size.valueStart, kib.error ?? `Invalid hugepage size '${size.value}'`);
        continue;
      }
      const nodeset = attribute(page, 'nodeset');
      if (!nodeset) {
        if (fallback !== undefined) this.error(page.start, 'More than one default hugepage size specified');
        fallback = kib.kib;
        continue;
      }
      for (const id of this.list(nodeset) ?? []) {
        if (id >= cells.length) this.error(nodeset.valueStart, `hugepages: node ${id} not found`);
        else if (claimed.has(id)) this.error(nodeset.valueStart, `Unable to match hugepage size for node ${id}: more than one page size covers it`);
        else {
          claimed.add(id);
          cells[id].hugepageSizeKiB = kib.kib;
        }
      }
    }
    if (fallback !== undefined) for (const cell of cells) if (!claimed.has(cell.id)) cell.hugepageSizeKiB = fallback;
  }

  private cputune(domain: XmlElement, vcpus: number): { pins: VcpuPin[]; emulatorpin: number[]; iothreadpins: IothreadPin[] } {
    const el = childElement(domain, 'cputune');
    const pins: VcpuPin[] = [];
    const iothreadpins: IothreadPin[] = [];
    let emulatorpin: number[] = [];
    if (!el) return { pins, emulatorpin, iothreadpins };
    const pinned = new Set<number>();
    for (const p of childElements(el, 'vcpupin')) {
      const vcpu = this.uint(p, 'vcpu', "'vcpu' of <vcpupin>");
      const cpuset = attribute(p, 'cpuset');
      if (vcpu === undefined || !cpuset) {
        if (!attribute(p, 'vcpu') || !cpuset) this.error(p.start, "missing 'vcpu' or 'cpuset' in <vcpupin>");
        continue;
      }
      if (vcpu >= vcpus) {
        this.error(p.start, `vcpupin: vCPU ${vcpu} is out of range (the guest has ${vcpus})`);
        continue;
      }
      if (pinned.has(vcpu)) {
        this.error(p.start, `duplicate vcpupin for vCPU ${vcpu}`);
        continue;
      }
      const cpus = this.list(cpuset);
      if (!cpus) continue;
      if (cpus.length === 0) this.error(cpuset.valueStart, `Invalid value of 'cpuset': ${cpuset.value}`);
      pinned.add(vcpu);
      pins.push({ vcpu, cpus });
    }
    const emulator = childElements(el, 'emulatorpin');
    if (emulator.length > 1) this.error(emulator[1].start, 'only one emulatorpin is supported');
    const emulatorCpuset = emulator[0] && attribute(emulator[0], 'cpuset');
    if (emulator[0] && !emulatorCpuset) this.error(emulator[0].start, "missing 'cpuset' in <emulatorpin>");
    if (emulatorCpuset) emulatorpin = this.list(emulatorCpuset) ?? [];
    const iothreads = this.iothreadIds(domain);
    const pinnedIothreads = new Set<number>();
    for (const p of childElements(el, 'iothreadpin')) {
      const iothread = this.uint(p, 'iothread', "'iothread' of <iothreadpin>");
      const cpuset = attribute(p, 'cpuset');
      if (iothread === undefined || !cpuset) {
        if (!attribute(p, 'iothread') || !cpuset) this.error(p.start, "missing 'iothread' or 'cpuset' in <iothreadpin>");
        continue;
      }
      if (iothread === 0) {
        this.error(p.start, 'zero is an invalid iothread id value');
        continue;
      }
      if (pinnedIothreads.has(iothread)) {
        this.error(p.start, `duplicate iothreadpin for same iothread '${iothread}'`);
        continue;
      }
      if (!iothreads.has(iothread)) this.warning(p.start, `Cannot find 'iothread' : ${iothread}`);
      const cpus = this.list(cpuset);
      if (!cpus) continue;
      pinnedIothreads.add(iothread);
      iothreadpins.push({ iothread, cpus });
    }
    pins.sort((a, b) => a.vcpu - b.vcpu);
    iothreadpins.sort((a, b) => a.iothread - b.iothread);
    return { pins, emulatorpin, iothreadpins };
  }

  /** The iothread ids a domain has: <iothreadids> ids, filled up to the <iothreads> count. */
  private iothreadIds(domain: XmlElement): Set<number> {
    const ids = new Set<number>();
    const ioids = childElement(domain, 'iothreadids');
    if (ioids) for (const t of childElements(ioids, 'iothread')) {
      const id = this.uint(t, 'id', "'id' of <iothread>");
      if (id !== undefined) ids.add(id);
    }
    const el = childElement(domain, 'iothreads');
    if (el) {
      const text = textContent(this.doc, el).trim();
      if (!/^\d+$/.test(text)) this.error(el.startTagEnd, `Invalid iothreads count '${text}'`);
      else for (let id = 1; ids.size < Number(text) && id <= 1 << 16; id++) ids.add(id);
    }
    return ids;
  }

  private memory(domain: XmlElement, cells: GuestCell[], devices: XmlElement | undefined): number {
    const value = (el: XmlElement | undefined): number | undefined => {
      if (!el) return undefined;
      const unit = attribute(el, 'unit');
      const kib = scaledKiB(textContent(this.doc, el), unit?.value);
      if (kib.error) this.error(kib.error.startsWith('unknown') && unit ? unit.valueStart : el.startTagEnd, kib.error);
      return kib.kib;
    };
    const memory = value(childElement(domain, 'memory'));
    const current = value(childElement(domain, 'currentMemory'));
    const max = value(childElement(domain, 'maxMemory'));
    const cellTotal = cells.reduce((s, c) => s + c.memoryKiB, 0);
    const deviceTotal = devices ? memoryDeviceKiB(this.doc, devices, cells.length, (o, m) => this.error(o, m)) : 0;
    const total = memory ?? cellTotal + deviceTotal;
    if (total === 0) this.error(domain.start, 'Memory size must be specified via <memory> or in the <numa> configuration');
    if (memory !== undefined && deviceTotal > memory) this.error(childElement(domain, 'memory')!.start, 'Total size of memory devices exceeds the total memory size');
    if (current !== undefined && current > total) this.warning(childElement(domain, 'currentMemory')!.start, 'currentMemory is larger than memory; libvirt lowers it to memory');
    if (max !== undefined && max < total) this.error(childElement(domain, 'maxMemory')!.start, 'maximum memory size must be equal or greater than the actual memory size');
    return total;
  }

  private devices(devices: XmlElement, cellCount: number): GuestDevice[] {
    for (const bus of expanderBuses(devices)) {
      if (!bus.node) continue;
      const node = expanderNode(this.doc, bus);
      if (node === undefined) this.error(bus.node.startTagEnd, `Invalid NUMA node '${textContent(this.doc, bus.node).trim()}' of PCI expander bus`);
      else if (node >= cellCount) this.error(bus.node.start, `pci-expander-bus with index ${bus.index} is configured for a NUMA node (${node}) not present in the domain's <cpu><numa> array (${cellCount})`);
    }
    return placedHostdevs(devices).map((h) => {
      const node = h.expander ? expanderNode(this.doc, h.expander) : undefined;
      return { bdf: h.bdf, cell: node !== undefined && node < cellCount ? node : null, policy: 'required' };
    });
  }
}

/** Σ `<devices><memory><target><size>` in KiB, checking each target node against the cells. */
export function memoryDeviceKiB(doc: DomainDocument, devices: XmlElement, cellCount: number, error: (offset: number, message: string) => void = () => {}): number {
  let total = 0;
  for (const m of childElements(devices, 'memory')) {
    const target = childElement(m, 'target');
    const size = target && childElement(target, 'size');
    if (size) {
      const kib = scaledKiB(textContent(doc, size), attribute(size, 'unit')?.value);
      if (kib.error) error(size.startTagEnd, kib.error);
      else total += kib.kib!;
    }
    const node = target && childElement(target, 'node');
    if (node) {
      const text = textContent(doc, node).trim();
      if (!/^\d+$/.test(text)) error(node.startTagEnd, `Invalid value '${text}' for memory device target node`);
      else if (Number(text) >= cellCount && cellCount > 0) error(node.start, `can't add memory backend for guest node '${text}' as the guest has only '${cellCount}' NUMA nodes configured`);
    }
  }
  return total;
}
