/**
 * When no paste gave per-CPU topology (plain `lscpu` + `numactl -H`, as on the talk's slides),
 * which CPUs share a core can still be inferred from lscpu's counts, because Linux numbers
 * CPUs in one of two ways: Intel's firmware lists the first thread of every core first and the
 * SMT siblings after them (CPU n and n + cores share a core), AMD's and most others list a
 * core's threads next to each other (n and n + 1). Cores fill sockets in order either way.
 * The node CPU lists decide between the two: a core never spans two nodes. Only an
 * unambiguous answer is used, and it is reported, never silent.
 */
import type { CountFacts, CpuFact } from './facts.ts';

export interface InferredCores {
  cpus: CpuFact[];
  explanation: string;
}

type Numbering = { name: string; coreOf: (cpu: number) => number; siblingsOf: (core: number) => number[] };

export function inferCoresFromCounts(counts: CountFacts, cpuIds: readonly number[], nodeOf: ReadonlyMap<number, number>): InferredCores | undefined {
  const { sockets, coresPerSocket, threadsPerCore: threads } = counts;
  if (!sockets || !coresPerSocket || !threads) return undefined;
  const cores = sockets * coresPerSocket;
  if (cores * threads !== cpuIds.length) return undefined;
  // Only the dense 0..n-1 numbering follows the rules above; anything else is not ours to guess.
  if (cpuIds.some((id, i) => id !== i)) return undefined;

  const numberings: Numbering[] =
    threads === 1
      ? [{ name: 'one thread per core', coreOf: (cpu) => cpu, siblingsOf: (core) => [core] }]
      : [
          {
            name: `thread siblings ${cores} apart (CPU 0 and ${cores} share a core)`,
            coreOf: (cpu) => cpu % cores,
            siblingsOf: (core) => Array.from({ length: threads }, (_, t) => core + t * cores),
          },
          {
            name: `thread siblings numbered together (CPU 0 and 1 share a core)`,
            coreOf: (cpu) => Math.floor(cpu / threads),
            siblingsOf: (core) => Array.from({ length: threads }, (_, t) => core * threads + t),
          },
        ];
  const fitting = numberings.filter((n) => fitsNodes(n, cores, nodeOf));
  if (fitting.length !== 1) return undefined;
  const [numbering] = fitting;
  const cpus: CpuFact[] = cpuIds.map((id) => {
    const core = numbering.coreOf(id);
    return { id, core, package: Math.floor(core / coresPerSocket), siblings: numbering.siblingsOf(core) };
  });
  return {
    cpus,
    explanation:
      `cores and sockets inferred from lscpu's counts (${sockets} socket(s) × ${coresPerSocket} core(s) × ${threads} thread(s)) ` +
      `and the node CPU lists: ${numbering.name}; paste \`lscpu -e\` for the real mapping`,
  };
}

/** A core's threads sit in one node; with no node lists every numbering fits and none is chosen. */
function fitsNodes(numbering: Numbering, cores: number, nodeOf: ReadonlyMap<number, number>): boolean {
  if (new Set(nodeOf.values()).size < 2) return numbering.siblingsOf(0).length === 1;
  for (let core = 0; core < cores; core++) {
    const nodes = new Set(numbering.siblingsOf(core).map((cpu) => nodeOf.get(cpu)));
    if (nodes.size !== 1 || nodes.has(undefined)) return false;
  }
  return true;
}
