/**
 * The minimal-edit representation: replacements of [from, to) in the original text, in UTF-16
 * offsets (what JavaScript strings and Monaco's model.getPositionAt use), sorted and
 * non-overlapping, so an editor can apply them as one undoable step.
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
