/**
 * The smallest edit between two texts, for changes that come from outside the editor without
 * edits of their own (the page's undo and redo, an import): applied to Monaco as a few small
 * replacements, so its undo stack gets one step and its cursor stays where the text did not
 * change. Offsets are UTF-16, as core's TextEdit; the editor turns them into positions itself.
 */
import type { TextEdit } from '../../core/domain-xml/edits.ts';

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
