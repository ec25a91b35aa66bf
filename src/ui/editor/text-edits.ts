/**
 * Offsets ↔ editor positions, and the smallest edit between two texts. The store speaks in
 * UTF-16 offsets (core's TextEdit); Monaco speaks in 1-based line/column ranges. Both are
 * computed on the text the editor shows, with Monaco's own line breaks (\r\n, \r, \n), so an
 * edit lands where the store meant it and Monaco's undo stack gets one step per change.
 */
import type { TextEdit } from '../../core/domain-xml/edits.ts';

export interface EditorPosition {
  lineNumber: number;
  column: number;
}

export interface RangeEdit {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  text: string;
}

/** Where each line starts; a line ends at the next break, \r\n counting as one. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

export function offsetToPosition(starts: readonly number[], offset: number): EditorPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { lineNumber: lo + 1, column: offset - starts[lo] + 1 };
}

export function positionToOffset(starts: readonly number[], p: EditorPosition): number {
  return starts[Math.min(Math.max(p.lineNumber, 1), starts.length) - 1] + p.column - 1;
}

/** Core edits (offsets into `text`) as Monaco edit operations on a model holding `text`. */
export function editsToRanges(text: string, edits: readonly TextEdit[]): RangeEdit[] {
  const starts = lineStarts(text);
  return edits.map((e) => {
    const from = offsetToPosition(starts, e.from);
    const to = offsetToPosition(starts, e.to);
    return { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column, text: e.text };
  });
}

/**
 * The edits turning `from` into `to`: the differing middle after the common prefix and suffix,
 * split at unchanged lines in between so that an undo/redo touching two places far apart does
 * not rewrite (and move the cursor over) everything between them.
 */
export function minimalEdits(from: string, to: string): TextEdit[] {
  if (from === to) return [];
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endFrom = from.length;
  let endTo = to.length;
  while (endFrom > start && endTo > start && from.charCodeAt(endFrom - 1) === to.charCodeAt(endTo - 1)) {
    endFrom--;
    endTo--;
  }
  // Never cut a surrogate pair in half: Monaco would get a lone surrogate.
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  if (endFrom < from.length && isLowSurrogate(from.charCodeAt(endFrom))) {
    endFrom++;
    endTo++;
  }
  return splitAtCommonLines(from, to, start, endFrom, endTo);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Inside the changed middle, lines equal in both texts at the same distance from the start of
 * the middle (a diagram edit changes values in place) separate independent hunks.
 */
function splitAtCommonLines(from: string, to: string, start: number, endFrom: number, endTo: number): TextEdit[] {
  const a = from.slice(start, endFrom).split('\n');
  const b = to.slice(start, endTo).split('\n');
  if (a.length !== b.length || a.length < 3) return [{ from: start, to: endFrom, text: to.slice(start, endTo) }];
  const edits: TextEdit[] = [];
  let offset = start;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const last = edits[edits.length - 1];
      const lineEdit = lineDiff(a[i], b[i], offset);
      // Adjacent changed lines stay one edit; an equal line between them starts a new one.
      if (last && last.to + 1 === lineEdit.from && i > 0 && a[i - 1] !== b[i - 1]) {
        edits[edits.length - 1] = { from: last.from, to: lineEdit.to, text: `${last.text}${from.slice(last.to, lineEdit.from)}${lineEdit.text}` };
      } else edits.push(lineEdit);
    }
    offset += a[i].length + 1;
  }
  return edits;
}

function lineDiff(a: string, b: string, offset: number): TextEdit {
  let s = 0;
  while (s < a.length && s < b.length && a.charCodeAt(s) === b.charCodeAt(s)) s++;
  let ea = a.length;
  let eb = b.length;
  while (ea > s && eb > s && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  if (s > 0 && isHighSurrogate(a.charCodeAt(s - 1))) s--;
  if (ea < a.length && isLowSurrogate(a.charCodeAt(ea))) {
    ea++;
    eb++;
  }
  return { from: offset + s, to: offset + ea, text: b.slice(s, eb) };
}
