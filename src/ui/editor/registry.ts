/**
 * The Monaco editors on the page, so the editor's own journeys (e2e harness) can read the
 * cursor and the model without reaching into Monaco's DOM. Kept apart from the Monaco chunk so
 * that reading it never loads Monaco.
 */
import type { editor } from 'monaco-editor/editor/editor.api';

export const mountedEditors: editor.IStandaloneCodeEditor[] = [];
