/** Shared summaries for comparing hwloc facts across formats (XML, lstopo text, synthetic). */
import type { HostFacts } from '../../src/core/host/facts.ts';

export interface Summary {
  pus: number;
  online: string;
  packages: number;
  cores: number;
  nodes: string;
  pciWithNode: number;
}

/** What must agree between two views of one machine; cores are counted as SMT sibling groups. */
export function summary(f: HostFacts): Summary {
  const on = f.cpus.filter((c) => c.online);
  const onIds = new Set(on.map((c) => c.id));
  return {
    pus: on.length,
    online: on.map((c) => c.id).join(','),
    packages: new Set(on.map((c) => c.package)).size,
    cores: new Set(on.map((c) => (c.siblings ?? [c.id]).join(','))).size,
    nodes: f.nodes
      .map((n) => ({ id: n.id, cpus: (n.cpus ?? []).filter((c) => onIds.has(c)) }))
      .filter((n) => n.cpus.length > 0 || onIds.size === f.cpus.length)
      .map((n) => `${n.id}:${n.cpus.join(',')}`)
      .join(' '),
    pciWithNode: f.pci.filter((p) => !p.isBridge && p.node !== undefined).length,
  };
}

/** Node memory agrees within what the coarser printout can round away. */
export function memoryAgrees(exact: HostFacts, printed: HostFacts, tolerance: number): boolean {
  return exact.nodes.every((n) => {
    const p = printed.nodes.find((q) => q.id === n.id);
    if (!p || n.memoryKiB === undefined) return p === undefined || p.memoryKiB === undefined;
    return p.memoryKiB !== undefined && Math.abs(p.memoryKiB - n.memoryKiB) <= Math.max(2, n.memoryKiB * tolerance);
  });
}

export function errors(f: HostFacts): string[] {
  return f.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);
}
