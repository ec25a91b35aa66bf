/**
 * The same layout for Xen: the placement lines of an xl.cfg (xl.cfg(5): vcpus, maxvcpus,
 * memory, maxmem, cpus, vnuma). xl cannot say everything libvirt can — one physical node per
 * virtual node, sizes in whole MiB, no emulator pinning — so what it loses is said in comments
 * rather than silently dropped.
 */
import { formatIdList } from '../cpuset.ts';
import type { GuestLayout } from '../guest/model.ts';

export function xlConfig(layout: GuestLayout): string {
  const lines: string[] = [];
  const current = layout.currentVcpus ?? layout.vcpus;
  lines.push(`vcpus = ${current}`);
  if (current < layout.vcpus) lines.push(`maxvcpus = ${layout.vcpus}`);
  const cellsMiB = layout.cells.map((c) => Math.floor(c.memoryKiB / 1024));
  // With vnuma, xl requires maxmem to equal the sum of the vnode sizes.
  const totalMiB = layout.cells.length > 0 ? cellsMiB.reduce((a, b) => a + b, 0) : Math.floor(layout.memoryKiB / 1024);
  lines.push(`memory = ${totalMiB}`, `maxmem = ${totalMiB}`);
  const cpus = cpusLine(layout);
  if (cpus) lines.push(cpus);
  if (layout.emulatorpin.length > 0 || layout.iothreadpins.length > 0) {
    lines.push(`# xl has no emulator or iothread pinning: the device model runs in dom0 (libvirt pins it to ${formatIdList(layout.emulatorpin) || 'nothing'})`);
  }
  if (layout.cells.length === 0) return lines.join('\n') + '\n';
  layout.cells.forEach((cell, i) => {
    if (cell.hostNodes.length > 1) {
      lines.push(`# vnode ${cell.id} is backed by host nodes ${formatIdList(cell.hostNodes)}; xl takes one pnode per vnode, so only ${cell.hostNodes[0]} is used`);
    }
    if (cell.memoryKiB % 1024 !== 0) lines.push(`# vnode ${cell.id}: ${cell.memoryKiB} KiB rounded down to ${cellsMiB[i]} MiB (xl sizes are whole MiB)`);
    if (cell.vcpus.length === 0) lines.push(`# vnode ${cell.id} has no vCPUs, which xl's vnuma does not accept`);
  });
  const specs = layout.cells.map((cell, i) => {
    const keys = [
      `pnode=${cell.hostNodes[0] ?? 0}`,
      `size=${cellsMiB[i]}`,
      `vcpus=${formatIdList(cell.vcpus)}`,
      `vdistances=${cell.distances.length > 0 ? cell.distances.join(',') : layout.cells.map((c) => (c.id === cell.id ? 10 : 20)).join(',')}`,
    ];
    return `[ ${keys.map((k) => `"${k}"`).join(', ')} ]`;
  });
  lines.push(`vnuma = [ ${specs.join(',\n          ')} ]`);
  return lines.join('\n') + '\n';
}

/** `cpus = [ … ]`: the list form pins vCPU i to element i; "all" leaves a vCPU unpinned. */
function cpusLine(layout: GuestLayout): string | undefined {
  if (layout.pins.length === 0) return undefined;
  const byVcpu = new Map(layout.pins.map((p) => [p.vcpu, p.cpus]));
  const items: string[] = [];
  for (let v = 0; v < layout.vcpus; v++) {
    const cpus = byVcpu.get(v);
    items.push(`"${cpus && cpus.length > 0 ? formatIdList(cpus) : 'all'}"`);
  }
  return `cpus = [ ${items.join(', ')} ]`;
}
