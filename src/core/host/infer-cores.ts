/**
 * When no paste gave per-CPU topology (plain `lscpu` + `numactl -H`, as on the talk's slides),
 * the core and package of each CPU can still be inferred from lscpu's counts: Linux numbers
 * the first thread of every core first and the SMT siblings after them, so on a host with C
 * cores CPU n and n + C share a core, and cores fill packages in order. The inference is only
 * made when the counts add up exactly, and it is reported, never silent.
 */
import type { CountFacts, CpuFact } from './facts.ts';

export interface InferredCores {
  cpus: CpuFact[];
  explanation: string;
}

export function inferCoresFromCounts(counts: CountFacts, cpuIds: readonly number[]): InferredCores | undefined {
  const { sockets, coresPerSocket, threadsPerCore } = counts;
  if (!sockets || !coresPerSocket || !threadsPerCore) return undefined;
  const cores = sockets * coresPerSocket;
  if (cores * threadsPerCore !== cpuIds.length) return undefined;
  // Only the dense 0..n-1 numbering follows the rule above; anything else is not ours to guess.
  if (cpuIds.some((id, i) => id !== i)) return undefined;
  const cpus: CpuFact[] = cpuIds.map((id) => {
    const core = id % cores;
    const siblings = Array.from({ length: threadsPerCore }, (_, t) => core + t * cores);
    return { id, core, package: Math.floor(core / coresPerSocket), siblings };
  });
  const example =
    threadsPerCore > 1 ? ` (CPU 0 and ${cores} share a core)` : '';
  return {
    cpus,
    explanation:
      `cores and sockets inferred from lscpu's counts (${sockets} socket(s) × ${coresPerSocket} core(s) × ` +
      `${threadsPerCore} thread(s)), assuming Linux's usual numbering${example}; paste \`lscpu -e\` for the real mapping`,
  };
}
