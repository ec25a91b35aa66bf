/**
 * The domain XML editor as the page places it. Monaco is heavy, so this shell only lazy-loads
 * it (a separate chunk from the app's own origin) and shows the text read-only meanwhile.
 */
import { lazy, Suspense } from 'react';
import type { Diagnostic } from '../../core/diagnostics.ts';
import type { TextEdit } from '../../core/domain-xml/edits.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
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
  diagnostics: Diagnostic[];
  layout: GuestLayout | null;
  host: Host | null;
  onChange(text: string): void;
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
