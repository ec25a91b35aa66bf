/**
 * The Monaco domain XML editor (lazy chunk; the page uses XmlEditor.tsx). It is controlled the
 * way an editor with an undo stack must be: outside changes arrive as edits applied with
 * executeEdits — never setValue — so the cursor stays on its text and Ctrl+Z here undoes a
 * diagram change like any other; typing goes out through onChange and the store re-reads.
 * Outside changes are applied as the store announces them (`follow`), before React renders the
 * rest of the page, so the text is on screen in the next frame. The problems come located and
 * with their fixes from the document worker: the page never parses the XML. They become markers
 * and a problems list; unambiguous repairs are offered as code actions (lightbulb, Ctrl+.) and as
 * Fix buttons, applied the same way, and only to the very text they were computed on.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Severity } from '../../core/diagnostics.ts';
import { applyEdits, minimalEdits, type TextEdit } from '../../core/domain-xml/edits.ts';
import type { QuickFix } from '../../core/guest/quickfix.ts';
import { useAfterFrame } from '../after-frame.ts';
import { monaco } from './monaco.ts';
import type { Problem } from '../../state/engine.ts';
import { mountedEditors } from './registry.ts';
import { ProblemsResizer } from './ProblemsResizer.tsx';
import type { PendingEdits, XmlEditorProps } from './XmlEditor.tsx';

const MARKER_OWNER = 'numascope';

/** A problem placed in the editor's model. */
interface Located {
  key: string;
  problem: Problem;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** The problems list as last located: on the model at `versionId` (Monaco's alternative version, which undo returns to). */
interface Shown {
  located: Located[];
  versionId: number;
}

function locate(model: monaco.editor.ITextModel, problems: readonly Problem[]): Located[] {
  return problems.map((problem) => {
    const start = model.getPositionAt(problem.from);
    const end = model.getPositionAt(problem.to);
    return {
      key: `${problem.from}:${problem.diagnostic.severity}:${problem.diagnostic.message}`,
      problem,
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: end.column,
    };
  });
}

function sameMarkers(shown: readonly monaco.editor.IMarker[], wanted: readonly monaco.editor.IMarkerData[]): boolean {
  return (
    shown.length === wanted.length &&
    wanted.every((w, i) => {
      const m = shown[i];
      return (
        m.severity === w.severity &&
        m.message === w.message &&
        m.startLineNumber === w.startLineNumber &&
        m.startColumn === w.startColumn &&
        m.endLineNumber === w.endLineNumber &&
        m.endColumn === w.endColumn
      );
    })
  );
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
  /** The store's version of the text the model held after the last outside edits, and the model's version then. */
  const inStepWith = useRef<{ version: number; modelVersion: number } | null>(null);
  /** Texts sent through onChange and not yet echoed back as `value` (the store debounces). */
  const emitted = useRef<string[]>([]);
  const [versionId, setVersionId] = useState<number | null>(null);
  const [ready, setReady] = useState(false);
  /** The problems as last placed in the model; kept (and marked stale) while newer text is read. */
  const shownRef = useRef<Shown | null>(null);
  // The problems follow the text a frame behind: new markers redraw every line in view, which
  // the frame that shows a drop's edit can do without. Their list judges staleness by the
  // version it was drawn beside, so it does not flash "checking" in between.
  const reading = useAfterFrame(useMemo(() => ({ problems: props.problems, problemsFor: props.problemsFor, versionId }), [props.problems, props.problemsFor, versionId]));
  // Placed while rendering, not in an effect: showing them must not cost a second render.
  const placed = useMemo(() => {
    const model = editorRef.current?.getModel();
    if (!model || reading.problemsFor === null || model.getValue() !== reading.problemsFor) return null;
    return { located: locate(model, reading.problems), versionId: model.getAlternativeVersionId() };
  }, [reading, ready]);
  const shown = placed ?? shownRef.current;
  shownRef.current = shown;

  /** One undoable step on the model; the cursor follows its text (no end-cursor state given). */
  const applyToModel = (edits: readonly TextEdit[]) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || edits.length === 0) return;
    // Offsets into the model's own text: Monaco places them with its line index, without copying the text out.
    const operations = edits.map((e) => {
      const from = model.getPositionAt(e.from);
      const to = model.getPositionAt(e.to);
      return { range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: e.text };
    });
    applying.current = true;
    try {
      editor.pushUndoStop();
      editor.executeEdits(MARKER_OWNER, operations);
      editor.pushUndoStop();
    } finally {
      applying.current = false;
    }
  };

  /** A change made outside: the diagram's edits when they fit the text shown, else a minimal diff. */
  const applyOutside = (value: string, pendingEdits: PendingEdits | undefined) => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    if (pendingEdits && pendingEdits.version !== appliedVersion.current) {
      appliedVersion.current = pendingEdits.version;
      // Still on the text the last outside change left (nobody typed since), the edits fit without
      // comparing texts — a 5 MB domain is not copied out of the model on every drop.
      const inStep = inStepWith.current?.version === pendingEdits.baseVersion && inStepWith.current.modelVersion === model.getAlternativeVersionId();
      if (inStep || applyEdits(model.getValue(), pendingEdits.edits) === value) {
        applyToModel(pendingEdits.edits);
        inStepWith.current = { version: pendingEdits.version, modelVersion: model.getAlternativeVersionId() };
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
  };
  const applyOutsideRef = useRef(applyOutside);
  applyOutsideRef.current = applyOutside;

  /** A fix applies only to the text its problem was found in: after typing, the next read offers it again. */
  const applyFix = (fix: QuickFix) => {
    const model = editorRef.current?.getModel();
    if (!model || shownRef.current?.versionId !== model.getAlternativeVersionId()) return;
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
      // Monaco on Linux measures every position in the DOM (no monospace shortcut there), and the
      // indentation guides are a measurement per visible line on each edit: ~2 ms of a drop's frame.
      guides: { indentation: false },
      ariaLabel: 'Domain XML',
    });
    // Bracket-pair colouring paints nothing in XML (its angle brackets are not colourised pairs),
    // yet with it on each edit re-parses the bracket pairs and asks them of every line in view
    // (about 1 ms of a drop's frame). A model option, set once the editor exists:
    // creating the editor applies the global default to its model again.
    model.updateOptions({ bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } });
    editorRef.current = editor;
    mountedEditors.push(editor);
    setVersionId(model.getAlternativeVersionId());

    const changes = model.onDidChangeContent(() => {
      setVersionId(model.getAlternativeVersionId());
      if (applying.current) return;
      const value = model.getValue();
      emitted.current.push(value);
      if (emitted.current.length > 50) emitted.current.shift();
      propsRef.current.onChange(value);
    });

    // Fixes by id for the code actions' command; rebuilt on every lightbulb request.
    const offered = new Map<string, QuickFix>();
    const command = `numascope.applyQuickFix.${model.id}`;
    const commandRegistration = monaco.editor.registerCommand(command, (_accessor, id: string) => {
      const fix = offered.get(id);
      if (fix) applyFixRef.current(fix);
    });
    const provider = monaco.languages.registerCodeActionProvider('xml', {
      provideCodeActions(target, _range, context) {
        if (target !== model) return undefined;
        offered.clear();
        const current = shownRef.current;
        const actions: monaco.languages.CodeAction[] = [];
        if (!current || current.versionId !== model.getAlternativeVersionId()) return { actions, dispose: () => {} };
        for (const marker of context.markers) {
          const at = current.located.find((p) => p.problem.diagnostic.message === marker.message && p.startLineNumber === marker.startLineNumber);
          if (!at) continue;
          for (const fix of at.problem.fixes) {
            const id = String(offered.size);
            offered.set(id, fix);
            actions.push({ title: fix.title, kind: 'quickfix', diagnostics: [marker], isPreferred: true, command: { id: command, title: fix.title, arguments: [id] } });
          }
        }
        return { actions, dispose: () => {} };
      },
    });

    const themeWatch = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    // Outside changes as the store makes them, not after the page has rendered them.
    const unfollow = propsRef.current.follow?.((value, pendingEdits) => applyOutsideRef.current(value, pendingEdits));
    setReady(true);

    return () => {
      unfollow?.();
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

  // Outside changes that came only as props (an editor without `follow`, or one mounted meanwhile).
  useEffect(() => {
    applyOutside(props.value, props.pendingEdits);
  }, [props.value, props.pendingEdits]);

  // New problems, once placed in the model, become its markers.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || !placed) return;
    const markers = placed.located.map((p) => ({
      severity: MARKER_SEVERITY[p.problem.diagnostic.severity],
      message: p.problem.diagnostic.message,
      source: p.problem.diagnostic.source,
      startLineNumber: p.startLineNumber,
      startColumn: p.startColumn,
      endLineNumber: p.endLineNumber,
      endColumn: p.endColumn,
    }));
    // Setting the same markers again redraws every line in view: a drop usually changes none.
    const current = monaco.editor.getModelMarkers({ owner: MARKER_OWNER, resource: model.uri });
    if (!sameMarkers(current, markers)) monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  }, [placed]);

  // Stable, like the list's other inputs, so the list renders only when its problems or their staleness change.
  const reveal = useCallback((p: Located) => {
    const editor = editorRef.current;
    if (!editor) return;
    const range = new monaco.Range(p.startLineNumber, p.startColumn, p.endLineNumber, p.endColumn);
    editor.revealRangeInCenterIfOutsideViewport(range);
    editor.setSelection(range);
    editor.focus();
  }, []);

  const fix = useCallback((f: QuickFix) => applyFixRef.current(f), []);

  const stale = !shown || shown.versionId !== reading.versionId;
  const [problemsHeight, setProblemsHeight] = useState(problemsHeightKept);
  useEffect(() => {
    problemsHeightKept = problemsHeight;
  }, [problemsHeight]);
  return (
    <div className="xml-editor" data-testid="xml-editor">
      <div className="xml-editor-monaco" ref={container} data-testid="xml-editor-monaco" data-ready={ready} />
      <ProblemsResizer height={problemsHeight} onResize={setProblemsHeight} />
      <ProblemsList located={shown?.located ?? NO_PROBLEMS} stale={stale} height={problemsHeight} onReveal={reveal} onFix={fix} />
    </div>
  );
}

const NO_PROBLEMS: Located[] = [];

/**
 * The problems list's height in px, as last set, for the next guest's editor: room for a head and
 * six problems with their fix buttons (e2e checks eight at 1600×1000 show six unscrolled).
 */
let problemsHeightKept = 236;

/** `stale`: the text changed since the problems were found (the store is still re-reading); their fixes wait for the next read. */
const ProblemsList = memo(function ProblemsList(props: { located: Located[]; stale: boolean; height: number; onReveal(p: Located): void; onFix(fix: QuickFix): void }) {
  const { located, stale, height } = props;
  if (located.length === 0) {
    return (
      <div className={`problems empty${stale ? ' stale' : ''}`} style={{ height }} data-testid="problems" data-stale={stale}>
        {stale ? 'Checking…' : 'No problems in the domain XML.'}
      </div>
    );
  }
  const errors = located.filter((p) => p.problem.diagnostic.severity === 'error').length;
  return (
    <div className={`problems${stale ? ' stale' : ''}`} style={{ height }} data-testid="problems" data-stale={stale}>
      <div className="problems-head">
        Problems: {errors} error{errors === 1 ? '' : 's'}, {located.length - errors} other{stale ? ' (checking the latest edit…)' : ''}
      </div>
      <ul>
        {located.map((p) => {
          const d = p.problem.diagnostic;
          return (
            <li key={p.key} className={`problem ${d.severity}`} data-testid="problem" data-severity={d.severity}>
              <button type="button" className="problem-where" onClick={() => props.onReveal(p)} title="Show in the editor">
                <span className="problem-severity">{d.severity}</span> line {p.startLineNumber}
              </button>
              <span className="problem-message" title={d.message}>
                {d.message}
              </span>
              {!stale &&
                p.problem.fixes.map((fix) => (
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
});
