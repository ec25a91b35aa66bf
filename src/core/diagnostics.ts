/**
 * Every parser reports problems as data, never as exceptions: a person pasting a
 * broken dump must see what is wrong and where, and keep everything that was fine.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Name of the paste (or file) the problem is in. */
  source: string;
  /** 1-based line in that paste; absent only when the problem is about the whole paste. */
  line?: number;
  /** 1-based column, where the format makes it meaningful (XML). */
  column?: number;
  /**
   * XPath-like location in the domain XML ("/domain/cpu/numa/cell[@id='1']") for problems found
   * on a GuestLayout, which has no lines; the XML layer maps it to a line.
   */
  path?: string;
  message: string;
}

/** Small helper so parsers can collect diagnostics for one source without repeating its name. */
export interface DiagnosticSink {
  readonly list: Diagnostic[];
  error(line: number | undefined, message: string, column?: number): void;
  warning(line: number | undefined, message: string, column?: number): void;
  info(line: number | undefined, message: string, column?: number): void;
}

export function diagnosticSink(source: string): DiagnosticSink {
  const list: Diagnostic[] = [];
  const add = (severity: Severity) => (line: number | undefined, message: string, column?: number) => {
    const d: Diagnostic = { severity, source, message };
    if (line !== undefined) d.line = line;
    if (column !== undefined) d.column = column;
    list.push(d);
  };
  return { list, error: add('error'), warning: add('warning'), info: add('info') };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where =
    d.line !== undefined
      ? `${d.source}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`
      : d.path !== undefined
        ? `${d.source} ${d.path}`
        : d.source;
  return `${where}: ${d.severity}: ${d.message}`;
}
