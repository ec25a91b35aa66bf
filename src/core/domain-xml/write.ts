/**
 * write(): GuestLayout → the smallest edit of a domain document's text. Each owned part (memory,
 * vCPUs, cputune pins, numatune, hugepages, topology, cells, expander-bus nodes) is compared
 * with what the document says now (read()) and touched only when it differs; inside a part,
 * only differing values change. Everything else keeps its bytes. With no document, a minimal
 * q35 / host-passthrough domain is written and the layout applied to it the same way. Nothing is
 * written into a document that reads with errors (what the reader skipped would be lost) nor
 * from a layout past libvirt's and QEMU's limits (limits.ts): the text comes back unchanged,
 * with an error saying why.
 */
import { formatIdList, sameIds } from '../cpuset.ts';
import { diagnosticSink, hasErrors, type Diagnostic } from '../diagnostics.ts';
import type { GuestCell, GuestLayout, GuestTopology, MemoryMode } from '../guest/model.ts';
import { expanderBuses, expanderNode, placedHostdevs } from './devices.ts';
import { attribute, childElement, childElements, elementChildren, hasNonElementContent, parseDomainDocument, textContent, type DomainDocument, type XmlAttribute, type XmlElement } from './lossless-xml.ts';
import { applyEdits, normalizeEdits, type TextEdit } from './edits.ts';
import { parseBitmap } from './bitmap.ts';
import { layoutPastLimits } from './layout-limits.ts';
import { MAX_MEMORY_KIB } from '../guest/limits.ts';
import { inUnit, isMemoryKiB } from './scaled.ts';
import { orderKey, Patch, type ChildKey, type NewElement } from './patch.ts';
import { defaultDistance, memoryDeviceKiB, readLayout, scaledKiB } from './read.ts';

export interface WriteResult {
  /** The document after the edits. */
  text: string;
  /** Sorted, non-overlapping edits of the original text (one insertion of everything when there was none). */
  edits: TextEdit[];
  diagnostics: Diagnostic[];
}

export interface WriteOptions {
  /** Domain name when writing a new domain from nothing. */
  name?: string;
}

/** libvirt's order of the children of <domain> (virDomainDefFormatInternal). */
const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory', 'blkiotune', 'memtune',
  'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread', 'cputune', 'numatune', 'resource', 'sysinfo',
  'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure',
  'pm', 'perf', 'devices', 'seclabel', 'keywrap', 'launchSecurity',
];
const CPUTUNE_ORDER = [
  'shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period', 'iothread_quota',
  'vcpupin', 'emulatorpin', 'iothreadpin', 'vcpusched', 'iothreadsched', 'emulatorsched', 'cachetune', 'memorytune',
];
const CPU_ORDER = ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'];
const MEMORY_BACKING_ORDER = ['hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'];

export function writeLayout(doc: DomainDocument | null, layout: GuestLayout, options: WriteOptions = {}): WriteResult {
  const past = layoutPastLimits(layout);
  if (past.length > 0) {
    const sink = diagnosticSink(doc?.source ?? 'new domain');
    for (const message of past) sink.error(undefined, `not written: ${message}`);
    return { text: doc?.text ?? '', edits: [], diagnostics: sink.list };
  }
  if (doc) return writeInto(doc, layout);
  const skeleton = parseDomainDocument(minimalDomain(layout, options.name ?? 'numascope-guest'), 'new domain');
  const result = writeInto(skeleton, layout);
  return { text: result.text, edits: [{ from: 0, to: 0, text: result.text }], diagnostics: result.diagnostics };
}

/** A domain libvirt accepts as it is; writeInto then adds the layout's parts. */
function minimalDomain(layout: GuestLayout, name: string): string {
  const memory = layout.cells.length > 0 ? layout.cells.reduce((s, c) => s + c.memoryKiB, 0) : layout.memoryKiB;
  return `<domain type='kvm'>
  <name>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</name>
  <memory unit='KiB'>${memory}</memory>
  <currentMemory unit='KiB'>${memory}</currentMemory>
  <vcpu placement='static'>${layout.vcpus}</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='host-passthrough' check='none' migratable='on'/>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

function writeInto(doc: DomainDocument, layout: GuestLayout): WriteResult {
  const sink = diagnosticSink(doc.source);
  const read = readLayout(doc);
  const before = read.layout;
  const root = doc.root;
  const unchanged = (): WriteResult => ({ text: doc.text, edits: [], diagnostics: sink.list });
  if (!doc.wellFormed || !before || !root) {
    sink.error(undefined, 'the domain XML is not well-formed; fix it before numascope can change it');
    return unchanged();
  }
  // What the reader skipped (a duplicate cell, a pin it could not parse) is not in `before`:
  // the minimal edit from `before` to `layout` would silently drop it.
  if (hasErrors(read.diagnostics)) {
    sink.error(undefined, 'the domain XML reads with errors, and writing a layout into it would lose what the reader skipped; fix them in the editor first');
    return unchanged();
  }
  const w = new Writer(doc, root, before, layout, new Patch(doc));
  w.memory();
  w.memoryBacking();
  w.vcpu();
  w.vcpus();
  w.iothreads();
  w.cputune();
  w.numatune();
  w.cpu();
  w.devices();
  for (const message of w.errors) sink.error(undefined, message);
  if (w.errors.length > 0) return unchanged();
  for (const message of w.warnings) sink.warning(undefined, message);
  const edits = normalizeEdits(w.patch.edits);
  return { text: applyEdits(doc.text, edits), edits, diagnostics: sink.list };
}

class Writer {
  readonly warnings: string[] = [];
  /** Reasons the layout cannot be written at all; any one leaves the document unchanged. */
  readonly errors: string[] = [];
  /** New top-level elements, inserted together so that their order among themselves holds. */
  private readonly domainInserts: NewElement[] = [];

  constructor(
    private readonly doc: DomainDocument,
    private readonly root: XmlElement,
    private readonly before: GuestLayout,
    private readonly after: GuestLayout,
    readonly patch: Patch,
  ) {}

  private child(name: string): XmlElement | undefined {
    return childElement(this.root, name);
  }

  private insertTop(item: NewElement): void {
    this.domainInserts.push(item);
  }

  /** Flushes top-level insertions; called last by devices(). */
  private flushTop(): void {
    this.patch.insert(this.root, this.domainInserts, orderKey(DOMAIN_ORDER));
  }

  memory(): void {
    const cellsBefore = sum(this.before.cells);
    const cellsAfter = sum(this.after.cells);
    let target = this.after.memoryKiB;
    if (this.after.cells.length > 0 && (cellsAfter !== cellsBefore || this.after.cells.length !== this.before.cells.length)) {
      const devices = this.child('devices');
      target = cellsAfter + (devices ? memoryDeviceKiB(this.doc, devices, this.after.cells.length) : 0);
    }
    if (target === this.before.memoryKiB) return;
    if (!isMemoryKiB(target)) {
      this.errors.push(`not written: the guest's memory with its memory devices, ${target} KiB, is past libvirt's limit of ${MAX_MEMORY_KIB} KiB`);
      return;
    }
    const memory = this.child('memory');
    if (memory) this.patch.setScaled(memory, target);
    else this.insertTop({ name: 'memory', attrs: [['unit', 'KiB']], text: target });
    const current = this.child('currentMemory');
    if (current) {
      // it reads (the document read without errors)
      const kib = scaledKiB(textContent(this.doc, current), attribute(current, 'unit')?.value).kib!;
      if (kib === this.before.memoryKiB || kib > target) this.patch.setScaled(current, target);
    }
  }

  /**
   * Removes a container's stale children and inserts the new ones in schema order. <cputune> and
   * <numatune> go when the removals leave nothing in them (no other element, comment or text); an
   * empty one the user wrote stays; <cpu> and <numa> carry more than numascope writes, so they stay.
   */
  private settleChildren(el: XmlElement, removed: ReadonlySet<XmlElement>, added: NewElement[], key: ChildKey, dropWhenEmpty = false): void {
    if (dropWhenEmpty && removed.size > 0 && added.length === 0 && !hasNonElementContent(this.doc, el) && elementChildren(el).every((c) => removed.has(c))) {
      this.patch.remove(el);
      return;
    }
    for (const r of removed) this.patch.remove(r);
    this.patch.insert(el, added, key, removed);
  }

  memoryBacking(): void {
    const sizes = (cells: GuestCell[]) => cells.map((c) => c.hugepageSizeKiB ?? 0);
    const b = sizes(this.before.cells);
    const a = sizes(this.after.cells);
    if (this.after.cells.length === 0) {
      this.dropCellPages();
      return;
    }
    if (sameIds(a, b)) return;
    const bySize = new Map<number, number[]>();
    for (const c of this.after.cells) if (c.hugepageSizeKiB) bySize.set(c.hugepageSizeKiB, [...(bySize.get(c.hugepageSizeKiB) ?? []), c.id]);
    const pages: NewElement[] = [...bySize].map(([size, ids]) => ({ name: 'page', attrs: [['size', size], ['unit', 'KiB'], ['nodeset', formatIdList(ids)]] }));
    const hugepages: NewElement = { name: 'hugepages', children: pages };
    const backing = this.child('memoryBacking');
    const existing = backing && childElement(backing, 'hugepages');
    if (pages.length === 0) {
      if (!existing || !backing) return;
      if (elementChildren(backing).length === 1 && !hasNonElementContent(this.doc, backing)) this.patch.remove(backing);
      else this.patch.remove(existing);
    } else if (existing) {
      this.patch.replace(existing, hugepages);
    } else if (backing) {
      this.patch.insert(backing, [hugepages], orderKey(MEMORY_BACKING_ORDER));
    } else {
      this.insertTop({ name: 'memoryBacking', children: [hugepages] });
    }
  }

  /**
   * With no cells left, a <page nodeset> names cells that are gone (libvirt: "hugepages: node 1
   * not found"). Those pages go; when they were all there was, the guest stays backed by the
   * page size that backed most of its memory, now for the whole guest.
   */
  private dropCellPages(): void {
    const backing = this.child('memoryBacking');
    const hugepages = backing && childElement(backing, 'hugepages');
    if (!hugepages) return;
    const pages = childElements(hugepages, 'page');
    const perCell = pages.filter((p) => attribute(p, 'nodeset'));
    if (perCell.length === 0) return;
    if (perCell.length < pages.length) {
      for (const p of perCell) this.patch.remove(p);
      return;
    }
    const size = mainPageSize(this.before.cells);
    this.patch.replace(hugepages, { name: 'hugepages', children: size ? [{ name: 'page', attrs: [['size', size], ['unit', 'KiB']] }] : [] });
  }

  vcpu(): void {
    const { vcpus, currentVcpus } = this.after;
    const current = (currentVcpus ?? vcpus) < vcpus ? currentVcpus : undefined;
    if (vcpus === this.before.vcpus && current === this.before.currentVcpus) return;
    const el = this.child('vcpu');
    if (!el) {
      const attrs: [string, string | number][] = [['placement', 'static']];
      if (current !== undefined) attrs.push(['current', current]);
      this.insertTop({ name: 'vcpu', attrs, text: vcpus });
      return;
    }
    if (vcpus !== this.before.vcpus) this.patch.setText(el, vcpus);
    if (current !== undefined) this.patch.setAttr(el, 'current', current);
    else this.patch.removeAttr(el, 'current');
  }

  /** A <vcpus> list no longer matching the counts is rewritten: the first `current` enabled. */
  vcpus(): void {
    const el = this.child('vcpus');
    const current = this.after.currentVcpus ?? this.after.vcpus;
    if (!el || (this.after.vcpus === this.before.vcpus && current === (this.before.currentVcpus ?? this.before.vcpus))) return;
    const children: NewElement[] = [];
    for (let id = 0; id < this.after.vcpus; id++) {
      const enabled = id < current;
      children.push({ name: 'vcpu', attrs: [['id', id], ['enabled', enabled ? 'yes' : 'no'], ['hotpluggable', enabled ? 'no' : 'yes']] });
    }
    this.patch.replace(el, { name: 'vcpus', children });
  }

  /** Enough iothreads for every pinned iothread; never fewer than the document has. */
  iothreads(): void {
    const needed = this.after.iothreadpins.reduce((m, p) => Math.max(m, p.iothread), 0);
    if (needed === 0) return;
    const el = this.child('iothreads');
    const ids = this.child('iothreadids');
    if (ids && childElements(ids, 'iothread').some((t) => attribute(t, 'id')?.value === String(needed))) return;
    if (!el) {
      this.insertTop({ name: 'iothreads', text: needed });
      return;
    }
    const count = Number(textContent(this.doc, el));
    if (!(count >= needed)) this.patch.setText(el, needed);
  }

  cputune(): void {
    const a = this.after;
    const key: ChildKey = (name, el) => {
      const i = CPUTUNE_ORDER.indexOf(name);
      if (i < 0) return undefined;
      const id = name === 'vcpupin' ? idOf(el, 'vcpu') : name === 'iothreadpin' ? idOf(el, 'iothread') : 0;
      return [i, id];
    };
    // Every pin wanted, in libvirt's order, by `<element>:<vCPU or iothread>` (the emulator's is 0).
    const wanted = new Map<string, { cpus: number[]; element: NewElement }>();
    const want = (name: string, id: number, cpus: number[], attrs: [string, number][]) => wanted.set(`${name}:${id}`, { cpus, element: { name, attrs: [...attrs, ['cpuset', formatIdList(cpus)]] } });
    for (const p of [...a.pins].sort((x, y) => x.vcpu - y.vcpu)) want('vcpupin', p.vcpu, p.cpus, [['vcpu', p.vcpu]]);
    if (a.emulatorpin.length > 0) want('emulatorpin', 0, a.emulatorpin, []);
    for (const p of [...a.iothreadpins].sort((x, y) => x.iothread - y.iothread)) want('iothreadpin', p.iothread, p.cpus, [['iothread', p.iothread]]);
    const el = this.child('cputune');
    if (!el) {
      if (wanted.size > 0) this.insertTop({ name: 'cputune', children: [...wanted.values()].map((w) => w.element) });
      return;
    }
    const removed = new Set<XmlElement>();
    for (const c of elementChildren(el)) {
      if (c.name !== 'vcpupin' && c.name !== 'emulatorpin' && c.name !== 'iothreadpin') continue;
      // Read without errors, a pin names its vCPU or iothread, at most once: keyed by number as read.
      const id = c.name === 'emulatorpin' ? 0 : Number(attribute(c, c.name === 'vcpupin' ? 'vcpu' : 'iothread')!.value);
      const w = wanted.get(`${c.name}:${id}`);
      if (!w) {
        removed.add(c);
        continue;
      }
      wanted.delete(`${c.name}:${id}`);
      // A set written differently but equal ("1-2,5-7,^6") stays as the user wrote it.
      if (!sameIds(idsOf(attribute(c, 'cpuset')!), w.cpus)) this.patch.setAttr(c, 'cpuset', formatIdList(w.cpus));
    }
    this.settleChildren(el, removed, [...wanted.values()].map((w) => w.element), key, true);
  }

  /**
   * <memory> binds every cell that has no <memnode>, so it is written only when every cell is
   * bound (to the union of their nodes); a cell bound otherwise, or any cell when some are
   * unbound, gets its own <memnode>. Without cells there is nothing for memnodes to name, so
   * they go (libvirt refuses them), while <memory> still binds the whole guest and stays.
   */
  numatune(): void {
    const a = this.after.cells;
    const b = this.before.cells;
    const el = this.child('numatune');
    const key: ChildKey = (name, x) => (name === 'memory' ? [0, 0] : name === 'memnode' ? [1, idOf(x, 'cellid')] : undefined);
    if (a.length === 0) {
      if (el) this.settleChildren(el, new Set(childElements(el, 'memnode')), [], key, true);
      return;
    }
    const effective = (c: GuestCell) => `${c.memoryMode}:${formatIdList(c.hostNodes)}`;
    if (a.length === b.length && a.every((c, i) => effective(c) === effective(b[i]))) return;
    const allBound = a.every((c) => c.hostNodes.length > 0);
    const union = allBound ? [...new Set(a.flatMap((c) => c.hostNodes))].sort((x, y) => x - y) : [];
    const memoryMode: MemoryMode = a.every((c) => c.memoryMode === 'restrictive') ? 'restrictive' : 'strict';
    // Read without errors, every memnode names a cell of its own.
    const existing = new Map(el ? childElements(el, 'memnode').map((m) => [Number(attribute(m, 'cellid')!.value), m]) : []);
    // A cell needs its own memnode when <memory> alone would bind it differently, or it has one.
    const memnodes: NewElement[] = a
      .filter((c) => c.hostNodes.length > 0 && (existing.has(c.id) || !allBound || c.memoryMode !== memoryMode || !sameIds(c.hostNodes, union)))
      .map((c) => ({ name: 'memnode', attrs: [['cellid', c.id], ['mode', c.memoryMode], ['nodeset', formatIdList(c.hostNodes)]] }));
    const memory: NewElement | undefined = union.length > 0 ? { name: 'memory', attrs: [['mode', memoryMode], ['nodeset', formatIdList(union)]] } : undefined;
    if (!el) {
      if (memory || memnodes.length > 0) this.insertTop({ name: 'numatune', children: memory ? [memory, ...memnodes] : memnodes });
      return;
    }
    const removed = new Set<XmlElement>();
    const wanted = new Map(memnodes.map((m) => [Number(m.attrs![0][1]), m]));
    for (const [id, m] of existing) {
      const want = wanted.get(id);
      if (!want) {
        removed.add(m);
        continue;
      }
      const cell = a[id];
      if ((attribute(m, 'mode')?.value ?? 'strict') !== cell.memoryMode) this.patch.setAttr(m, 'mode', cell.memoryMode, ['cellid']);
      if (!sameIds(idsOf(attribute(m, 'nodeset')!), cell.hostNodes)) this.patch.setAttr(m, 'nodeset', formatIdList(cell.hostNodes));
    }
    const added = memnodes.filter((m) => !existing.has(Number(m.attrs![0][1])));
    const memoryElements = childElements(el, 'memory');
    const current = memoryElements[0];
    for (const extra of memoryElements.slice(1)) removed.add(extra);
    if (current && !memory) removed.add(current);
    if (current && memory) {
      if (attribute(current, 'placement')) this.patch.replace(current, memory);
      else {
        if ((attribute(current, 'mode')?.value ?? 'strict') !== memoryMode) this.patch.setAttr(current, 'mode', memoryMode, []);
        const nodeset = attribute(current, 'nodeset');
        if (!nodeset || !sameIds(idsOf(nodeset), union)) this.patch.setAttr(current, 'nodeset', formatIdList(union), ['mode']);
      }
    } else if (memory) added.unshift(memory);
    this.settleChildren(el, removed, added, key, true);
  }

  cpu(): void {
    const topologyChanged = !sameTopology(this.after.topology, this.before.topology);
    const cellsChanged = !sameCells(this.after.cells, this.before.cells);
    if (!topologyChanged && !cellsChanged) return;
    const cpu = this.child('cpu');
    const inserts: NewElement[] = [];
    const removed = new Set<XmlElement>();
    const topology = cpu && childElement(cpu, 'topology');
    if (topologyChanged) {
      if (topology) this.setTopology(topology);
      else inserts.push(newTopology(this.after.topology));
    }
    const numa = cpu && childElement(cpu, 'numa');
    if (cellsChanged) {
      // No <numa> means there were no cells, so now there are.
      if (!numa) inserts.push({ name: 'numa', children: this.after.cells.map((c) => this.newCell(c)) });
      else if (this.after.cells.length === 0) removed.add(numa);
      else this.patchCells(numa);
    }
    // A topology or a <numa> to insert, as something changed.
    if (!cpu) this.insertTop({ name: 'cpu', children: inserts });
    else this.settleChildren(cpu, removed, inserts, orderKey(CPU_ORDER));
  }

  private setTopology(el: XmlElement): void {
    const t = this.after.topology;
    // sockets, cores and threads are there (the reader refuses a topology without); dies and clusters may not be.
    this.patch.setAttr(el, 'sockets', t.sockets);
    if (attribute(el, 'dies') || t.dies !== 1) this.patch.setAttr(el, 'dies', t.dies, ['sockets']);
    if (attribute(el, 'clusters') || t.clusters !== 1) this.patch.setAttr(el, 'clusters', t.clusters, ['sockets', 'dies']);
    this.patch.setAttr(el, 'cores', t.cores);
    this.patch.setAttr(el, 'threads', t.threads);
  }

  /** Whether new cells carry <distances>: only when some differ from libvirt's 10/20 default. */
  private distancesWritten(): boolean {
    const n = this.after.cells.length;
    return this.after.cells.every((c) => c.distances.length === n) && this.after.cells.some((c) => c.distances.some((v, j) => v !== defaultDistance(c.id, j)));
  }

  private newDistances(cell: GuestCell): NewElement {
    return { name: 'distances', children: cell.distances.map((value, id) => ({ name: 'sibling', attrs: [['id', id], ['value', value]] })) };
  }

  private newCell(cell: GuestCell): NewElement {
    const attrs: [string, string | number][] = [['id', cell.id]];
    if (cell.vcpus.length > 0) attrs.push(['cpus', formatIdList(cell.vcpus)]);
    attrs.push(['memory', cell.memoryKiB], ['unit', 'KiB']);
    const el: NewElement = { name: 'cell', attrs };
    if (this.distancesWritten()) el.children = [this.newDistances(cell)];
    return el;
  }

  private patchCells(numa: XmlElement): void {
    const cells = this.after.cells;
    const elements = childElements(numa, 'cell');
    // Read without errors, every cell has an id of its own (by position when it names none).
    const byId = new Map(elements.map((el, i) => [attribute(el, 'id') ? Number(attribute(el, 'id')!.value) : i, el]));
    const removed = new Set<XmlElement>();
    for (const [id, el] of byId) if (id >= cells.length) removed.add(el);
    const added: NewElement[] = [];
    for (const cell of cells) {
      const el = byId.get(cell.id);
      if (!el) {
        added.push(this.newCell(cell));
        continue;
      }
      // The cell in the document is the one read, at its id.
      const old = this.before.cells[cell.id];
      if (cell.vcpus.length === 0) this.patch.removeAttr(el, 'cpus');
      else if (!sameIds(old.vcpus, cell.vcpus)) this.patch.setAttr(el, 'cpus', formatIdList(cell.vcpus), ['id']);
      if (old.memoryKiB !== cell.memoryKiB) {
        // In the cell's own unit when the amount is whole in it, else in KiB, saying so.
        const unit = attribute(el, 'unit');
        const whole = unit && inUnit(cell.memoryKiB, unit.value);
        this.patch.setAttr(el, 'memory', String(whole ?? cell.memoryKiB));
        if (unit && whole === undefined) this.patch.setValue(unit, 'KiB');
      }
      // A row that is not whole (a layout that does not know the distances) leaves the document's.
      const wantRow = cell.distances.length === cells.length ? cell.distances : undefined;
      if (wantRow && !sameIds(old.distances, wantRow)) {
        const distances = childElement(el, 'distances');
        if (distances) this.patch.replace(distances, this.newDistances(cell));
        else if (wantRow.some((v, j) => v !== defaultDistance(cell.id, j))) this.patch.insert(el, [this.newDistances(cell)], orderKey(['distances', 'cache']));
      }
    }
    const interconnects = childElement(numa, 'interconnects');
    const dangling = interconnects && elementChildren(interconnects).some((l) => ['initiator', 'target'].some((k) => Number(attribute(l, k)?.value) >= cells.length));
    if (dangling) this.warnings.push(`<interconnects> names a guest cell that no longer exists (the guest has ${cells.length}); fix or remove those entries`);
    // New cells number past every cell in the document, and cell 0 stays: they go after the last
    // cell, so before <interconnects>.
    this.settleChildren(numa, removed, added, orderKey(['cell']));
  }

  devices(): void {
    const devices = this.child('devices');
    const cellCount = this.after.cells.length;
    const placed = devices ? new Map(placedHostdevs(devices).map((h) => [h.bdf, h])) : new Map();
    const written = new Set<XmlElement>();
    for (const d of this.after.devices) {
      if (d.cell === null || d.cell >= cellCount) continue;
      const h = placed.get(d.bdf);
      if (!h || !h.expander) {
        this.warnings.push(`host device ${d.bdf} has no PCI expander bus in the domain XML, so its guest cell ${d.cell} is not written`);
        continue;
      }
      if (h.expander.node) {
        written.add(h.expander.node);
        if (expanderNode(this.doc, h.expander) !== d.cell) this.patch.setText(h.expander.node, d.cell);
      } else {
        const target = childElement(h.expander.controller, 'target');
        if (target) this.patch.insert(target, [{ name: 'node', text: d.cell }], orderKey(['node']));
        else this.patch.insert(h.expander.controller, [{ name: 'target', children: [{ name: 'node', text: d.cell }] }], orderKey(['model', 'target', 'alias', 'address']));
      }
    }
    // The document read without errors, so its buses and memory devices name cells it has:
    // those named below are on cells that go.
    if (devices) {
      // A bus left on a cell that is gone makes libvirt refuse the domain: it floats instead.
      for (const bus of expanderBuses(devices)) {
        // Read without errors, a bus that has a <node> names a cell by number.
        const node = expanderNode(this.doc, bus);
        if (node !== undefined && node >= cellCount && !written.has(bus.node!)) this.patch.remove(bus.node!);
      }
      // Memory devices are the guest's own to place: say which now name a cell that is gone
      // (memoryDeviceKiB names none when no cell is left).
      memoryDeviceKiB(this.doc, devices, cellCount, (_, message) => this.warnings.push(`${message}: move that memory device to a remaining cell`));
    }
    this.flushTop();
  }
}

function newTopology(t: GuestTopology): NewElement {
  // libvirt before 10.1 does not know clusters: name them only when they are not 1.
  const attrs: [string, number][] = [['sockets', t.sockets], ['dies', t.dies]];
  if (t.clusters !== 1) attrs.push(['clusters', t.clusters]);
  attrs.push(['cores', t.cores], ['threads', t.threads]);
  return { name: 'topology', attrs };
}

/** The hugepage size backing most of the cells' memory (the larger on a tie). */
function mainPageSize(cells: readonly GuestCell[]): number | undefined {
  const bySize = new Map<number, number>();
  for (const c of cells) if (c.hugepageSizeKiB) bySize.set(c.hugepageSizeKiB, (bySize.get(c.hugepageSizeKiB) ?? 0) + c.memoryKiB);
  return [...bySize].sort((x, y) => y[1] - x[1] || y[0] - x[0])[0]?.[0];
}

function sum(cells: readonly GuestCell[]): number {
  return cells.reduce((s, c) => s + c.memoryKiB, 0);
}

function sameTopology(a: GuestTopology, b: GuestTopology): boolean {
  return a.sockets === b.sockets && a.dies === b.dies && a.clusters === b.clusters && a.cores === b.cores && a.threads === b.threads;
}

function sameCells(a: readonly GuestCell[], b: readonly GuestCell[]): boolean {
  return a.length === b.length && a.every((c, i) => sameIds(c.vcpus, b[i].vcpus) && c.memoryKiB === b[i].memoryKiB && sameIds(c.distances, b[i].distances));
}

/** The ids of a list in the document; it read without errors, so the list parses. */
function idsOf(a: XmlAttribute): number[] {
  const parsed = parseBitmap(a.value);
  return parsed.ok ? parsed.ids : [];
}

/**
 * The id an element keyed by it carries: a pin's vCPU or iothread, a memnode's cell. One in the
 * document has it (it read without errors); a new one carries it as its first attribute.
 */
function idOf(el: XmlElement | NewElement, name: string): number {
  return Number('kind' in el ? attribute(el, name)!.value : el.attrs![0][1]);
}
