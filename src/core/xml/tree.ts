/**
 * A small, strict, non-validating XML reader for host dumps (hwloc XML, virsh capabilities,
 * nodedev XML). It keeps the line and column of every element so diagnostics can point at
 * them, recovers from damage instead of throwing, and never expands anything a document
 * declares: an internal DTD subset (where entity bombs live) is refused, external DTDs
 * (hwloc's `<!DOCTYPE topology SYSTEM "hwloc2.dtd">`) are ignored, never fetched.
 */
import { diagnosticSink, type Diagnostic, type DiagnosticSink } from '../diagnostics.ts';
import { characterReference, DOUBLE_QUOTE, EQUALS, GT, isBlankRange, isNameStart, isSpace, predefinedEntity, scanName, SINGLE_QUOTE, SLASH } from './lexical.ts';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element, entities decoded. */
  text: string;
  line: number;
  column: number;
}

export interface XmlParseResult {
  /** Top-level elements in document order (several when dumps were concatenated). */
  roots: XmlElement[];
  diagnostics: Diagnostic[];
  /**
   * The text ends before the document does (elements left open, a tag or comment cut short):
   * already reported once, so readers should not also report what the missing end leaves out.
   */
  truncated: boolean;
}

/**
 * Deeper than any host dump nests: an hwloc XML of a 32-socket machine with groups, dies,
 * caches and I/O trees is about 20 levels, virsh capabilities under 10. Past this, the text is
 * not a dump, and reading on would only build a tree the readers would have to walk.
 */
export const MAX_XML_DEPTH = 256;

export function parseXml(text: string, source: string): XmlParseResult {
  const sink = diagnosticSink(source);
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  /** Set when the text ends inside a comment, CDATA section, PI or DOCTYPE, reported there. */
  let cutInside = false;
  /** A start tag the text ends inside: half read, so left out of the tree, but where the cut is. */
  let cutTag: XmlElement | undefined;
  /** Set when nesting passed MAX_XML_DEPTH: reading stopped there, and said so. */
  let tooDeep = false;

  // Lines are counted lazily up to the position being reported.
  const locate = (p: number): { line: number; column: number } => {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < p; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
      counted = i + 1;
    }
    if (counted < p) counted = p;
    return { line, column: p - lineStart + 1 };
  };
  const error = (p: number, message: string) => {
    const at = locate(p);
    sink.error(at.line, message, at.column);
  };
  const decode = (raw: string, p: number): string =>
    raw.indexOf('&') < 0
      ? raw
      : raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);?/g, (whole, ent: string) => {
          if (!whole.endsWith(';')) {
            error(p, `'&' must start an entity such as &amp; (found '${whole}')`);
            return whole;
          }
          if (ent[0] === '#') return characterReference(ent) ?? '\uFFFD';
          const known = predefinedEntity(ent);
          if (known !== undefined) return known;
          error(p, `entity &${ent}; is not defined; numascope does not expand declared entities`);
          return whole;
        });

  // Indentation between elements is not content in any host format; skipping it keeps a
  // 2 MB hwloc XML from building megabytes of whitespace strings.
  const addText = (from: number, to: number) => {
    let k = from;
    while (k < to && isSpace(text.charCodeAt(k))) k++;
    if (k === to) return;
    if (stack.length > 0) stack[stack.length - 1].text += decode(text.slice(from, to), from);
    else error(from, 'text outside the root element');
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      addText(pos, text.length);
      break;
    }
    if (lt > pos) addText(pos, lt);
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) {
        error(pos, 'comment is never closed (missing -->)');
        cutInside = true;
        break;
      }
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) {
        error(pos, 'CDATA section is never closed (missing ]]>)');
        cutInside = true;
        break;
      }
      if (stack.length > 0) stack[stack.length - 1].text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) {
        error(pos, 'processing instruction is never closed (missing ?>)');
        cutInside = true;
        break;
      }
      pos = end + 2;
    } else if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) {
      const bracket = text.indexOf('[', pos);
      const close = text.indexOf('>', pos);
      if (close < 0) {
        error(pos, 'DOCTYPE is never closed');
        cutInside = true;
        break;
      }
      if (bracket >= 0 && bracket < close) {
        error(pos, 'DOCTYPE with an internal subset is refused (it can define entities); remove the <!DOCTYPE …[…]> block');
        const end = text.indexOf(']>', bracket);
        pos = end < 0 ? text.length : end + 2;
      } else {
        pos = close + 1;
      }
    } else if (text[pos + 1] === '/') {
      const nameEnd = tagName(text, pos + 2);
      const close = text.indexOf('>', pos);
      // Cut inside a closing tag: the element it would close is still open, reported below.
      if (close < 0 && stack.length > 0 && (nameEnd >= 0 || isBlankRange(text, pos + 2, text.length))) break;
      if (nameEnd < 0 || close < 0) {
        error(pos, 'malformed closing tag');
        pos = close < 0 ? text.length : close + 1;
        continue;
      }
      const name = text.slice(pos + 2, nameEnd);
      const openIndex = findOpen(stack, name);
      if (openIndex < 0) {
        error(pos, `closing tag </${name}> has no matching <${name}>`);
      } else {
        for (let i = stack.length - 1; i > openIndex; i--) {
          const unclosed = stack[i];
          sink.error(unclosed.line, `<${unclosed.name}> is never closed (found </${name}>)`, unclosed.column);
        }
        stack.length = openIndex;
      }
      pos = close + 1;
    } else {
      const nameEnd = tagName(text, pos + 1);
      if (nameEnd < 0 && stack.length > 0 && isBlankRange(text, pos + 1, text.length)) break; // cut right after '<'
      if (nameEnd < 0) {
        error(pos, "'<' must start a tag; write &lt; for a literal '<'");
        if (stack.length > 0) stack[stack.length - 1].text += '<';
        pos++;
        continue;
      }
      const at = locate(pos);
      const element: XmlElement = { name: text.slice(pos + 1, nameEnd), attrs: {}, children: [], text: '', line: at.line, column: at.column };
      let p = readAttributes(text, nameEnd, element.attrs, decode);
      let selfClosing = false;
      if (text.startsWith('/>', p)) {
        selfClosing = true;
        p += 2;
      } else if (text.charCodeAt(p) === GT) {
        p += 1;
      } else {
        const close = text.indexOf('>', p);
        if (close < 0) {
          cutTag = element;
          break;
        }
        error(p, `malformed attributes in <${element.name}>`);
        selfClosing = text.charCodeAt(close - 1) === SLASH;
        p = close + 1;
      }
      if (stack.length >= MAX_XML_DEPTH) {
        error(pos, `<${element.name}> nests ${MAX_XML_DEPTH + 1} elements deep, deeper than any host dump; the rest of the paste is not read`);
        tooDeep = true;
        break;
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else roots.push(element);
      if (!selfClosing) stack.push(element);
      pos = p;
    }
  }
  // A comment cut off at the end has said so already: one diagnostic is enough.
  const open = cutTag ? [...stack, cutTag] : stack;
  if (open.length > 0 && !cutInside && !tooDeep) reportCutOff(open, locate(text.length), sink);
  if (!tooDeep) dropCutValue(stack, roots);
  if (roots.length === 0 && sink.list.length === 0) sink.error(undefined, 'no XML element found');
  return { roots, diagnostics: sink.list, truncated: cutInside || tooDeep || open.length > 0 };
}

/**
 * A paste that ends with elements still open was cut off: one diagnostic where it ends,
 * naming the innermost element (where the text stops) and how many enclose it, rather than one
 * per open element, which for an hwloc XML cut inside a PU is ten errors far from each other.
 */
function reportCutOff(stack: readonly XmlElement[], end: { line: number; column: number }, sink: DiagnosticSink): void {
  const inner = stack[stack.length - 1];
  const outer = stack[0];
  const enclosing = stack.length > 1 ? ` (${stack.length} elements are left open, the outermost <${outer.name}> at line ${outer.line})` : '';
  sink.error(end.line, `the paste ends inside <${inner.name}> opened at line ${inner.line} — cut off?${enclosing}`, end.column);
}

/**
 * The innermost element the text ends inside, when it holds no elements, is a value cut short
 * (`<memory unit='KiB'>1234` of 123456): left out, so no reader takes 1234 for the value.
 */
function dropCutValue(stack: XmlElement[], roots: XmlElement[]): void {
  const inner = stack[stack.length - 1];
  if (inner === undefined || inner.children.length > 0) return;
  const siblings = stack.length > 1 ? stack[stack.length - 2].children : roots;
  siblings.splice(siblings.indexOf(inner), 1);
}

/** End of the tag name at `p`, or -1 when none starts there (`1 < 2` is text, not a tag). */
function tagName(text: string, p: number): number {
  return isNameStart(text.charCodeAt(p)) ? scanName(text, p + 1) : -1;
}

/**
 * `name="value"` pairs from `p` up to the end of the tag, scanned by character code: a 4096-PU
 * hwloc XML has ~100 000 attributes, and a regex per attribute costs more than the rest of the
 * parse. Returns where scanning stopped (at `>` or `/>` when the tag is well formed).
 */
function readAttributes(text: string, p: number, attrs: Record<string, string>, decode: (raw: string, p: number) => string): number {
  const n = text.length;
  for (;;) {
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    const nameStart = p;
    p = scanName(text, p);
    if (p === nameStart) return p;
    const name = text.slice(nameStart, p);
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) !== EQUALS) return nameStart;
    p++;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    const quote = text.charCodeAt(p);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return nameStart;
    const end = text.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", p + 1);
    if (end < 0) return nameStart;
    const raw = text.slice(p + 1, end);
    attrs[name] = raw.indexOf('&') < 0 ? raw : decode(raw, p + 1);
    p = end + 1;
  }
}

function findOpen(stack: XmlElement[], name: string): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].name === name) return i;
  return -1;
}

/** Children with a given element name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Depth-first walk over an element and all its descendants. */
export function* walk(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of element.children) yield* walk(child);
}
