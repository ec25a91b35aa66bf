/** A quick fix: what the editor's code action or the problems list's button does to the text. */
import type { TextEdit } from '../domain-xml/edits.ts';

export interface QuickFix {
  /** What the fix does, as a button or code action says it. */
  title: string;
  /** Sorted, non-overlapping edits of the document's text. */
  edits: TextEdit[];
}
