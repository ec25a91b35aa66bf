/**
 * The store ↔ Monaco mapping: offsets to line/column (checked against the domain XML engine's
 * own line index, an independent implementation, and against hand-counted \r\n and \r cases)
 * and the minimal diff used for undo/redo and imports from outside the editor, on random texts
 * and on a real diagram edit of the talk's golden domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, parseDomainDocument, positionOf, writeLayout } from '../../src/core/domain-xml/index.ts';
import { edit } from '../../src/core/partition/edit.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { editsToRanges, lineStarts, minimalEdits, offsetToPosition, positionToOffset, type RangeEdit } from '../../src/ui/editor/text-edits.ts';
import { talkExample1, talkHost } from '../support/golden.ts';

/** XML-ish text with the characters that matter: line breaks, quotes, astral characters. */
const xmlish = fc.string({ unit: fc.constantFrom('<', '>', 'a', 'b', '1', ' ', '\n', "'", 'é', '😀'), maxLength: 80 });

/** Applies line/column edits to a text the way an editor model does: on an array of lines. */
function applyRangeEdits(text: string, ranges: RangeEdit[]): string {
  const lines = text.split('\n');
  for (const r of [...ranges].reverse()) {
    const head = lines[r.startLineNumber - 1].slice(0, r.startColumn - 1);
    const tail = lines[r.endLineNumber - 1].slice(r.endColumn - 1);
    lines.splice(r.startLineNumber - 1, r.endLineNumber - r.startLineNumber + 1, ...`${head}${r.text}${tail}`.split('\n'));
  }
  return lines.join('\n');
}

describe('offsets and positions', () => {
  it("agree with the XML engine's line index on every offset of the golden domain", () => {
    const text = writeLayout(null, talkExample1()).text;
    const doc = parseDomainDocument(text);
    const starts = lineStarts(text);
    for (let o = 0; o <= text.length; o += 7) {
      const p = offsetToPosition(starts, o);
      expect({ line: p.lineNumber, column: p.column }).toEqual(positionOf(doc, o));
      expect(positionToOffset(starts, p)).toBe(o);
    }
  });

  it('count \\r\\n and a lone \\r as one break, as Monaco does', () => {
    const starts = lineStarts('ab\r\ncd\ref\ng');
    expect(starts).toEqual([0, 4, 7, 10]);
    expect(offsetToPosition(starts, 5)).toEqual({ lineNumber: 2, column: 2 });
    expect(offsetToPosition(starts, 11)).toEqual({ lineNumber: 4, column: 2 });
  });

  it('core edits mapped to ranges make the same text as applying the offsets', () => {
    fc.assert(
      fc.property(xmlish, xmlish, (a, b) => {
        const edits = minimalEdits(a, b);
        expect(applyRangeEdits(a, editsToRanges(a, edits))).toBe(b);
      }),
      { numRuns: 300 },
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
        for (const e of edits) {
          expect(e.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
          expect(a.slice(e.from, e.to)).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
        }
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
