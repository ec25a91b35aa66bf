/**
 * The Monaco domain XML editor (lazy chunk; the page uses XmlEditor.tsx). It is controlled the
 * way an editor with an undo stack must be: outside changes arrive as edits applied with
 * executeEdits — never setValue — so the cursor stays on its text and Ctrl+Z here undoes a
 * diagram change like any other; typing goes out through onChange and the store re-reads.
 * Diagnostics become markers and a problems list; unambiguous repairs (core/guest/quickfix.ts)
 * are offered as code actions (lightbulb, Ctrl+.) and as Fix buttons, applied the same way.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Severity } from '../../core/diagnostics.ts';
import { parseDomainDocument, type DomainDocument } from '../../core/domain-xml/lossless-xml.ts';
import { applyEdits, type TextEdit } from '../../core/domain-xml/edits.ts';
import { readLayout } from '../../core/domain-xml/read.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import { quickFixes, type QuickFix } from '../../core/guest/quickfix.ts';
import { monaco } from './monaco.ts';
import { locateProblems, type Problem } from './problems.ts';
import { mountedEditors } from './registry.ts';
import { editsToRanges, minimalEdits } from './text-edits.ts';
import type { XmlEditorProps } from './XmlEditor.tsx';

const MARKER_OWNER = 'numascope';


/** What fixes are computed from: the document the editor shows now, and what it reads as. */
interface FixContext {
  doc: DomainDocument;
  layout: GuestLayout | null;
}

function fixContext(text: string, cache: { current: FixContext | null }): FixContext {
  if (cache.current?.doc.text === text) return cache.current;
  const doc = parseDomainDocument(text);
  cache.current = { doc, layout: readLayout(doc).layout };
  return cache.current;
}

const MARKER_SEVERITY: Record<Severity, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

function currentTheme(): string {
  return document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs';
}

export default function MonacoXmlEditor(props: XmlEditorProps) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  /** True while we apply outside edits: those are not the person typing. */
  const applying = useRef(false);
  const lastValue = useRef(props.value);
  const appliedVersion = useRef<number | undefined>(undefined);
  /** Texts sent through onChange and not yet echoed back as `value` (the store debounces). */
  const emitted = useRef<string[]>([]);
  const fixCache = useRef<FixContext | null>(null);
  const [text, setText] = useState(props.value);
  const [ready, setReady] = useState(false);
  const shownText = useDeferredValue(text);

  /** One undoable step on the model; the cursor follows its text (no end-cursor state given). */
  const applyToModel = (edits: readonly TextEdit[]) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || edits.length === 0) return;
    const ranges = editsToRanges(model.getValue(), edits);
    applying.current = true;
    try {
      editor.pushUndoStop();
      editor.executeEdits(
        MARKER_OWNER,
        ranges.map((r) => ({ range: new monaco.Range(r.startLineNumber, r.startColumn, r.endLineNumber, r.endColumn), text: r.text })),
      );
      editor.pushUndoStop();
    } finally {
      applying.current = false;
    }
  };

  const applyFix = (fix: QuickFix, onText: string) => {
    const model = editorRef.current?.getModel();
    // A fix is offered for one text; if the person typed since, it is recomputed, not forced.
    if (!model || model.getValue() !== onText) return;
    applyToModel(fix.edits);
    const after = model.getValue();
    emitted.current.push(after);
    propsRef.current.onChange(after);
  };
  const applyFixRef = useRef(applyFix);
  applyFixRef.current = applyFix;

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    const model = monaco.editor.createModel(propsRef.current.value, 'xml');
    const editor = monaco.editor.create(host, {
      model,
      theme: currentTheme(),
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      tabSize: 2,
      insertSpaces: true,
      lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.On },
      fixedOverflowWidgets: true,
      renderValidationDecorations: 'on',
      ariaLabel: 'Domain XML',
    });
    editorRef.current = editor;
    mountedEditors.push(editor);

    const changes = model.onDidChangeContent(() => {
      const value = model.getValue();
      setText(value);
      if (applying.current) return;
      emitted.current.push(value);
      if (emitted.current.length > 50) emitted.current.shift();
      propsRef.current.onChange(value);
    });

    // Fixes by id for the code actions' command; rebuilt on every lightbulb request.
    const offered = new Map<string, { fix: QuickFix; text: string }>();
    const command = `numascope.applyQuickFix.${model.id}`;
    const commandRegistration = monaco.editor.registerCommand(command, (_accessor, id: string) => {
      const entry = offered.get(id);
      if (entry) applyFixRef.current(entry.fix, entry.text);
    });
    const provider = monaco.languages.registerCodeActionProvider('xml', {
      provideCodeActions(target, _range, context) {
        if (target !== model) return undefined;
        const value = model.getValue();
        const ctx = fixContext(value, fixCache);
        const problems = locateProblems(ctx.doc, propsRef.current.diagnostics);
        offered.clear();
        const actions: monaco.languages.CodeAction[] = [];
        for (const marker of context.markers) {
          const problem = problems.find((p) => p.diagnostic.message === marker.message && p.startLineNumber === marker.startLineNumber);
          if (!problem) continue;
          for (const fix of quickFixes(ctx.doc, ctx.layout, problem.diagnostic)) {
            const id = String(offered.size);
            offered.set(id, { fix, text: value });
            actions.push({ title: fix.title, kind: 'quickfix', diagnostics: [marker], isPreferred: true, command: { id: command, title: fix.title, arguments: [id] } });
          }
        }
        return { actions, dispose: () => {} };
      },
    });

    const themeWatch = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    setReady(true);

    return () => {
      themeWatch.disconnect();
      provider.dispose();
      commandRegistration.dispose();
      changes.dispose();
      mountedEditors.splice(mountedEditors.indexOf(editor), 1);
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
  }, []);

  // Outside changes: the diagram's edits when they fit the text shown, else a minimal diff.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const { value, pendingEdits } = props;
    if (pendingEdits && pendingEdits.version !== appliedVersion.current) {
      appliedVersion.current = pendingEdits.version;
      if (applyEdits(model.getValue(), pendingEdits.edits) === value) {
        applyToModel(pendingEdits.edits);
        lastValue.current = value;
        emitted.current = [];
        return;
      }
    }
    if (value === lastValue.current) return;
    lastValue.current = value;
    const echo = emitted.current.indexOf(value);
    if (echo >= 0) {
      // The store caught up with text typed here; the editor may already be further on.
      emitted.current.splice(0, echo + 1);
      return;
    }
    emitted.current = [];
    applyToModel(minimalEdits(model.getValue(), value));
  }, [props.value, props.pendingEdits]);

  const ctx = useMemo(() => fixContext(shownText, fixCache), [shownText]);
  const problems = useMemo(() => locateProblems(ctx.doc, props.diagnostics), [ctx, props.diagnostics]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || model.getValue() !== ctx.doc.text) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      problems.map((p) => ({
        severity: MARKER_SEVERITY[p.diagnostic.severity],
        message: p.diagnostic.message,
        source: p.diagnostic.source,
        startLineNumber: p.startLineNumber,
        startColumn: p.startColumn,
        endLineNumber: p.endLineNumber,
        endColumn: p.endColumn,
      })),
    );
  }, [problems, ctx]);

  const reveal = (p: Problem) => {
    const editor = editorRef.current;
    if (!editor) return;
    const range = new monaco.Range(p.startLineNumber, p.startColumn, p.endLineNumber, p.endColumn);
    editor.revealRangeInCenterIfOutsideViewport(range);
    editor.setSelection(range);
    editor.focus();
  };

  return (
    <div className="xml-editor" data-testid="xml-editor">
      <div className="xml-editor-monaco" ref={container} data-testid="xml-editor-monaco" data-ready={ready} />
      <ProblemsList problems={problems} ctx={ctx} stale={text !== props.value} onReveal={reveal} onFix={(fix) => applyFix(fix, ctx.doc.text)} />
    </div>
  );
}

/** `stale`: the text changed since the diagnostics were made (the store is still re-reading). */
function ProblemsList(props: { problems: Problem[]; ctx: FixContext; stale: boolean; onReveal(p: Problem): void; onFix(fix: QuickFix): void }) {
  const { problems, ctx, stale } = props;
  if (problems.length === 0) {
    return (
      <div className={`problems empty${stale ? ' stale' : ''}`} data-testid="problems" data-stale={stale}>
        {stale ? 'Checking…' : 'No problems in the domain XML.'}
      </div>
    );
  }
  const errors = problems.filter((p) => p.diagnostic.severity === 'error').length;
  return (
    <div className={`problems${stale ? ' stale' : ''}`} data-testid="problems" data-stale={stale}>
      <div className="problems-head">
        Problems: {errors} error{errors === 1 ? '' : 's'}, {problems.length - errors} other{stale ? ' (checking the latest edit…)' : ''}
      </div>
      <ul>
        {problems.map((p) => {
          const fixes = quickFixes(ctx.doc, ctx.layout, p.diagnostic);
          return (
            <li key={p.key} className={`problem ${p.diagnostic.severity}`} data-testid="problem" data-severity={p.diagnostic.severity}>
              <button type="button" className="problem-where" onClick={() => props.onReveal(p)} title="Show in the editor">
                <span className="problem-severity">{p.diagnostic.severity}</span> line {p.startLineNumber}
              </button>
              <span className="problem-message">{p.diagnostic.message}</span>
              {fixes.map((fix) => (
                <button key={fix.title} type="button" className="problem-fix" data-testid="problem-fix" title={fix.title} onClick={() => props.onFix(fix)}>
                  Fix: {fix.title}
                </button>
              ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
