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

/**
 * More problems than a person reads about one source: past this many, one last diagnostic
 * counts the rest. 200,000 stray tags are one mistake repeated, and listing each would cost
 * more than reading the paste.
 */
export const MAX_DIAGNOSTICS_PER_SOURCE = 200;

export function diagnosticSink(source: string): DiagnosticSink {
  const list: Diagnostic[] = [];
  let unlisted: Diagnostic | undefined;
  let unlistedCount = 0;
  const add = (severity: Severity) => (line: number | undefined, message: string, column?: number) => {
    if (list.length >= MAX_DIAGNOSTICS_PER_SOURCE) {
      if (!unlisted) list.push((unlisted = { severity, source, message: '' }));
      unlistedCount++;
      if (rank(severity) < rank(unlisted.severity)) unlisted.severity = severity;
      unlisted.message = `${unlistedCount} more problem${unlistedCount === 1 ? '' : 's'} in this paste not listed (the first ${MAX_DIAGNOSTICS_PER_SOURCE} are)`;
      return;
    }
    const d: Diagnostic = { severity, source, message };
    if (line !== undefined) d.line = line;
    if (column !== undefined) d.column = column;
    list.push(d);
  };
  return { list, error: add('error'), warning: add('warning'), info: add('info') };
}

function rank(severity: Severity): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
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
