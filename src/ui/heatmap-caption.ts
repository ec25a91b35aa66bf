/**
 * What the distance heatmap's caption says about this host's own matrix: its local value and
 * each tier of remote distances with what it means ("20 ≈ 2.0× local, e.g. node 0 → 1"), instead
 * of a textbook example that may not occur on the host at all (a 10/20/40 machine has no 21).
 * Pure, so the wording is tested on real matrices (tests/ui/heatmap-caption.test.ts).
 */

/** One distinct distance value of the matrix off its diagonal. */
export interface DistanceTier {
  distance: number;
  /** distance / local: the relative latency the firmware (ACPI SLIT) reports. */
  ratio: number;
  /** Ordered node pairs (from ≠ to) at this distance. */
  pairs: number;
  /** The first such pair in row order, as node ids. */
  example: { from: number; to: number };
}

export interface DistanceSummary {
  /** The diagonal's value: 10 on every firmware that follows ACPI, but read, not assumed. */
  local: number;
  tiers: DistanceTier[];
}

/** Tiers named one by one in the caption; past this many, the middle ones are counted. */
const NAMED_TIERS = 4;

/** The matrix's local value and its remote tiers, nearest first. `ids[i]` names row/column i. */
export function distanceSummary(ids: readonly number[], matrix: readonly (readonly number[])[]): DistanceSummary {
  const diagonal = matrix.map((row, i) => row[i]).filter((d): d is number => d !== undefined);
  const local = mostCommon(diagonal) ?? 10;
  const byDistance = new Map<number, DistanceTier>();
  matrix.forEach((row, i) =>
    row.forEach((d, j) => {
      if (i === j) return;
      const tier = byDistance.get(d);
      if (tier) tier.pairs++;
      else byDistance.set(d, { distance: d, ratio: d / local, pairs: 1, example: { from: ids[i] ?? i, to: ids[j] ?? j } });
    }),
  );
  return { local, tiers: [...byDistance.values()].sort((a, b) => a.distance - b.distance) };
}

/** "21 (2.1× local)" — what one value of this matrix means, for the readout and cell labels. */
export function distanceMeaning(d: number, local: number): string {
  return d === local ? `${d} (local)` : `${d} (${ratioText(d / local)} local)`;
}

/** The caption under the heatmap, in the host's own numbers. */
export function heatmapCaption(summary: DistanceSummary): string {
  const { local, tiers } = summary;
  const head = `${local} = local access.`;
  const tail = 'Row = from, column = to.';
  if (tiers.length === 0) return `${head} With one node, all memory is local. ${tail}`;
  const remote = tiers.filter((t) => t.distance !== local);
  if (remote.length === 0) return `${head} Every node reports the same distance to every other: the firmware claims no difference. ${tail}`;
  const named = remote.length <= NAMED_TIERS ? remote : [...remote.slice(0, NAMED_TIERS - 1), remote[remote.length - 1]];
  const parts = named.map((t) => `${t.distance} ≈ ${ratioText(t.ratio)} local (e.g. node ${t.example.from} → ${t.example.to})`);
  if (remote.length > NAMED_TIERS) parts.splice(NAMED_TIERS - 1, 0, `${remote.length - NAMED_TIERS} more between`);
  const count = remote.length === 1 ? 'one remote distance' : `${remote.length} remote distances`;
  return `${head} This host has ${count}: ${parts.join(', ')}. They are relative memory latency as the firmware (ACPI SLIT) reports it. ${tail}`;
}

function ratioText(ratio: number): string {
  return `${ratio.toFixed(1)}×`;
}

function mostCommon(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}
