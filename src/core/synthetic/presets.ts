/**
 * Invented hosts for talks: the machines a speaker wants on screen, as hwloc synthetic strings
 * plus the distance matrix their firmware would report. Numbers are typical of each platform
 * (core counts, cache sizes, SLIT values), not the dump of one particular machine — except the
 * talk's E7, which has exactly the shape of ../shared/corpus/pasted/talk-e7-8895v2.*.
 */
import { linuxPuIndexes, type SyntheticHost } from './compose.ts';

export interface SyntheticPreset extends SyntheticHost {
  id: string;
  title: string;
  /** What the speaker should know about the preset's numbering or values. */
  note: string;
}

/** The same distance between every pair of distinct nodes. */
function flat(n: number, far: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 10 : far)));
}

const indexes = (cores: number, threads: number) => linuxPuIndexes(cores, threads).join(',');

export const SYNTHETIC_PRESETS: readonly SyntheticPreset[] = [
  {
    id: 'intel-2s',
    title: '2-socket Intel Xeon (2 × 20 cores × 2 threads, 2 nodes)',
    topology: `pack:2 [numa(memory=192GiB)] l3:1(size=28160KiB) l2:20(size=1MiB) l1d:1(size=32KiB) core:1 pu:2(indexes=${indexes(40, 2)})`,
    distances: flat(2, 21),
    note: 'CPUs numbered as Linux does on Intel: node 0 = 0-19,40-59; CPU n and n+40 are SMT siblings.',
  },
  {
    id: 'epyc-2s-nps4',
    title: 'AMD EPYC 2S in NPS4 (2 × 64 cores × 2 threads, 8 nodes)',
    topology: `pack:2 group:4 [numa(memory=64GiB)] l3:4(size=16MiB) l2:4(size=512KiB) l1d:1(size=32KiB) core:1 pu:2(indexes=${indexes(128, 2)})`,
    distances: Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 10 : Math.floor(i / 4) === Math.floor(j / 4) ? 12 : 32))),
    note: 'NPS4: four nodes per socket, one L3 per 4-core CCX; 12 within a socket, 32 across (typical Rome/Milan SLIT). Node 0 = 0-15,128-143.',
  },
  {
    id: 'talk-e7',
    title: "The talk's 4-socket Xeon E7-8895 v2 (4 × 15 cores × 2 threads)",
    topology: `pack:4 [numa(memory=128602MiB)] l3:1(size=38400KiB) l2:15(size=256KiB) l1d:1(size=32KiB) core:1 pu:2(indexes=${indexes(60, 2)})`,
    distances: flat(4, 21),
    note: 'Same shape as the talk host: node 0 = 0-14,60-74; CPU n and n+60 are SMT siblings; distances 10/21.',
  },
  {
    id: 'cxl-2s',
    title: '2-socket host with CXL memory-only nodes (2 × 16 cores × 2 threads + 2 CXL nodes)',
    // Attached nodes are numbered together (hwloc): socket 0's DRAM and CXL, then socket 1's;
    // indexes= renumbers them 0, 2, 1, 3 so that the CPU nodes come first.
    topology: `pack:2 [numa(memory=256GiB)] [numa(memory=128GiB indexes=0,2,1,3)] l3:1(size=60MiB) l2:16(size=2MiB) l1d:1(size=48KiB) core:1 pu:2(indexes=${indexes(32, 2)})`,
    distances: [
      [10, 21, 14, 24],
      [21, 10, 24, 14],
      [14, 24, 10, 28],
      [24, 14, 28, 10],
    ],
    note: 'Numbered as Linux does: CPU nodes 0 and 1 first, then the CXL expanders as memory-only nodes 2 (on socket 0) and 3 (on socket 1); a CXL node is 14 from its own socket, 24 from the other.',
  },
];
