/**
 * What an exported drawing says about itself, so a picture pasted into slides or a ticket still
 * tells which host and which guests it shows and what its colours mean: a title (the host), a
 * line per guest, and a legend of the guests' cell colours (guest/colours.ts's, as drawn).
 */
import { formatIdList } from '../../core/cpuset.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import { formatKiB } from '../../core/units.ts';
import type { GuestColours } from '../guest/colours.ts';

export interface LegendEntry {
  fill: string;
  text: string;
}

export interface ExportCaption {
  title: string;
  /** One line per guest laid out on the host. */
  lines: string[];
  /** Colour → what it stands for; empty when the drawing shows no guest. */
  legend: LegendEntry[];
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "Intel(R) Xeon(R) CPU E7-8895 v2 · host db1 · 4 sockets, 4 NUMA nodes, 120 CPUs" */
export function hostTitle(host: Host): string {
  const { model, vendor, hostname } = host.machine;
  const counts = [host.packages.length > 0 ? count(host.packages.length, 'socket') : '', count(host.nodes.length, 'NUMA node'), count(host.cpus.length, 'CPU')].filter(Boolean).join(', ');
  return [model ?? vendor, hostname && `host ${hostname}`, counts].filter(Boolean).join(' · ');
}

/**
 * The caption of a drawing of `host` with `guests` (named `names[i]`, coloured by `colours`);
 * `withLegend` false for drawings that show no guest (the distance heatmap).
 */
export function exportCaption(host: Host, guests: readonly GuestLayout[], names: readonly string[], colours: GuestColours, withLegend = true): ExportCaption {
  const nameOf = (i: number) => names[i] ?? `guest ${i + 1}`;
  const lines = guests.map((g, i) => `${nameOf(i)}: ${g.vcpus} vCPUs, ${formatKiB(g.memoryKiB)} in ${count(g.cells.length, 'cell')}`);
  const legend: LegendEntry[] = !withLegend
    ? []
    : guests.flatMap((g, i) =>
        g.cells.length === 0
          ? [{ fill: colours(i, null).fill, text: `${nameOf(i)}: vCPUs (no NUMA cells)` }]
          : g.cells.map((c) => ({
              fill: colours(i, c.id).fill,
              text: `${nameOf(i)} cell ${c.id}: vCPUs ${formatIdList(c.vcpus) || '–'}, memory on node ${formatIdList(c.hostNodes) || '?'}`,
            })),
      );
  return { title: hostTitle(host), lines, legend };
}
