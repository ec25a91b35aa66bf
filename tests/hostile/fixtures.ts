/**
 * Hostile and broken pastes, generated: the inputs issue 18 found crashing, hanging or blowing
 * up the ingest side, each a class of its own (lists naming the id space a thousand times,
 * nesting a hundred thousand deep, one output pasted 1,600 times …). The hostile test tier and
 * bench/hostile.bench.ts share them, so a class measured is a class tested.
 */
import { readCorpus } from '../support/corpus.ts';

export interface HostileCase {
  /** The class, as the bench prints it: `class=<name>`. */
  name: string;
  /** What the case is, for test titles. */
  what: string;
  text: () => string;
}

const talkLscpu = () => readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt');
const talkNumactl = () => readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');

/** 1,000 × "0-1048575": 10 KB naming the whole id space a thousand times over. */
export const LIST_BOMB = Array(1000).fill('0-1048575').join(',');

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE topology SYSTEM "hwloc2.dtd">\n<topology version="2.0">\n';

export const HOSTILE: readonly HostileCase[] = [
  {
    name: 'lscpu-node-200k',
    what: 'an lscpu whose node 0 holds CPUs 0-199999 and which gives no CPU count',
    text: () =>
      talkLscpu()
        .replace(/^CPU\(s\):.*\n/m, '')
        .replace(/^On-line CPU\(s\) list:.*\n/m, '')
        .replace(/^NUMA node0 CPU\(s\):.*$/m, 'NUMA node0 CPU(s): 0-199999'),
  },
  {
    name: 'numactl-cpus-200k',
    what: 'a numactl -H whose node 0 lists 200,000 CPUs word by word',
    text: () => talkNumactl().replace(/^node 0 cpus:.*$/m, `node 0 cpus: ${Array.from({ length: 200_000 }, (_, i) => i).join(' ')}`),
  },
  {
    name: 'lscpu-list-bomb',
    what: "an lscpu node list of 1,000 × '0-1048575'",
    text: () => talkLscpu().replace(/^NUMA node0 CPU\(s\):.*$/m, `NUMA node0 CPU(s): ${LIST_BOMB}`),
  },
  {
    name: 'lscpu-id-past-limit',
    what: 'an lscpu node list reaching CPU 4294967295',
    text: () => talkLscpu().replace(/^NUMA node0 CPU\(s\):.*$/m, 'NUMA node0 CPU(s): 0-4294967295'),
  },
  {
    name: 'prompt-repeat-200k',
    what: "'$ lscpu\\nfoo bar\\n' repeated 200,000 times (3 MB)",
    text: () => '$ lscpu\nfoo bar\n'.repeat(200_000),
  },
  {
    name: 'numactl-repeat-1600',
    what: "1,600 copies of the talk's numactl -H (1.1 MB)",
    text: () => Array(1600).fill(talkNumactl()).join('\n'),
  },
  {
    name: 'numactl-varied-1600',
    what: "1,600 copies of the talk's numactl -H, each with its own free memory (no two alike)",
    text: () =>
      Array.from({ length: 1600 }, (_, k) => talkNumactl().replace(/^node 0 free: \d+ MB$/m, `node 0 free: ${k} MB`)).join('\n'),
  },
  {
    name: 'numactl-repeat-10mb',
    what: "the talk's numactl -H pasted until 10 MB",
    text: () => {
      const one = talkNumactl();
      return Array(Math.ceil(10e6 / one.length)).fill(one).join('\n');
    },
  },
  {
    name: 'numactl-node-ids-100k',
    what: 'a numactl -H naming 100,000 nodes',
    text: () => `available: 100000 nodes (0-99999)\n${Array.from({ length: 100_000 }, (_, i) => `node ${i} cpus: ${i}\nnode ${i} size: 1024 MB\n`).join('')}`,
  },
  {
    name: 'hwloc-nested-1e5',
    what: 'an hwloc XML nested 100,000 objects deep',
    text: () => `${xmlHead}${'<object type="Group">'.repeat(100_000)}${'</object>'.repeat(100_000)}\n</topology>\n`,
  },
  {
    name: 'xml-stray-close-200k',
    what: "200,000 stray '</x>' in an hwloc XML",
    text: () => `${xmlHead}${'</x>\n'.repeat(200_000)}</topology>\n`,
  },
  {
    name: 'xml-unclosed-object-1e6',
    what: "10^6 unclosed '<object>' (21 MB)",
    text: () => `${xmlHead}${'<object type="Group">\n'.repeat(1_000_000)}`,
  },
  {
    name: 'xml-unclosed-a-1e6',
    what: "10^6 unclosed '<a>'",
    text: () => `${xmlHead}${'<a>'.repeat(1_000_000)}`,
  },
  {
    name: 'xml-cpuset-10mb',
    what: 'an hwloc XML whose machine cpuset is a 10 MB mask',
    text: () => `${xmlHead}<object type="Machine" os_index="0" cpuset="0x${'f'.repeat(10_000_000)}">\n<object type="PU" os_index="0" cpuset="0x1"/>\n</object>\n</topology>\n`,
  },
  {
    name: 'virsh-caps-siblings-bomb',
    what: "virsh capabilities with 1,000 CPUs whose siblings are 1,000 × '0-1048575' each (10 MB)",
    text: () =>
      `<capabilities><host><topology><cells num="1"><cell id="0"><cpus num="1000">${Array.from({ length: 1000 }, (_, i) => `<cpu id="${i}" socket_id="0" core_id="${i}" siblings="${LIST_BOMB}"/>`).join('\n')}</cpus></cell></cells></topology></host></capabilities>\n`,
  },
  {
    name: 'lstopo-chain-1e5',
    what: "an lstopo text of 100,000 objects chained on one line with ' + '",
    text: () => `Machine (16GB total)\n  ${Array(100_000).fill('Group0 L#0').join(' + ')} + PU L#0 (P#0)\n`,
  },
  {
    name: 'synthetic-group-10k',
    what: "a synthetic string with 10,000 'group:1' levels",
    text: () => `pack:1 ${'group:1 '.repeat(10_000)}core:1 pu:1\n`,
  },
  {
    name: 'synthetic-10mb',
    what: 'a 10 MB synthetic string',
    text: () => `pack:2 core:2 ${'pu:1'.padEnd(10_000_000, '1')}\n`,
  },
];
