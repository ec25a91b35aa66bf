/**
 * A small, strict, non-validating XML reader for host dumps (hwloc XML, virsh capabilities,
 * nodedev XML). It keeps the line and column of every element so diagnostics can point at
 * them, recovers from damage instead of throwing, and never expands anything a document
 * declares: an internal DTD subset (where entity bombs live) is refused, external DTDs
 * (hwloc's `<!DOCTYPE topology SYSTEM "hwloc2.dtd">`) are ignored, never fetched.
 */
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';

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
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(text: string, source: string): XmlParseResult {
  const sink = diagnosticSink(source);
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let counted = 0;

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
          if (ent[0] === '#') {
            const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
            return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
          }
          const known = PREDEFINED[ent];
          if (known !== undefined) return known;
          error(p, `entity &${ent}; is not defined; numascope does not expand declared entities`);
          return whole;
        });

  // Indentation between elements is not content in any host format; skipping it keeps a
  // 2 MB hwloc XML from building megabytes of whitespace strings.
  const addText = (raw: string, p: number) => {
    if (!/\S/.test(raw)) return;
    if (stack.length > 0) stack[stack.length - 1].text += decode(raw, p);
    else error(p, 'text outside the root element');
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      addText(text.slice(pos), pos);
      break;
    }
    if (lt > pos) addText(text.slice(pos, lt), pos);
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) {
        error(pos, 'comment is never closed (missing -->)');
        break;
      }
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) {
        error(pos, 'CDATA section is never closed (missing ]]>)');
        break;
      }
      if (stack.length > 0) stack[stack.length - 1].text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) {
        error(pos, 'processing instruction is never closed (missing ?>)');
        break;
      }
      pos = end + 2;
    } else if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) {
      const bracket = text.indexOf('[', pos);
      const close = text.indexOf('>', pos);
      if (close < 0) {
        error(pos, 'DOCTYPE is never closed');
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
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text);
      const close = text.indexOf('>', pos);
      if (!m || close < 0) {
        error(pos, 'malformed closing tag');
        pos = close < 0 ? text.length : close + 1;
        continue;
      }
      const name = m[0];
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
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(text);
      if (!m) {
        error(pos, "'<' must start a tag; write &lt; for a literal '<'");
        addText('<', pos);
        pos++;
        continue;
      }
      const at = locate(pos);
      const element: XmlElement = { name: m[0], attrs: {}, children: [], text: '', line: at.line, column: at.column };
      let p = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = p;
        const a = ATTR.exec(text);
        if (!a) break;
        element.attrs[a[1]] = decode(a[2] ?? a[3], p);
        p = ATTR.lastIndex;
      }
      while (p < text.length && /\s/.test(text[p])) p++;
      let selfClosing = false;
      if (text.startsWith('/>', p)) {
        selfClosing = true;
        p += 2;
      } else if (text[p] === '>') {
        p += 1;
      } else {
        const close = text.indexOf('>', p);
        if (close < 0) {
          error(pos, `tag <${element.name}> is cut off: the paste looks truncated`);
          pos = text.length;
          break;
        }
        error(p, `malformed attributes in <${element.name}>`);
        selfClosing = text[close - 1] === '/';
        p = close + 1;
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else roots.push(element);
      if (!selfClosing) stack.push(element);
      pos = p;
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    sink.error(stack[i].line, `<${stack[i].name}> is never closed: the paste looks truncated`, stack[i].column);
  }
  if (roots.length === 0 && sink.list.length === 0) sink.error(undefined, 'no XML element found');
  return { roots, diagnostics: sink.list };
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
