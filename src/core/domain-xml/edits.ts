/**
 * The minimal-edit representation: replacements of [from, to) in the original text, in UTF-16
 * offsets (what JavaScript strings and Monaco's model.getPositionAt use), sorted and
 * non-overlapping, so an editor can apply them as one undoable step. Also the diffs between two
 * texts for changes that come without edits of their own (the page's undo and redo, an import,
 * the saved undo history).
 */
export interface TextEdit {
  from: number;
  to: number;
  text: string;
}

/** Apply sorted, non-overlapping edits to the text they were computed for. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let cursor = 0;
  for (const e of edits) {
    out += text.slice(cursor, e.from) + e.text;
    cursor = e.to;
  }
  return out + text.slice(cursor);
}

/**
 * Sort edits into a list valid for applyEdits. Insertions at one offset keep the order they
 * were made in and come before a replacement starting there. Writers never make overlapping
 * edits; should one slip through, the later one is dropped rather than corrupting the text.
 */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.from - b.e.from || a.e.to - b.e.to || a.i - b.i)
    .map((x) => x.e);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.from < last.to) continue;
    out.push(e);
  }
  return out;
}

/**
 * The smallest single replacement turning `from` into `to`: everything between their common
 * prefix and suffix. Compact (one edit to store), but it spans every change, so an editor given
 * it would move a cursor sitting between two changes: editors get minimalEdits instead.
 */
export function singleReplacement(from: string, to: string): TextEdit | undefined {
  if (from === to) return undefined;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  // Never cut a surrogate pair in half: an editor would get a lone surrogate.
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
  return { from: start, to: from.length - end, text: to.slice(start, to.length - end) };
}

/**
 * The edits turning `from` into `to` for an editor: the single replacement, split at unchanged
 * lines inside it so that an undo/redo touching two places far apart does not rewrite (and move
 * the cursor over) everything between them. One step on the editor's undo stack all the same.
 */
export function minimalEdits(from: string, to: string): TextEdit[] {
  const span = singleReplacement(from, to);
  if (!span) return [];
  return splitAtCommonLines(from, to, span.from, span.to, span.from + span.text.length);
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
    const change = singleReplacement(a[i], b[i]);
    if (change) {
      const last = edits[edits.length - 1];
      const lineEdit = { from: offset + change.from, to: offset + change.to, text: change.text };
      // Adjacent changed lines stay one edit; an equal line between them starts a new one.
      if (last && last.to + 1 === lineEdit.from && i > 0 && a[i - 1] !== b[i - 1]) {
        edits[edits.length - 1] = { from: last.from, to: lineEdit.to, text: `${last.text}${from.slice(last.to, lineEdit.from)}${lineEdit.text}` };
      } else edits.push(lineEdit);
    }
    offset += a[i].length + 1;
  }
  return edits;
}
