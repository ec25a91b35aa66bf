/**
 * What a layout may not carry into a domain: counts and ids past what libvirt and QEMU take
 * (guest/limits.ts), and memory a KiB number cannot hold exactly. Checked before anything is
 * written, so a layout from a workspace file, a permalink or an edit that overflowed is
 * refused whole, never rounded or written in part.
 */
import type { GuestLayout } from '../guest/model.ts';
import { CPUMASK_LEN, MAX_CELLS, MAX_MEMORY_KIB, MAX_VCPUS } from '../guest/limits.ts';
import { isMemoryKiB } from './scaled.ts';

const isCount = (n: number, max: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
const isId = (n: number, limit: number) => Number.isSafeInteger(n) && n >= 0 && n < limit;

/** One sentence per thing past a limit; empty when the layout can be written. */
export function layoutPastLimits(layout: GuestLayout): string[] {
  const out: string[] = [];
  if (!isCount(layout.vcpus, MAX_VCPUS)) out.push(`${layout.vcpus} vCPUs; QEMU takes 1 to ${MAX_VCPUS}`);
  if (layout.cells.length > MAX_CELLS) out.push(`${layout.cells.length} guest NUMA cells; QEMU takes at most ${MAX_CELLS}`);
  const memory = [layout.memoryKiB, ...layout.cells.map((c) => c.memoryKiB)];
  const cellTotal = layout.cells.reduce((s, c) => s + c.memoryKiB, 0);
  if (!memory.every(isMemoryKiB) || !isMemoryKiB(cellTotal)) out.push(`memory past ${MAX_MEMORY_KIB} KiB (2^63 bytes, libvirt's limit) or not a whole number of KiB`);
  const cpus = [...layout.pins.flatMap((p) => p.cpus), ...layout.emulatorpin, ...layout.iothreadpins.flatMap((p) => p.cpus)];
  if (!cpus.every((c) => isId(c, CPUMASK_LEN))) out.push(`a host CPU id past libvirt's limit of ${CPUMASK_LEN - 1}`);
  if (!layout.cells.every((c) => c.hostNodes.every((n) => isId(n, CPUMASK_LEN)))) out.push(`a host node id past libvirt's limit of ${CPUMASK_LEN - 1}`);
  if (!layout.pins.every((p) => isId(p.vcpu, layout.vcpus)) || !layout.cells.every((c) => c.vcpus.every((v) => isId(v, layout.vcpus)))) out.push(`a vCPU id past the guest's ${layout.vcpus} vCPUs`);
  return out;
}
