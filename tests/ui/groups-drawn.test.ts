/**
 * hwloc Groups on the page (issue 16): drawn as boxes named as lstopo names them ("Group0 L#1"),
 * holding their packages, and folded like packages when alike siblings do not read at Fit.
 */
import { describe, expect, it } from 'vitest';
import { boxLabel, tooltipLines } from '../../src/ui/host/labels.ts';
import { layoutHost } from '../../src/ui/host/layout.ts';
import { corpusHost } from '../support/corpus.ts';

const power7 = corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml');

describe('group boxes', () => {
  it('draws POWER7 whole with its 4 Group0 and 8 Group1, labelled as lstopo does', () => {
    const l = layoutHost(power7, { factorize: 'off', expanded: new Set(), keep: new Set() });
    const groups = l.boxes.filter((b) => b.kind === 'Group');
    expect(groups.map((b) => boxLabel(b, 'logical', power7))).toEqual([
      'Group0 L#0',
      'Group1 L#0',
      'Group1 L#1',
      'Group0 L#1',
      'Group1 L#2',
      'Group1 L#3',
      'Group0 L#2',
      'Group1 L#4',
      'Group1 L#5',
      'Group0 L#3',
      'Group1 L#6',
      'Group1 L#7',
    ]);
    // Group1 boxes sit in Group0 boxes, packages (through their NUMA node) in Group1 boxes.
    for (const g of groups.filter((b) => b.groupDepth === 1)) expect(l.byId.get(g.parent!)?.groupDepth).toBe(0);
    const pkg = l.byId.get('Package_0')!;
    const chain: string[] = [];
    for (let at = l.byId.get(pkg.parent!); at; at = at.parent ? l.byId.get(at.parent) : undefined) chain.push(at.kind);
    expect(chain).toEqual(['NUMANode', 'Group', 'Group', 'Machine']);
    expect(tooltipLines(l.byId.get(groups[1].id)!, power7, 'logical')).toEqual(['Group1 L#0', 'CPUs 0-31']);
  });

  it('folds alike groups like packages in a small view, the fold saying what it holds', () => {
    const l = layoutHost(power7, { factorize: 'auto', expanded: new Set(), keep: new Set(), frame: { width: 1056, height: 816 } });
    const folds = l.boxes.filter((b) => b.kind === 'More' && b.hidden?.kind === 'Group');
    expect(folds.length).toBeGreaterThan(0);
    expect(folds[0].hidden?.packages).toBeGreaterThan(0);
    // First and last stay drawn, as lstopo keeps them.
    expect(l.byId.has('Group0_0')).toBe(true);
    expect(l.byId.has('Group0_192')).toBe(true);
  });
});
