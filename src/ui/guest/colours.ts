/**
 * Guest cell colours: Okabe–Ito, the colour-blind-safe set, with the text colour that stays
 * readable on each. Cells are numbered across guests so two guests never share a colour
 * (until the palette wraps).
 */
import { formatIdList } from '../../core/cpuset.ts';
import type { AffinityRow } from '../../core/emit/affinity.ts';
import type { GuestLayout } from '../../core/guest/model.ts';

export interface Swatch {
  fill: string;
  text: string;
}

export const CELL_PALETTE: readonly Swatch[] = [
  { fill: '#E69F00', text: '#000000' },
  { fill: '#56B4E9', text: '#000000' },
  { fill: '#009E73', text: '#ffffff' },
  { fill: '#F0E442', text: '#000000' },
  { fill: '#0072B2', text: '#ffffff' },
  { fill: '#D55E00', text: '#ffffff' },
  { fill: '#CC79A7', text: '#000000' },
  { fill: '#8C8C8C', text: '#000000' },
];

const UNCELLED: Swatch = { fill: '#5b6676', text: '#ffffff' };

export type GuestColours = (guest: number, cell: number | null) => Swatch;

export function cellColours(guests: readonly GuestLayout[]): GuestColours {
  const offsets: number[] = [];
  let next = 0;
  for (const g of guests) {
    offsets.push(next);
    next += Math.max(1, g.cells.length);
  }
  return (guest, cell) => (cell === null ? UNCELLED : CELL_PALETTE[((offsets[guest] ?? 0) + cell) % CELL_PALETTE.length]);
}

export function guestName(guest: number): string {
  return `guest ${guest + 1}`;
}

/** What hovering a vCPU tells: where it runs, where its memory is, how far apart. */
export function vcpuTooltip(guest: number, row: AffinityRow, guests: number): string[] {
  const who = guests > 1 ? `${guestName(guest)} · ` : '';
  const runs = row.pinning === '1:1' ? `pinned to CPU ${row.current}` : row.pinning === 'floating' ? `floats over CPUs ${formatIdList(row.cpus)}` : 'not pinned (any host CPU)';
  return [
    `${who}vCPU ${row.vcpu}${row.cell !== null ? ` · cell ${row.cell}` : ''}`,
    runs + (row.cpuNodes.length > 0 ? ` (node ${formatIdList(row.cpuNodes)})` : ''),
    row.memoryNodes.length > 0 ? `memory on node ${formatIdList(row.memoryNodes)}` : 'memory not bound to a node',
    row.distance !== null ? `distance ${row.distance}${row.distance === 10 ? ' (local)' : ' (remote)'}` : 'distance unknown',
  ];
}
