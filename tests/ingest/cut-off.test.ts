/**
 * Pastes cut short, as a terminal scroll-back or a mail quote cuts them: every corpus XML dump
 * (hwloc XML v1/v2, virsh capabilities, nodedev) cut at thirty places gives exactly one problem,
 * where the paste ends, naming the element it ends inside; and stray numactl-like lines in other
 * text make no NUMA node.
 */
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/core/ingest/index.ts';
import { numactlFormat } from '../../src/core/ingest/numactl.ts';
import { corpusFiles, readCorpus } from '../support/corpus.ts';

const XML = [
  ...corpusFiles('hwloc-xml', /\.xml$/).map((f) => `hwloc-xml/${f}`),
  ...corpusFiles('libvirt-caps', /\.xml$/).map((f) => `libvirt-caps/${f}`),
  ...corpusFiles('libvirt-nodedev', /\.xml$/).map((f) => `libvirt-nodedev/${f}`),
];

const CUT = /^the paste ends inside <([\w:.-]+)> opened at line (\d+) — cut off\?/;

describe('a cut-off XML paste gets one diagnostic, where it ends', () => {
  for (const file of XML) {
    it(file, () => {
      const whole = readCorpus(file);
      const step = Math.max(1, Math.floor(whole.length / 30));
      let cuts = 0;
      for (let end = step; end < whole.length - 1; end += step) {
        const text = whole.slice(0, end);
        if (text.trim().length < 40) continue;
        cuts++;
        const { host } = ingest([{ name: file, text }]);
        const problems = host.diagnostics.filter((d) => d.severity !== 'info');
        const where = `cut at ${end}: ${JSON.stringify(text.slice(-40))}`;
        expect(problems.map((d) => d.message), where).toHaveLength(1);
        const [cut] = problems;
        const m = CUT.exec(cut.message);
        expect(m, `${where}: ${cut.message}`).not.toBeNull();
        const lines = text.split('\n');
        expect(cut.severity).toBe('error');
        expect(cut.line, where).toBe(lines.length);
        expect(lines[Number(m?.[2]) - 1], where).toContain(`<${m?.[1]}`);
      }
      expect(cuts).toBeGreaterThan(20);
    });
  }

  it("hwloc's SGI UV (24 nodes) cut mid-way keeps the nodes it had, with one error instead of one per open element", () => {
    const whole = readCorpus('hwloc-xml/192em64t-24n8c2t.xml');
    const text = whole.slice(0, Math.floor(whole.length / 2));
    const { host } = ingest([{ name: 'uv', text }]);
    expect(host.nodes.length).toBeGreaterThan(5);
    expect(host.nodes.length).toBeLessThan(24);
    expect(host.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringMatching(/^the paste ends inside <object> opened at line \d+ — cut off\? \(\d+ elements are left open, the outermost <topology> at line 3\)$/),
    ]);
  });
});

describe('numactl -H lines in other text', () => {
  it('a lone `node 0 cpus: banana` amid garbage is an error and makes no NUMA node', () => {
    const text = 'Dear list,\nthe box says\nnode 0 cpus: banana\nand nothing else.\n';
    const facts = numactlFormat.parse(text, 'mail');
    expect(facts.nodes).toEqual([]);
    expect(facts.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message])).toEqual([[3, "CPU list of node 0 is not readable: 'banana' is not a CPU number"]]);
    const { host } = ingest([{ name: 'mail', text }]);
    expect(host.nodes).toEqual([]);
  });

  it('a bad size line alone makes no node either; a free line needs its node first', () => {
    const facts = numactlFormat.parse('node 3 size: lots\nnode 4 free: 100 MB\n', 'x');
    expect(facts.nodes).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ['error', 1],
      ['warning', 2],
    ]);
  });

  it('a real block with one bad line keeps its node from the good lines (the corpus talk host, node 1 cpus spoilt)', () => {
    const text = readCorpus('pasted/talk-e7-8895v2.numactl-H.txt').replace(/^node 1 cpus:.*$/m, 'node 1 cpus: banana');
    const facts = numactlFormat.parse(text, 'talk');
    expect(facts.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3]);
    expect(facts.nodes[1].cpus).toBeUndefined();
    expect(facts.nodes[1].memoryKiB).toBeGreaterThan(0);
  });
});
