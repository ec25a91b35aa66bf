/**
 * A guest's domain XML read for the audit: the layout the editor reads (domain-xml readLayout),
 * its <name>, and the placement the domain states outside the layout's elements (`<vcpu cpuset>`,
 * `<vcpu placement='auto'>`, a cell-less guest's `<numatune><memory>`). Malformed values there are
 * readLayout's to report; here they are only left out.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { parseBitmap } from '../domain-xml/bitmap.ts';
import { domainNameOf, parseDomainDocument, readLayout, type DomainDocument } from '../domain-xml/index.ts';
import { attribute, childElement } from '../domain-xml/lossless-xml.ts';
import type { MemoryMode } from '../guest/model.ts';
import type { AuditGuest, DomainPlacement } from './finding.ts';

const MEMORY_MODES: readonly string[] = ['strict', 'preferred', 'interleave', 'restrictive'];

export function readAuditGuest(text: string, source: string): { guest: AuditGuest | null; diagnostics: Diagnostic[] } {
  const doc = parseDomainDocument(text, source);
  const read = readLayout(doc);
  if (!read.layout) return { guest: null, diagnostics: read.diagnostics };
  const guest: AuditGuest = { name: domainNameOf(doc) ?? source, source, layout: read.layout };
  const placement = placementOf(doc);
  if (placement) guest.placement = placement;
  return { guest, diagnostics: read.diagnostics };
}

/** A list as libvirt's bitmap, as readLayout reads (and reports) it: ids past libvirt's limit are refused, not expanded. */
const ids = (text: string | undefined): number[] | undefined => {
  if (text === undefined) return undefined;
  const list = parseBitmap(text);
  return list.ok && list.ids.length > 0 ? list.ids : undefined;
};

function placementOf(doc: DomainDocument): DomainPlacement | undefined {
  const root = doc.root;
  if (!root || root.name !== 'domain') return undefined;
  const out: DomainPlacement = {};
  const vcpu = childElement(root, 'vcpu');
  const cpuset = ids(vcpu && attribute(vcpu, 'cpuset')?.value);
  if (cpuset) out.cpuset = cpuset;
  if (vcpu && attribute(vcpu, 'placement')?.value === 'auto') out.automatic = true;
  const numatune = childElement(root, 'numatune');
  const memory = numatune && childElement(numatune, 'memory');
  if (memory) {
    if (attribute(memory, 'placement')?.value === 'auto') out.automatic = true;
    const nodes = ids(attribute(memory, 'nodeset')?.value);
    const mode = attribute(memory, 'mode')?.value ?? 'strict';
    if (nodes && MEMORY_MODES.includes(mode)) out.memory = { nodes, mode: mode as MemoryMode };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
