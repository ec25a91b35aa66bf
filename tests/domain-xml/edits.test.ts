/**
 * The diffs between two texts: the single replacement the saved undo history keeps, and the
 * minimal edits an editor gets for undo/redo and imports from outside it, on random texts and on
 * a real diagram edit of the talk's golden domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, minimalEdits, parseDomainDocument, singleReplacement, writeLayout } from '../../src/core/domain-xml/index.ts';
import { edit } from '../../src/core/partition/edit.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { talkExample1, talkHost } from '../support/golden.ts';

/** XML-ish text with the characters that matter: line breaks, quotes, astral characters. */
const xmlish = fc.string({ unit: fc.constantFrom('<', '>', 'a', 'b', '1', ' ', '\n', "'", 'é', '😀'), maxLength: 80 });

/** Neither end of an edit, nor of what it replaces, is half a surrogate pair. */
function wholeCharacters(a: string, e: { from: number; to: number; text: string }): void {
  expect(e.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  expect(a.slice(e.from, e.to)).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
}

describe('single replacement', () => {
  it('is the middle between the common prefix and suffix, never splitting a surrogate pair', () => {
    expect(singleReplacement('abcdef', 'abXdef')).toEqual({ from: 2, to: 3, text: 'X' });
    expect(singleReplacement('a😀b', 'a😃b')).toEqual({ from: 1, to: 3, text: '😃' });
    expect(singleReplacement('same', 'same')).toBeUndefined();
  });

  it('turns any text into any other', () => {
    fc.assert(
      fc.property(xmlish, xmlish, (a, b) => {
        const e = singleReplacement(a, b);
        expect(applyEdits(a, e ? [e] : [])).toBe(b);
        if (e) wholeCharacters(a, e);
        else expect(a).toBe(b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('minimal edits', () => {
  it('turn any text into any other, sorted and non-overlapping, never splitting a surrogate pair', () => {
    fc.assert(
      fc.property(xmlish, xmlish, (a, b) => {
        const edits = minimalEdits(a, b);
        expect(applyEdits(a, edits)).toBe(b);
        for (let i = 1; i < edits.length; i++) expect(edits[i].from).toBeGreaterThan(edits[i - 1].to);
        for (const e of edits) wholeCharacters(a, e);
        if (a === b) expect(edits).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("undoing a diagram edit from outside touches only what the writer touched (vCPU 5 onto node 2)", () => {
    const host = talkHost();
    const before = writeLayout(null, talkExample1()).text;
    const moved = edit(host, talkExample1(), { kind: 'pin-vcpu', vcpu: 5, target: { node: 2 } }, NO_OCCUPANCY);
    const written = writeLayout(parseDomainDocument(before), moved.layout);
    expect(written.edits.length).toBeGreaterThan(1);
    // Undo from the store: the editor shows `after` and must go back to `before`.
    const undo = minimalEdits(written.text, before);
    expect(applyEdits(written.text, undo)).toBe(before);
    const touched = (edits: { from: number; to: number; text: string }[]) => edits.reduce((s, e) => s + (e.to - e.from) + e.text.length, 0);
    const writerTouched = touched(written.edits);
    expect(touched(undo)).toBeLessThanOrEqual(writerTouched);
    // The untouched lines between the writer's hunks stay out of the diff: the cursor there stays.
    expect(undo.length).toBeGreaterThan(1);
  });
});
