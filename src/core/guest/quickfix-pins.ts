/**
 * Quick fixes for pins that do not suit the host they are checked against (validate()'s
 * pinsOnOnlineCpus and pinsNearTheirMemory, usually after the host changed): a vCPU pinned to a
 * CPU the host lacks or has offline moves to the nearest free CPU — on the same host core (its
 * online SMT siblings), then on the core its guest-core siblings run on, then on the nodes its
 * cell's memory is bound to; a vCPU running away from its cell's memory moves to those nodes, or
 * the cell's memory moves to where the vCPU runs. "Free" is what no other vCPU of this guest is
 * pinned to one-to-one and the emulator does not use; other guests are not known here.
 */
import { difference, formatIdList, parseIdList } from '../cpuset.ts';
import { attribute, childElement, childElements, type DomainDocument, type XmlElement } from '../domain-xml/lossless-xml.ts';
import { normalizeEdits } from '../domain-xml/edits.ts';
import { Patch } from '../domain-xml/patch.ts';
import type { Host } from '../host/model.ts';
import type { GuestLayout } from './model.ts';
import type { QuickFix } from './fix.ts';
import { guestSiblings } from './siblings.ts';

/** vCPU N of pinsOnOnlineCpus's text. */
const OFFLINE_PIN = /^vCPU (\d+) is pinned to host CPUs [\d,-]+, which are not online CPUs of this host$/;
/** vCPU N and cell C of pinsNearTheirMemory's text. */
const FAR_PIN = /^vCPU (\d+) runs on host node [\d,]+ but cell (\d+)'s memory is on node /;

/** The online CPUs of `host` not taken by another vCPU's 1:1 pin or the emulator. */
function freeCpus(host: Host, layout: GuestLayout, vcpu: number): Set<number> {
  const taken = new Set(layout.emulatorpin);
  for (const p of layout.pins) if (p.vcpu !== vcpu && p.cpus.length === 1) taken.add(p.cpus[0]);
  return new Set(host.cpus.filter((c) => c.online && !taken.has(c.id)).map((c) => c.id));
}

function cpusOfNodes(host: Host, nodes: readonly number[]): number[] {
  return host.cpus.filter((c) => c.node !== undefined && nodes.includes(c.node)).map((c) => c.id);
}

/** The host cores (as their CPUs) that `cpus` lie on. */
function coreCpus(host: Host, cpus: readonly number[]): number[] {
  const byId = new Map(host.cpus.map((c) => [c.id, c]));
  return cpus.flatMap((id) => byId.get(id)?.siblings ?? []);
}

function vcpupin(domain: XmlElement, vcpu: number): XmlElement | undefined {
  const cputune = childElement(domain, 'cputune');
  return cputune && childElements(cputune, 'vcpupin').find((p) => attribute(p, 'vcpu')?.value.trim() === String(vcpu));
}

/** Sets one vCPU's cpuset attribute; undefined when the document has no such pin to change. */
function repin(doc: DomainDocument, domain: XmlElement, vcpu: number, cpus: readonly number[], title: string): QuickFix | undefined {
  const pin = vcpupin(domain, vcpu);
  const cpuset = pin && attribute(pin, 'cpuset');
  if (!cpuset || !parseIdList(cpuset.value).ok || cpus.length === 0) return undefined;
  const patch = new Patch(doc);
  patch.setValue(cpuset, formatIdList(cpus));
  return { title, edits: normalizeEdits(patch.edits) };
}

/** The first free CPU of the first tier that has one. */
function nearest(tiers: readonly (readonly number[])[], free: ReadonlySet<number>): number | undefined {
  for (const tier of tiers) {
    const found = [...tier].sort((a, b) => a - b).find((c) => free.has(c));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A vCPU pinned to CPUs the host lacks or has offline: a floating pin keeps its online CPUs
 * (or floats over its cell's nodes when none is left); a 1:1 pin moves to the nearest free CPU.
 */
export function pinToOnlineCpu(doc: DomainDocument, domain: XmlElement, layout: GuestLayout, message: string, host: Host | undefined): QuickFix | undefined {
  const m = OFFLINE_PIN.exec(message);
  if (!m || !host) return undefined;
  const vcpu = Number(m[1]);
  const pin = layout.pins.find((p) => p.vcpu === vcpu);
  if (!pin) return undefined;
  const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
  const bad = pin.cpus.filter((c) => !online.has(c));
  const cell = layout.cells.find((c) => c.vcpus.includes(vcpu));
  if (pin.cpus.length > 1) {
    const kept = difference(pin.cpus, bad);
    if (kept.length > 0) return repin(doc, domain, vcpu, kept, `Keep vCPU ${vcpu} on its online CPUs ${formatIdList(kept)}`);
    const nodeCpus = cell ? cpusOfNodes(host, cell.hostNodes).filter((c) => online.has(c)) : [];
    return repin(doc, domain, vcpu, nodeCpus, `Let vCPU ${vcpu} float over node ${formatIdList(cell?.hostNodes ?? [])}'s CPUs`);
  }
  const partners = guestSiblings(layout, vcpu).filter((v) => v !== vcpu);
  const partnerCpus = layout.pins.filter((p) => partners.includes(p.vcpu)).flatMap((p) => p.cpus);
  const nodes = cell && cell.hostNodes.length > 0 ? cell.hostNodes : [];
  const to = nearest([coreCpus(host, bad), coreCpus(host, partnerCpus), cpusOfNodes(host, nodes)], freeCpus(host, layout, vcpu));
  if (to === undefined) return undefined;
  return repin(doc, domain, vcpu, [to], `Pin vCPU ${vcpu} to CPU ${to} (nearest free)`);
}

/**
 * A vCPU running on a node its cell's memory is not on: move the vCPU to the memory's node (the
 * nearest free CPU there, beside its guest-core siblings when they run there), or bind the cell's
 * memory to the node the vCPU runs on — offered only when every vCPU of the cell runs there.
 */
export function pinNearMemory(doc: DomainDocument, domain: XmlElement, layout: GuestLayout, message: string, host: Host | undefined): QuickFix[] {
  const m = FAR_PIN.exec(message);
  if (!m || !host) return [];
  const vcpu = Number(m[1]);
  const cell = layout.cells.find((c) => c.id === Number(m[2]));
  const pin = layout.pins.find((p) => p.vcpu === vcpu);
  if (!cell || !pin || cell.hostNodes.length === 0) return [];
  const out: QuickFix[] = [];
  const nodeCpus = cpusOfNodes(host, cell.hostNodes);
  const where = `node ${formatIdList(cell.hostNodes)}`;
  if (pin.cpus.length > 1) {
    const online = nodeCpus.filter((c) => host.cpus.find((x) => x.id === c)?.online);
    const fix = repin(doc, domain, vcpu, online, `Let vCPU ${vcpu} float over ${where}'s CPUs, beside its memory`);
    if (fix) out.push(fix);
  } else {
    const partners = guestSiblings(layout, vcpu).filter((v) => v !== vcpu);
    const partnerCpus = layout.pins.filter((p) => partners.includes(p.vcpu)).flatMap((p) => p.cpus);
    const nearPartners = coreCpus(host, partnerCpus).filter((c) => nodeCpus.includes(c));
    const to = nearest([nearPartners, nodeCpus], freeCpus(host, layout, vcpu));
    const fix = to === undefined ? undefined : repin(doc, domain, vcpu, [to], `Pin vCPU ${vcpu} to CPU ${to} on ${where}, beside its memory`);
    if (fix) out.push(fix);
  }
  const nodeOf = new Map(host.cpus.map((c) => [c.id, c.node]));
  const runsOn = new Set(layout.pins.filter((p) => cell.vcpus.includes(p.vcpu)).flatMap((p) => p.cpus.map((c) => nodeOf.get(c))));
  const [only] = runsOn;
  if (runsOn.size === 1 && only !== undefined && cell.vcpus.every((v) => layout.pins.some((p) => p.vcpu === v))) {
    const fix = rebindMemory(doc, domain, cell.id, only);
    if (fix) out.push(fix);
  }
  return out;
}

/** The cell's <memnode> nodeset := `node`. */
function rebindMemory(doc: DomainDocument, domain: XmlElement, cellId: number, node: number): QuickFix | undefined {
  const numatune = childElement(domain, 'numatune');
  const memnode = numatune && childElements(numatune, 'memnode').find((n) => attribute(n, 'cellid')?.value.trim() === String(cellId));
  const nodeset = memnode && attribute(memnode, 'nodeset');
  if (!nodeset) return undefined;
  const patch = new Patch(doc);
  patch.setValue(nodeset, node);
  return { title: `Bind cell ${cellId}'s memory to node ${node}, where its vCPUs run`, edits: normalizeEdits(patch.edits) };
}
