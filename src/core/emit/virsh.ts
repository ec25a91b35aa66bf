/**
 * virsh commands that apply a layout to a guest that already exists, for people who would
 * rather not replace their XML. Everything is `--config` (the persistent definition): pins
 * and the memory binding of a running guest change with --live too, but the cells and the
 * topology cannot, and half a layout live is worse than the whole layout at the next boot.
 */
import { formatIdList, union } from '../cpuset.ts';
import type { GuestLayout, MemoryMode } from '../guest/model.ts';

export function virshCommands(layout: GuestLayout, domain: string): string {
  const dom = shellWord(domain);
  const lines: string[] = [];
  for (const pin of layout.pins) lines.push(`virsh vcpupin ${dom} ${pin.vcpu} ${formatIdList(pin.cpus)} --config`);
  if (layout.emulatorpin.length > 0) lines.push(`virsh emulatorpin ${dom} ${formatIdList(layout.emulatorpin)} --config`);
  for (const pin of layout.iothreadpins) lines.push(`virsh iothreadpin ${dom} ${pin.iothread} ${formatIdList(pin.cpus)} --config`);
  const nodes = union(...layout.cells.map((c) => c.hostNodes));
  if (nodes.length > 0) lines.push(`virsh numatune ${dom} --mode ${numatuneMode(layout)} --nodeset ${formatIdList(nodes)} --config`);
  const notes = [
    '# virsh has no command for the guest NUMA cells, the per-cell memory binding (<memnode>),',
    `# the CPU topology or the vCPU count with cells: apply those with \`virsh edit ${dom}\``,
    '# (or `virsh define` the generated domain XML), then restart the guest.',
  ];
  return [...lines, ...notes].join('\n') + '\n';
}

/** <numatune><memory>'s mode: the cells' own when they agree, else strict. */
function numatuneMode(layout: GuestLayout): MemoryMode {
  const modes = new Set(layout.cells.map((c) => c.memoryMode));
  const [only] = modes;
  return modes.size === 1 && only !== undefined ? only : 'strict';
}

function shellWord(word: string): string {
  return /^[\w.+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
