/**
 * Generated hostile pastes: fast-check composes real dumps with the fragments attackers and
 * careless users bring (deep and broken markup, list and mask bombs, numbers past any host,
 * prompts, repeats, control characters) and feeds each to ingest() and to every reader directly.
 * Each must come back with diagnostics, never an exception, a hang or a heap blow-up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formats, ingest } from '../../src/core/ingest/index.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { readCorpus } from '../support/corpus.ts';
import { LIST_BOMB } from './fixtures.ts';
import { expectNoInternalError, HANG_MS, survive } from './survive.ts';

const REAL = [
  readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt'),
  readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt'),
  readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.xml'),
  readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.lstopo-v-wholeio.txt'),
  readCorpus('libvirt-caps', 'vircaps-x86_64-hmat.xml'),
  readCorpus('libvirt-nodedev', 'pci_0000_02_10_7_sriov_pf_vfs_all.xml'),
  'pack:2 [numa] l3:1 core:4 pu:2\ndistances:\n10 21\n21 10\n',
];

const big = fc.constantFrom(0, 1, 255, 1023, 1024, 65535, 1048575, 1048576, 4294967295, 2 ** 53, 1e21, 1e300);
const count = fc.integer({ min: 1, max: 5_000 });

/** One hostile piece of text. */
const fragment = fc.oneof(
  fc.constantFrom(...REAL),
  count.map((n) => '<object type="Group">'.repeat(n)),
  count.map((n) => '</object>'.repeat(n)),
  count.map((n) => '</x>\n'.repeat(n)),
  count.map((n) => '<a>'.repeat(n)),
  count.map((n) => `<!--${'-'.repeat(n)}`),
  fc.constantFrom('<!DOCTYPE topology [<!ENTITY a "&a;&a;">]>', '&a;&a;', '<![CDATA[', '<?xml', '<topology version="9.9">', '<capabilities>', '<device>'),
  big.map((n) => `NUMA node0 CPU(s): 0-${n}`),
  big.map((n) => `node 0 cpus: 0 ${n}`),
  big.map((n) => `node ${n} size: ${n} MB`),
  big.map((n) => `available: ${n} nodes (0-${n})`),
  fc.constant(`NUMA node1 CPU(s): ${LIST_BOMB}`),
  big.map((n) => `<object type="PU" os_index="${n}" cpuset="0x${'f'.repeat(Math.min(Number(n) % 5000, 5000))}"/>`),
  big.map((n) => `<cell id="${n}"><cpus num="${n}"><cpu id="${n}" siblings="0-${n}"/></cpus></cell>`),
  count.map((n) => `pack:1 ${'group:1 '.repeat(Math.min(n, 300))}pu:1`),
  big.map((n) => `pack:${n} core:${n} pu:${n}`),
  count.map((n) => `Machine\n${Array(Math.min(n, 2000)).fill('Group0 L#0').join(' + ')}`),
  fc.constantFrom('$ lscpu', '# numactl -H', '[root@kvm ~]# lstopo-no-graphics', 'distances:', 'node distances:', 'node 0 1', '0: 10 21'),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('\u0000', '\uFFFD', '\uD800', '\r\n', '\r', '\t', '\u00a0'),
);

/** A paste: fragments, some repeated, joined by line ends or not at all. */
const paste = fc
  .tuple(fc.array(fc.tuple(fragment, fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '', '\n\n'))
  .map(([parts, sep]) => parts.flatMap(([text, times]) => Array(times).fill(text)).join(sep));

describe('generated hostile pastes', () => {
  // Many inputs per test: the hang detector here is fast-check's time limit, well under the test's.
  it('ingest() answers each with diagnostics', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(paste, fc.array(paste, { maxLength: 2 }), (first, more) => {
        const r = survive(() => ingest([first, ...more].map((text, i) => ({ name: `p${i}`, text }))));
        expectNoInternalError(r.host.diagnostics);
        expect(Array.isArray(r.host.cpus)).toBe(true);
      }),
      { numRuns: 50, interruptAfterTimeLimit: 100_000 },
    );
  });

  it('every reader answers each directly', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(paste, (text) => {
        for (const format of formats) {
          const facts = survive(() => format.parse(text, 'fuzz'));
          expectNoInternalError(facts.diagnostics);
        }
      }),
      { numRuns: 20, interruptAfterTimeLimit: 100_000 },
    );
  });

  it('the synthetic editor\'s pastes come back as hosts or diagnostics', { timeout: HANG_MS }, () => {
    const distances = fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), big), { maxLength: 6 }), { maxLength: 6 });
    const topology = fc.oneof(fc.constantFrom(...SYNTHETIC_PRESETS.map((p) => p.topology)), fc.string({ maxLength: 100 }));
    fc.assert(
      fc.property(topology, distances, (t, d) => {
        const r = survive(() => ingest([{ name: 'synthetic', text: syntheticPaste({ topology: t, distances: d }) }]));
        expectNoInternalError(r.host.diagnostics);
      }),
      { numRuns: 100 },
    );
  });
});
