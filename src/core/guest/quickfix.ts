/**
 * Quick fixes for domain XML problems whose repair is unambiguous: a diagnostic (from
 * readLayout or validate) plus the document it was found in → text edits that repair it. Each
 * fix re-reads the document it is given, so a diagnostic that is stale (the text changed since)
 * yields no fix or a fix for the text as it is now, never an edit computed on older text.
 *
 * Where the document leaves a choice (which topology field to change, which of two cells keeps
 * a vCPU when that would empty one, what a reference to a duplicated cell id meant) no fix is
 * offered: the person decides. The editor locates diagnostics with the same resolver
 * (diagnosticSpan), so a marker and its fix always point at the same element.
 */
import { difference, formatIdList, sortIds, union } from '../cpuset.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { attribute, childElement, childElements, textContent, type DomainDocument, type XmlAttribute, type XmlElement } from '../domain-xml/lossless-xml.ts';
import { normalizeEdits } from '../domain-xml/edits.ts';
import { expanderBuses } from '../domain-xml/devices.ts';
import { Patch } from '../domain-xml/patch.ts';
import { parseBitmap } from '../domain-xml/bitmap.ts';
import { MAX_VCPUS } from './limits.ts';
import { scaledKiB } from '../domain-xml/read.ts';
import type { Host } from '../host/model.ts';
import type { QuickFix } from './fix.ts';
import type { GuestLayout } from './model.ts';
import { pinNearMemory, pinToOnlineCpu } from './quickfix-pins.ts';

export type { QuickFix };

/** A fixer gets the diagnostic's text (some name the vCPU or cell) and the host it was found on. */
type Fixer = (doc: DomainDocument, domain: XmlElement, layout: GuestLayout, message: string, host: Host | undefined) => QuickFix | QuickFix[] | undefined;

/** Message → fixer; the messages are readLayout's and validate's own texts. */
const FIXERS: readonly { match: RegExp; fix: Fixer }[] = [
  { match: /^CPU topology doesn't match maximum vcpu count$/, fix: topologySockets },
  { match: /^Exactly one 'cell' element per guest NUMA cell allowed/, fix: renumberCells },
  { match: /^Duplicate NUMA cell info for cell id /, fix: renumberCells },
  { match: /^Invalid value for 'id' attribute in NUMA cell/, fix: renumberCells },
  { match: /^NUMA cells \d+ and \d+ have overlapping vCPU ids$/, fix: removeOverlaps },
  { match: /are in no NUMA cell; libvirt's QEMU driver adds them to cell 0$/, fix: missingVcpusToCell0 },
  { match: /^<numa> cells list \d+ of \d+ vCPUs; libvirt puts the rest in cell 0$/, fix: missingVcpusToCell0 },
  { match: /^<memory> is \d+ KiB but the NUMA cells hold \d+ KiB/, fix: memoryToCellSum },
  { match: /^Invalid 'cellid' attribute in memnode element: \d+\. Max cellid is /, fix: removeMemnodeOfMissingCell },
  { match: /^vCPU \d+ is pinned to host CPUs .*, which are not online CPUs of this host$/, fix: pinToOnlineCpu },
  { match: /^vCPU \d+ runs on host node .* but cell \d+'s memory is on node /, fix: pinNearMemory },
];

/**
 * Fixes for one diagnostic. `layout` must be what readLayout read from `doc` (it supplies the
 * cells' memory in KiB); positions always come from `doc`. `host` is the one the diagnostic was
 * found against: the pin fixes choose CPUs on it, and offer nothing without it.
 */
export function quickFixes(doc: DomainDocument, layout: GuestLayout | null, diagnostic: Diagnostic, host?: Host): QuickFix[] {
  const domain = doc.root;
  if (!doc.wellFormed || !domain || domain.name !== 'domain' || !layout) return [];
  const out: QuickFix[] = [];
  for (const { match, fix } of FIXERS) {
    if (!match.test(diagnostic.message)) continue;
    const found = fix(doc, domain, layout, diagnostic.message, host);
    for (const f of Array.isArray(found) ? found : found ? [found] : []) if (f.edits.length > 0) out.push(f);
  }
  return out;
}

// ---- the fixes --------------------------------------------------------------------------

/** sockets = vcpus / (dies·clusters·cores·threads), when that divides: the other fields describe one socket. */
function topologySockets(doc: DomainDocument, domain: XmlElement): QuickFix | undefined {
  const vcpus = vcpuCount(doc, domain);
  const cpu = childElement(domain, 'cpu');
  const topology = cpu && childElement(cpu, 'topology');
  const sockets = topology && attribute(topology, 'sockets');
  if (vcpus === undefined || !topology || !sockets) return undefined;
  let perSocket = 1;
  for (const key of ['dies', 'clusters', 'cores', 'threads'] as const) {
    const a = attribute(topology, key);
    // cores and threads have no default in libvirt; dies and clusters default to 1.
    if (!a && (key === 'cores' || key === 'threads')) return undefined;
    const v = a ? count(a.value) : 1;
    if (v === undefined) return undefined;
    perSocket *= v;
  }
  if (vcpus % perSocket !== 0) return undefined;
  const want = vcpus / perSocket;
  if (count(sockets.value) === want) return undefined;
  const patch = new Patch(doc);
  patch.setValue(sockets, want);
  return { title: `Set sockets to ${want} (${want}×${perSocket} = ${vcpus} vCPUs)`, edits: normalizeEdits(patch.edits) };
}

/** Cells numbered 0..n-1 in document order; memnode and distance references follow their cell. */
function renumberCells(doc: DomainDocument, domain: XmlElement): QuickFix | undefined {
  const cells = numaCells(domain);
  if (cells.length === 0) return undefined;
  const oldIds = cells.map((c) => {
    const a = attribute(c, 'id');
    return a ? count(a.value, 0) : undefined;
  });
  const mapping = new Map<number, number>();
  const duplicated = new Set<number>();
  oldIds.forEach((id, i) => {
    if (id === undefined) return;
    if (mapping.has(id)) duplicated.add(id);
    else mapping.set(id, i);
  });
  const references = cellReferences(domain, cells);
  if (references === undefined) return undefined;
  const patch = new Patch(doc);
  cells.forEach((cell, i) => {
    const a = attribute(cell, 'id');
    if (a) patch.setValue(a, i);
  });
  for (const ref of references) {
    const id = count(ref.value, 0);
    const to = id === undefined || duplicated.has(id) ? undefined : mapping.get(id);
    // A reference to a cell id that is not there, or that two cells share, has no one meaning.
    if (to === undefined) return undefined;
    if (to !== id) patch.setValue(ref, to);
  }
  return { title: `Renumber the NUMA cells 0–${cells.length - 1} in document order`, edits: normalizeEdits(patch.edits) };
}

/** A vCPU listed by several cells stays in the first (libvirt reports the later one). */
function removeOverlaps(doc: DomainDocument, domain: XmlElement): QuickFix | undefined {
  const cells = numaCells(domain);
  const lists = cells.map(cellCpus);
  if (lists.some((l) => l === undefined)) return undefined;
  const patch = new Patch(doc);
  let claimed: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const { attr, ids } = lists[i]!;
    const kept = difference(ids, claimed);
    if (kept.length !== ids.length) {
      // Emptying a cell would turn it into a memory-only cell: that is a decision, not a fix.
      if (kept.length === 0 || !attr) return undefined;
      patch.setValue(attr, formatIdList(kept));
    }
    claimed = union(claimed, ids);
  }
  return { title: 'Remove the shared vCPUs from the later cells', edits: normalizeEdits(patch.edits) };
}

/** What libvirt's QEMU driver does anyway, written down: the unlisted vCPUs join cell 0. */
function missingVcpusToCell0(doc: DomainDocument, domain: XmlElement): QuickFix | undefined {
  const vcpus = vcpuCount(doc, domain);
  const cells = numaCells(domain);
  const lists = cells.map(cellCpus);
  if (vcpus === undefined || lists.some((l) => l === undefined)) return undefined;
  const listed = sortIds(lists.flatMap((l) => l!.ids));
  const missing = difference(Array.from({ length: vcpus }, (_, v) => v), listed);
  const index = cells.findIndex((c, i) => (attribute(c, 'id') ? count(attribute(c, 'id')!.value, 0) : i) === 0);
  if (missing.length === 0 || index < 0) return undefined;
  const patch = new Patch(doc);
  // where libvirt writes it: right after the cell's id
  patch.setAttr(cells[index], 'cpus', formatIdList(union(lists[index]!.ids, missing)), ['id']);
  return { title: `Add vCPUs ${formatIdList(missing)} to cell 0`, edits: normalizeEdits(patch.edits) };
}

/**
 * <memory> (and a <currentMemory> that equalled it) := the cells' sum, in the element's own
 * unit when the sum is a whole number of it. Memory devices make the total a choice: no fix.
 */
function memoryToCellSum(doc: DomainDocument, domain: XmlElement, layout: GuestLayout): QuickFix | undefined {
  if (layout.cells.length === 0) return undefined;
  const devices = childElement(domain, 'devices');
  if (devices && childElements(devices, 'memory').length > 0) return undefined;
  const sum = layout.cells.reduce((s, c) => s + c.memoryKiB, 0);
  const memory = childElement(domain, 'memory');
  const old = memory && scaledAmount(doc, memory);
  if (!memory || old === undefined || old === sum || sum <= 0) return undefined;
  const patch = new Patch(doc);
  patch.setScaled(memory, sum);
  const current = childElement(domain, 'currentMemory');
  if (current && scaledAmount(doc, current) === old) patch.setScaled(current, sum);
  return { title: `Set <memory> to the cells' sum (${sum} KiB)`, edits: normalizeEdits(patch.edits) };
}

/** A <memnode> naming a cell the document does not have binds nothing: libvirt refuses it, removing it loses nothing. */
function removeMemnodeOfMissingCell(doc: DomainDocument, domain: XmlElement): QuickFix | undefined {
  const cells = numaCells(domain).length;
  const numatune = childElement(domain, 'numatune');
  const stray = numatune ? childElements(numatune, 'memnode').filter((m) => {
    const id = count(attribute(m, 'cellid')?.value ?? '', 0);
    return id !== undefined && id >= cells;
  }) : [];
  if (stray.length === 0) return undefined;
  const patch = new Patch(doc);
  for (const m of stray) patch.remove(m);
  const ids = stray.map((m) => attribute(m, 'cellid')!.value.trim());
  return { title: `Remove the <memnode> of cell${ids.length > 1 ? 's' : ''} ${ids.join(', ')}, which the guest does not have`, edits: normalizeEdits(patch.edits) };
}

// ---- locating a diagnostic ---------------------------------------------------------------

/**
 * The stretch of text a diagnostic is about: for a line/column, the start tag, attribute value
 * or content starting there (else the word there); for a path, the start tag of the element it
 * names (or of its nearest existing ancestor). Null when it names neither.
 */
export function diagnosticSpan(doc: DomainDocument, diagnostic: Diagnostic): { from: number; to: number } | null {
  if (diagnostic.line !== undefined) {
    const lineIndex = Math.min(Math.max(diagnostic.line, 1), doc.lineStarts.length) - 1;
    const lineStart = doc.lineStarts[lineIndex];
    const lineEnd = lineIndex + 1 < doc.lineStarts.length ? doc.lineStarts[lineIndex + 1] - 1 : doc.text.length;
    const offset = Math.min(lineStart + Math.max((diagnostic.column ?? 1) - 1, 0), lineEnd);
    return spanAt(doc, offset, lineEnd);
  }
  if (diagnostic.path !== undefined && doc.root) {
    const el = elementAtPath(doc.root, diagnostic.path);
    if (el) return { from: el.start, to: el.startTagEnd };
  }
  return null;
}

/**
 * The element an XPath-like location names (`/domain/cpu/numa/cell[@id='1']/distances`), or its
 * nearest ancestor that exists. `name[@attr='v']` matches the attribute; a cell without an id
 * attribute has its position as id, as libvirt reads it.
 */
export function elementAtPath(root: XmlElement, path: string): XmlElement | undefined {
  const steps = path.split('/').filter(Boolean);
  if (steps.length === 0 || stepName(steps[0]) !== root.name) return undefined;
  let el = root;
  for (const step of steps.slice(1)) {
    const m = /^([^[\]]+)(?:\[@([^=]+)='([^']*)'\])?$/.exec(step);
    if (!m) break;
    const [, name, attr, value] = m;
    const candidates = childElements(el, name);
    const next = attr === undefined
      ? candidates[0]
      : (candidates.find((c) => attribute(c, attr)?.value === value) ??
        (/^\d+$/.test(value) && candidates[Number(value)] && !attribute(candidates[Number(value)], attr) ? candidates[Number(value)] : undefined));
    if (!next) break;
    el = next;
  }
  return el;
}

function stepName(step: string): string {
  const i = step.indexOf('[');
  return i < 0 ? step : step.slice(0, i);
}

function spanAt(doc: DomainDocument, offset: number, lineEnd: number): { from: number; to: number } {
  const el = doc.root && deepestAt(doc.root, offset);
  if (el) {
    if (el.start === offset) return { from: el.start, to: el.startTagEnd };
    const a = el.attributes.find((x) => x.valueStart === offset || x.start === offset);
    if (a) return { from: a.start === offset ? a.start : a.valueStart, to: a.valueEnd + (a.start === offset ? 1 : 0) };
    if (el.startTagEnd === offset && el.contentEnd > offset) return { from: offset, to: el.contentEnd };
  }
  let to = offset;
  while (to < lineEnd && !/[\s<>"'=]/.test(doc.text[to])) to++;
  return { from: offset, to: Math.max(to, Math.min(offset + 1, doc.text.length)) };
}

function deepestAt(el: XmlElement, offset: number): XmlElement | undefined {
  if (offset < el.start || offset >= Math.max(el.end, el.startTagEnd)) return undefined;
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    const inner = deepestAt(c, offset);
    if (inner) return inner;
  }
  return el;
}

// ---- reading what the fixes need -----------------------------------------------------------

function count(text: string, min = 1): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) && Number(t) >= min ? Number(t) : undefined;
}

/** <vcpu> as readLayout takes it: a count past what QEMU runs is refused there, so no fix builds on it. */
function vcpuCount(doc: DomainDocument, domain: XmlElement): number | undefined {
  const el = childElement(domain, 'vcpu');
  const vcpus = el ? count(textContent(doc, el)) : undefined;
  return vcpus !== undefined && vcpus <= MAX_VCPUS ? vcpus : undefined;
}

function numaCells(domain: XmlElement): XmlElement[] {
  const cpu = childElement(domain, 'cpu');
  const numa = cpu && childElement(cpu, 'numa');
  return numa ? childElements(numa, 'cell') : [];
}

/** A cell's vCPUs, read as libvirt's bitmap (as readLayout does); undefined when that refuses the list (then nothing about it is certain). */
function cellCpus(cell: XmlElement): { attr: XmlAttribute | undefined; ids: number[] } | undefined {
  const attr = attribute(cell, 'cpus');
  if (!attr) return { attr, ids: [] };
  const parsed = parseBitmap(attr.value);
  return parsed.ok ? { attr, ids: parsed.ids } : undefined;
}

/**
 * Attributes that name a guest cell by id: memnode cellid and distance sibling id. Undefined
 * when the document names cells in places a renumbering cannot safely follow (per-node
 * hugepages, HMAT interconnects, expander buses, memory devices), so no fix is offered there.
 */
function cellReferences(domain: XmlElement, cells: XmlElement[]): XmlAttribute[] | undefined {
  const cpu = childElement(domain, 'cpu');
  const numa = cpu && childElement(cpu, 'numa');
  if (numa && childElement(numa, 'interconnects')) return undefined;
  const refs: XmlAttribute[] = [];
  const numatune = childElement(domain, 'numatune');
  if (numatune) for (const m of childElements(numatune, 'memnode')) {
    const a = attribute(m, 'cellid');
    if (a) refs.push(a);
  }
  for (const cell of cells) {
    const distances = childElement(cell, 'distances');
    if (distances) for (const s of childElements(distances, 'sibling')) {
      const a = attribute(s, 'id');
      if (a) refs.push(a);
    }
  }
  const backing = childElement(domain, 'memoryBacking');
  const hugepages = backing && childElement(backing, 'hugepages');
  if (hugepages && childElements(hugepages, 'page').some((p) => attribute(p, 'nodeset'))) return undefined;
  const devices = childElement(domain, 'devices');
  if (devices && (childElements(devices, 'memory').length > 0 || expanderBuses(devices).some((b) => b.node))) return undefined;
  return refs;
}

/** A scaled element's amount in KiB; undefined unless it is one plain number in a known unit. */
function scaledAmount(doc: DomainDocument, el: XmlElement): number | undefined {
  if (el.children.length !== 1 || el.children[0].kind !== 'text') return undefined;
  return scaledKiB(textContent(doc, el), attribute(el, 'unit')?.value).kib;
}
