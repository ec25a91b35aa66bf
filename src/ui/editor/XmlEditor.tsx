/**
 * The domain XML editor as the page places it. Monaco is heavy, so this shell only lazy-loads
 * it (a separate chunk from the app's own origin) and shows the text read-only meanwhile.
 */
import { lazy, Suspense } from 'react';
import type { TextEdit } from '../../core/domain-xml/edits.ts';
import type { Problem } from '../../state/engine.ts';
import './editor.css';

/** Changes made outside the editor (the diagram), as edits of the text shown at baseVersion. */
export interface PendingEdits {
  version: number;
  baseVersion: number;
  edits: TextEdit[];
}

export interface XmlEditorProps {
  value: string;
  pendingEdits?: PendingEdits;
  /** The problems found in the text `problemsFor`, located on it, with their fixes. */
  problems: Problem[];
  /** The text the problems are about; null while the latest text is still being read. */
  problemsFor: string | null;
  onChange(text: string): void;
  /**
   * Subscribes the editor to outside changes as they are made (it applies them at once, before
   * the page renders them); returns the unsubscribe. Without it, changes arrive as props.
   */
  follow?(apply: (value: string, pendingEdits: PendingEdits | undefined) => void): () => void;
}

const MonacoXmlEditor = lazy(() => import('./MonacoXmlEditor.tsx'));

export function XmlEditor(props: XmlEditorProps) {
  return (
    <Suspense
      fallback={
        <div className="xml-editor loading" data-testid="xml-editor" data-ready="false">
          <pre className="xml-editor-fallback" aria-busy="true">
            {props.value}
          </pre>
        </div>
      }
    >
      <MonacoXmlEditor {...props} />
    </Suspense>
  );
}
