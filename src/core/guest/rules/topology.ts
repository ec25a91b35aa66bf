/** <vcpu> and <cpu><topology> against each other, as qemu_validate.c checks them. */
import { formatIdList } from '../../cpuset.ts';
import type { GuestLayout, GuestTopology } from '../model.ts';
import { type LayoutRule, TOPOLOGY_PATH, VCPU_PATH, isCount, layoutDiagnostic } from './rule.ts';

/** QEMU_MAX_VCPUS_WITHOUT_EIM: x86 APIC ids above 255 need x2APIC, i.e. an IOMMU with EIM. */
const MAX_VCPUS_WITHOUT_EIM = 255;

function topologyProduct(t: GuestTopology): number {
  return t.sockets * t.dies * t.clusters * t.cores * t.threads;
}

/** qemuValidateDomainVCpuTopology; only the QEMU driver checks it (the test driver accepts it). */
export const topologyMatchesVcpus: LayoutRule = (layout) => {
  const t = layout.topology;
  const fields = [t.sockets, t.dies, t.clusters, t.cores, t.threads];
  if (fields.every(isCount) && topologyProduct(t) === layout.vcpus) return [];
  return [layoutDiagnostic('error', TOPOLOGY_PATH, "CPU topology doesn't match maximum vcpu count")];
};

export const currentWithinMaximum: LayoutRule = (layout) => {
  const current = layout.currentVcpus;
  if (current === undefined || (isCount(current) && current <= layout.vcpus)) return [];
  return [layoutDiagnostic('error', VCPU_PATH, 'maximum vCPU count must not be less than current vCPU count')];
};

/**
 * The QEMU driver refuses more than 255 x86 vCPUs unless the machine is q35 with
 * <iommu><driver eim='on'/>. A layout does not know the machine type, so this is a warning.
 */
export const manyVcpusNeedEim: LayoutRule = (layout) => {
  if (layout.vcpus <= MAX_VCPUS_WITHOUT_EIM) return [];
  return [
    layoutDiagnostic(
      'warning',
      VCPU_PATH,
      `more than ${MAX_VCPUS_WITHOUT_EIM} vCPUs are only supported on q35-based machine types; ` +
        `more than ${MAX_VCPUS_WITHOUT_EIM} vCPUs require extended interrupt mode enabled on the iommu device ` +
        `(the layout does not know the machine type: check <os><type machine> and <iommu><driver eim='on'/>)`,
    ),
  ];
};

/** Guest vCPU ids of each guest socket/core, in QEMU order (socket-major, thread-minor). */
function groupsOf(layout: GuestLayout, size: number): number[][] {
  const groups: number[][] = [];
  for (let v = 0; v < layout.vcpus; v++) (groups[Math.floor(v / size)] ??= []).push(v);
  return groups;
}

function cellOfVcpu(layout: GuestLayout): Map<number, number> {
  const map = new Map<number, number>();
  for (const cell of layout.cells) for (const v of cell.vcpus) if (!map.has(v)) map.set(v, cell.id);
  return map;
}

function splitGroups(layout: GuestLayout, size: number): { vcpus: number[]; cells: number[] }[] {
  const cellOf = cellOfVcpu(layout);
  const split: { vcpus: number[]; cells: number[] }[] = [];
  for (const vcpus of groupsOf(layout, size)) {
    const cells = [...new Set(vcpus.map((v) => cellOf.get(v)).filter((c) => c !== undefined))].sort((a, b) => a - b);
    if (cells.length > 1) split.push({ vcpus, cells });
  }
  return split;
}

function topologyUsable(layout: GuestLayout): boolean {
  return layout.cells.length > 0 && topologyMatchesVcpus(layout).length === 0;
}

/** RHEL's virtualization guides warn that a guest socket spread over NUMA cells confuses guests. */
export const socketWithinOneCell: LayoutRule = (layout) => {
  if (!topologyUsable(layout)) return [];
  const t = layout.topology;
  return splitGroups(layout, t.dies * t.clusters * t.cores * t.threads).map(({ vcpus, cells }) =>
    layoutDiagnostic(
      'warning',
      TOPOLOGY_PATH,
      `guest socket ${Math.floor(vcpus[0] / vcpus.length)} (vCPUs ${formatIdList(vcpus)}) is split across NUMA cells ${cells.join(', ')}; ` +
        'RHEL warns a socket should sit in one cell or the guest may see a wrong topology or fail to boot',
    ),
  );
};

/** SMT siblings share a core's caches: putting them in different cells is a topology the host cannot have. */
export const coreWithinOneCell: LayoutRule = (layout) => {
  if (!topologyUsable(layout) || layout.topology.threads < 2) return [];
  return splitGroups(layout, layout.topology.threads).map(({ vcpus, cells }) =>
    layoutDiagnostic(
      'warning',
      TOPOLOGY_PATH,
      `SMT threads of guest core ${vcpus[0] / vcpus.length} (vCPUs ${formatIdList(vcpus)}) are split across NUMA cells ${cells.join(', ')}`,
    ),
  );
};
