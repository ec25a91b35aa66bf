/**
 * Guest cell colours: Okabe–Ito, the colour-blind-safe set, with the text colour that stays
 * readable on each. Cells are numbered across guests so two guests never share a colour
 * (until the palette wraps).
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatIdList } from '../../core/cpuset.ts';
import type { AffinityRow } from '../../core/emit/affinity.ts';
import { useApp } from '../../state/store.ts';

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

/** Colours from each guest's number of cells, in guest order: all they depend on. */
function cellColours(cellCounts: readonly number[]): GuestColours {
  const offsets: number[] = [];
  let next = 0;
  for (const count of cellCounts) {
    offsets.push(next);
    next += Math.max(1, count);
  }
  return (guest, cell) => (cell === null ? UNCELLED : CELL_PALETTE[((offsets[guest] ?? 0) + cell) % CELL_PALETTE.length]);
}

/**
 * The workspace's guest colours, one function until a guest gains or loses a cell: a drop that
 * moves a vCPU keeps it, so the views given it (the chips, the affinity rows, the guest panel's
 * handles) need not render again for it.
 */
export function useCellColours(): GuestColours {
  const counts = useApp(useShallow((s) => s.guests.map((g) => g.cells.length)));
  return useMemo(() => cellColours(counts), [counts]);
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
