/**
 * The Monaco editors on the page, exposed as window.numascopeEditors so that the editor's e2e
 * journeys can read the cursor and the model without reaching into Monaco's DOM. Kept apart from
 * the Monaco chunk so that reading it never loads Monaco.
 */
import type { editor } from 'monaco-editor/editor/editor.api';

export const mountedEditors: editor.IStandaloneCodeEditor[] = [];

if (typeof window !== 'undefined') (window as unknown as { numascopeEditors?: unknown }).numascopeEditors = mountedEditors;
