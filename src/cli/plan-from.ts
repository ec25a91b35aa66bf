/**
 * `numascope plan --from guest.xml`: a domain the person already has, laid out again. Its size
 * (vCPUs, memory, hugepage size, pinned iothreads) and its PCI passthrough devices are the
 * request's defaults; its own cells, numatune and pins are what the new layout replaces. The
 * layout goes back into that same document through the domain-xml writer, as the app's editor
 * does it (src/worker/xml-jobs.ts): only the owned elements change, every other byte stays.
 * A document that reads with errors is never rewritten — the reader skipped what it could not
 * read, and a rewrite would lose it.
 */
import { diagnosticSink, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { maxOf } from '../core/extremes.ts';
import { domainNameOf, parseDomainDocument, positionOf, readLayout, writeLayout, type DomainDocument } from '../core/domain-xml/index.ts';
import { childElement } from '../core/domain-xml/lossless-xml.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import type { PartitionRequest } from '../core/partition/request.ts';

export type FromRead =
  | { ok: true; doc: DomainDocument; layout: GuestLayout; name: string | null; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function readFrom(text: string, source: string): FromRead {
  const doc = parseDomainDocument(text, source);
  const read = readLayout(doc);
  if (!read.layout || hasErrors(read.diagnostics)) {
    const sink = diagnosticSink(source);
    sink.error(undefined, 'not laid out again: the domain XML reads with errors, and rewriting it would lose what the reader skipped; fix them first');
    return { ok: false, diagnostics: [...read.diagnostics, ...sink.list] };
  }
  return { ok: true, doc, layout: read.layout, name: domainNameOf(doc), diagnostics: read.diagnostics };
}

const cellsKiB = (layout: GuestLayout) => layout.cells.reduce((s, c) => s + c.memoryKiB, 0);

/** The page size backing most of the guest's memory (the larger on a tie): a request has one size. */
function hugepageSize(layout: GuestLayout): number | undefined {
  const bySize = new Map<number, number>();
  for (const c of layout.cells) if (c.hugepageSizeKiB) bySize.set(c.hugepageSizeKiB, (bySize.get(c.hugepageSizeKiB) ?? 0) + c.memoryKiB);
  return [...bySize].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/** What the document asks for, as request fields; the flags override each. */
export function requestFromDocument(layout: GuestLayout): Partial<PartitionRequest> {
  const out: Partial<PartitionRequest> = {
    vcpus: layout.vcpus,
    // With cells, <memory> also counts memory devices (DIMMs, virtio-mem): those stay as they are.
    memoryKiB: layout.cells.length > 0 ? cellsKiB(layout) : layout.memoryKiB,
    // Devices the guest already has should stay near it, but need not decide where it goes.
    devices: layout.devices.map((d) => ({ bdf: d.bdf, policy: 'preferred' })),
  };
  const hugepages = hugepageSize(layout);
  if (hugepages !== undefined) out.hugepageSizeKiB = hugepages;
  const iothreads = maxOf(layout.iothreadpins.map((p) => p.iothread), 0);
  if (iothreads > 0) out.iothreads = iothreads;
  return out;
}

/**
 * Said when the document backs its memory with hugepages whose size no cell carries (no page
 * size given, or no guest cells to give it to): the request cannot keep them unless told.
 */
export function unsizedHugepages(doc: DomainDocument, layout: GuestLayout, request: PartitionRequest): Diagnostic[] {
  const backing = doc.root && childElement(doc.root, 'memoryBacking');
  const hugepages = backing && childElement(backing, 'hugepages');
  if (!hugepages || hugepageSize(layout) !== undefined || request.hugepageSizeKiB !== undefined) return [];
  const sink = diagnosticSink(doc.source);
  const at = positionOf(doc, hugepages.start);
  sink.warning(at.line, 'the domain asks for hugepages without a page size numascope can give its cells: laid out without them; give --hugepages SIZE to keep them', at.column);
  return sink.list;
}

/**
 * The document with the new layout written into it. What the layout does not decide stays the
 * guest's: memory beyond its cells (memory devices, which <memory> counts too) and boot-time
 * vCPUs (<vcpu current>, while the vCPU count stays). The text is read back, and a rewrite that
 * no longer reads cleanly is not handed out.
 */
export function relaidDocument(doc: DomainDocument, before: GuestLayout, after: GuestLayout): { text: string | null; diagnostics: Diagnostic[] } {
  const layout = { ...after };
  if (before.cells.length > 0) layout.memoryKiB = before.memoryKiB + cellsKiB(after) - cellsKiB(before);
  if (before.currentVcpus !== undefined && after.vcpus === before.vcpus) layout.currentVcpus = before.currentVcpus;
  const written = writeLayout(doc, layout);
  if (hasErrors(written.diagnostics)) return { text: null, diagnostics: written.diagnostics };
  const back = readLayout(parseDomainDocument(written.text, doc.source));
  const errors = back.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return { text: written.text, diagnostics: written.diagnostics };
  const sink = diagnosticSink(doc.source);
  sink.error(undefined, 'the document with the new layout would not read back without errors; it is not printed');
  return { text: null, diagnostics: [...written.diagnostics, ...sink.list, ...errors.map((d) => ({ ...d, message: `(rewritten) ${d.message}` }))] };
}
