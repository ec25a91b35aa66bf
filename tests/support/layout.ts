/**
 * Geometry checks on host-view layouts and lstopo's own numbering to judge them by, shared by
 * the layout tests.
 */
import { expect } from 'vitest';
import type { Box, HostLayout } from '../../src/ui/host/layout.ts';
import { runPeer } from './corpus.ts';

/** `b` lies wholly inside `p` (a hundredth of a pixel of rounding allowed). */
export function inside(b: Box, p: Box): boolean {
  return b.x >= p.x && b.y >= p.y && b.x + b.w <= p.x + p.w + 0.01 && b.y + b.h <= p.y + p.h + 0.01;
}

/** The two boxes do not overlap (touching edges are apart). */
export function apart(a: Box, c: Box): boolean {
  return a.x + a.w <= c.x || c.x + c.w <= a.x || a.y + a.h <= c.y || c.y + c.h <= a.y;
}

/** Every box inside its parent, siblings never overlapping, ids unique. */
export function expectNested(l: HostLayout): void {
  for (const b of l.boxes) {
    if (b.parent === null) continue;
    const p = l.byId.get(b.parent);
    expect(p, `${b.id}'s parent`).toBeDefined();
    if (p) expect(inside(b, p), `${b.id} inside ${p.id}`).toBe(true);
  }
  const kids = new Map<string, Box[]>();
  for (const b of l.boxes) if (b.parent) kids.set(b.parent, [...(kids.get(b.parent) ?? []), b]);
  for (const list of kids.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) expect(apart(list[i], list[j]), `${list[i].id} and ${list[j].id} overlap`).toBe(true);
    }
  }
  expect(new Set(l.boxes.map((b) => b.id)).size, 'ids are unique').toBe(l.boxes.length);
}

/** lstopo's logical numbering (P# → L#) of PUs and NUMA nodes, and its count of cores, for an XML file or synthetic string. */
export function lstopoIndexes(input: string): { pu: Map<number, number>; numa: Map<number, number>; cores: number } {
  const text = runPeer('lstopo-no-graphics', ['--input', input, '--of', 'console', '--no-io', '-v']);
  const pu = new Map([...text.matchAll(/PU L#(\d+) \(P#(\d+)/g)].map((m) => [Number(m[2]), Number(m[1])]));
  // Memory-only nodes carry their kind: "NUMANode(MCDRAM) L#1 (P#7 …".
  const numa = new Map([...text.matchAll(/NUMANode(?:\([^)]*\))? L#(\d+) \(P#(\d+)/g)].map((m) => [Number(m[2]), Number(m[1])]));
  const cores = new Set([...text.matchAll(/Core L#(\d+)/g)].map((m) => m[1])).size;
  return { pu, numa, cores };
}
