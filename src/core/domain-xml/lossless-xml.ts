/**
 * A lossless model of an XML document: the text itself plus a tree of spans into it. Nothing is
 * normalised or re-serialised, so every byte the user wrote (prolog, comments, whitespace,
 * attribute order and quotes, CDATA, entity references, other namespaces) survives; writers
 * change the document only through offset edits (edits.ts).
 *
 * The scanner is linear (indexOf and character codes, no backtracking regexes), recovers from
 * damage with libxml2's own messages (those are what libvirt shows), and never expands entities:
 * a DOCTYPE with an internal subset is refused outright, so billion-laughs and external-entity
 * documents cannot get anywhere.
 */
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';
import { AMPERSAND, characterReference, DOUBLE_QUOTE, EQUALS, GT, isBlankRange, isSpace, LT, predefinedEntity, scanName, SEMICOLON, SINGLE_QUOTE, SLASH } from '../xml/lexical.ts';

export interface XmlAttribute {
  name: string;
  /** The value with the predefined and numeric entities decoded. */
  value: string;
  /** Offset of the attribute name. */
  start: number;
  /** Offsets of the value between its quotes. */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'";
}

export interface XmlElement {
  kind: 'element';
  name: string;
  /** Offset of '<'. */
  start: number;
  /** Offset just past the start tag's '>' (or '/>'). */
  startTagEnd: number;
  /** Offset of the end tag's '<' ('</name>'); equals startTagEnd for `<name/>`. */
  contentEnd: number;
  /** Offset just past the element, end tag included. */
  end: number;
  selfClosing: boolean;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

/**
 * Character data, comments, CDATA, processing instructions and DOCTYPE, as spans. Text that is
 * only whitespace gets no span: whatever lies between two nodes' spans is whitespace.
 */
export interface XmlSpan {
  kind: 'text' | 'comment' | 'cdata' | 'pi' | 'doctype';
  start: number;
  end: number;
}

export type XmlNode = XmlElement | XmlSpan;

export interface DomainDocument {
  /** The document exactly as given. */
  text: string;
  source: string;
  /** Top-level nodes in order (prolog, comments, the root). */
  nodes: XmlNode[];
  /** The first top-level element, normally <domain>. */
  root: XmlElement | null;
  diagnostics: Diagnostic[];
  /** False when the text is not well-formed XML or was refused: nothing may edit it then. */
  wellFormed: boolean;
  /** Offsets where each line starts, for line and column lookups. */
  lineStarts: number[];
}

/**
 * libxml2's default xmlParserMaxDepth, which libvirt parses with: a domain nests a dozen levels,
 * and a deeper document is refused whole, as libvirt refuses it, before its stack grows.
 */
const MAX_DEPTH = 256;

export function parseDomainDocument(text: string, source = 'domain.xml'): DomainDocument {
  const lineStarts = computeLineStarts(text);
  const sink = diagnosticSink(source);
  const at = (offset: number, message: string) => {
    const p = positionIn(lineStarts, offset);
    sink.error(p.line, message, p.column);
  };
  const nodes: XmlNode[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let refused = false;
  let pos = 0;
  const n = text.length;

  const append = (node: XmlNode) => {
    if (stack.length > 0) stack[stack.length - 1].children.push(node);
    else nodes.push(node);
  };

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    // Whitespace-only runs are not stored: they are the gaps between nodes. A 5 MB domain is
    // mostly indentation, and an object per run would be most of the parse's garbage.
    if (textEnd > pos && !isBlankRange(text, pos, textEnd)) {
      append({ kind: 'text', start: pos, end: textEnd });
      if (stack.length === 0) at(pos, root ? 'Extra content at the end of the document' : "Start tag expected, '<' not found");
      else checkEntities(text, pos, textEnd, at);
    }
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const close = text.indexOf('-->', pos + 4);
      if (close < 0) {
        at(pos, 'Comment not terminated');
        append({ kind: 'comment', start: pos, end: n });
        pos = n;
        break;
      }
      append({ kind: 'comment', start: pos, end: close + 3 });
      pos = close + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const close = text.indexOf(']]>', pos + 9);
      if (close < 0) {
        at(pos, 'CData section not finished');
        append({ kind: 'cdata', start: pos, end: n });
        pos = n;
        break;
      }
      if (stack.length === 0) at(pos, 'CDATA section outside the root element');
      append({ kind: 'cdata', start: pos, end: close + 3 });
      pos = close + 3;
    } else if (text.startsWith('<?', pos)) {
      const close = text.indexOf('?>', pos + 2);
      if (close < 0) {
        at(pos, 'PI not terminated');
        append({ kind: 'pi', start: pos, end: n });
        pos = n;
        break;
      }
      append({ kind: 'pi', start: pos, end: close + 2 });
      pos = close + 2;
    } else if (text.startsWith('<!', pos)) {
      const end = scanDoctype(text, pos);
      if (!/^<!DOCTYPE\s/i.test(text.slice(pos, pos + 10))) {
        at(pos, 'StartTag: invalid element name');
      } else if (end.internalSubset) {
        at(pos, 'DOCTYPE with an internal subset is refused: it can declare entities (billion laughs, external files). Remove the <!DOCTYPE … [ … ]> block');
        refused = true;
      } else if (/\b(SYSTEM|PUBLIC)\b/.test(text.slice(pos, end.end))) {
        // An external DTD is never fetched; libvirt ignores it as well.
        sink.warning(positionIn(lineStarts, pos).line, 'external DTD ignored (never loaded)', positionIn(lineStarts, pos).column);
      }
      append({ kind: 'doctype', start: pos, end: end.end });
      pos = end.end;
    } else if (text.charCodeAt(pos + 1) === SLASH) {
      const nameEnd = scanName(text, pos + 2);
      const name = text.slice(pos + 2, nameEnd);
      const close = text.indexOf('>', nameEnd);
      const tagEnd = close < 0 ? n : close + 1;
      if (close < 0 || !isBlankRange(text, nameEnd, close)) at(pos, `expected '>' at the end of </${name}>`);
      const open = findOpen(stack, name);
      if (name === '' || open < 0) {
        at(pos, stack.length > 0 ? `Opening and ending tag mismatch: ${stack[stack.length - 1].name} and ${name}` : `Unexpected end tag : ${name}`);
        // Kept as a span so that the document still covers every byte.
        append({ kind: 'text', start: pos, end: tagEnd });
      } else {
        for (let i = stack.length - 1; i > open; i--) {
          const unclosed = stack[i];
          at(unclosed.start, `Opening and ending tag mismatch: ${unclosed.name} line ${positionIn(lineStarts, unclosed.start).line} and ${name}`);
          unclosed.contentEnd = pos;
          unclosed.end = pos;
        }
        const element = stack[open];
        element.contentEnd = pos;
        element.end = tagEnd;
        stack.length = open;
      }
      pos = tagEnd;
    } else {
      const nameEnd = scanName(text, pos + 1);
      if (nameEnd === pos + 1) {
        at(pos, 'StartTag: invalid element name');
        append({ kind: 'text', start: pos, end: pos + 1 });
        pos++;
        continue;
      }
      const element: XmlElement = {
        kind: 'element',
        name: text.slice(pos + 1, nameEnd),
        start: pos,
        startTagEnd: n,
        contentEnd: n,
        end: n,
        selfClosing: false,
        attributes: [],
        children: [],
      };
      const tagEnd = scanAttributes(text, nameEnd, element, at);
      if (tagEnd < 0) {
        at(pos, `Couldn't find end of Start Tag ${element.name}`);
        append(element);
        pos = n;
        break;
      }
      element.startTagEnd = tagEnd;
      element.selfClosing = text.charCodeAt(tagEnd - 2) === SLASH;
      if (stack.length === 0) {
        if (root) at(pos, 'Extra content at the end of the document');
        else root = element;
      }
      append(element);
      if (element.selfClosing) {
        element.contentEnd = tagEnd;
        element.end = tagEnd;
      } else if (stack.length >= MAX_DEPTH) {
        at(pos, `Excessive depth in document: ${MAX_DEPTH} use XML_PARSE_HUGE option`);
        refused = true;
        stack.length = 0;
        break;
      } else {
        stack.push(element);
      }
      pos = tagEnd;
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    const p = positionIn(lineStarts, stack[i].start);
    at(n, `Premature end of data in tag ${stack[i].name} line ${p.line}`);
  }
  if (!root && !refused) at(n, 'Document is empty');
  const wellFormed = !refused && sink.list.every((d) => d.severity !== 'error');
  return { text, source, nodes, root: refused ? null : root, diagnostics: sink.list, wellFormed, lineStarts };
}

/** 1-based line and column of an offset. */
export function positionOf(doc: DomainDocument, offset: number): { line: number; column: number } {
  return positionIn(doc.lineStarts, offset);
}

function positionIn(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Where a `<!DOCTYPE …>` ends, skipping a bracketed internal subset and quoted ids. */
function scanDoctype(text: string, p: number): { end: number; internalSubset: boolean } {
  let internalSubset = false;
  let depth = 0;
  for (let i = p + 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = text.indexOf(String.fromCharCode(c), i + 1);
      if (close < 0) return { end: text.length, internalSubset };
      i = close;
    } else if (c === 91) {
      internalSubset = true;
      depth++;
    } else if (c === 93) {
      depth--;
    } else if (c === GT && depth <= 0) {
      return { end: i + 1, internalSubset };
    }
  }
  return { end: text.length, internalSubset };
}

/**
 * Attributes from `p` to the end of the start tag; returns the offset past '>' or -1 when the
 * tag never ends. Damage is reported and skipped so the rest of the document still parses.
 */
function scanAttributes(text: string, p: number, element: XmlElement, at: (offset: number, message: string) => void): number {
  const n = text.length;
  for (;;) {
    const before = p;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    if (p >= n) return -1;
    const c = text.charCodeAt(p);
    if (c === GT) return p + 1;
    if (c === SLASH) {
      if (text.charCodeAt(p + 1) === GT) return p + 2;
      at(p, "expected '>'");
      p++;
      continue;
    }
    if (c === LT) {
      at(p, `Couldn't find end of Start Tag ${element.name}`);
      return p;
    }
    if (p === before && element.attributes.length > 0) at(p, 'attributes construct error');
    const nameStart = p;
    p = scanName(text, p);
    if (p === nameStart) {
      at(p, 'attributes construct error');
      p++;
      continue;
    }
    const name = text.slice(nameStart, p);
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) !== EQUALS) {
      at(nameStart, `Specification mandates value for attribute ${name}`);
      continue;
    }
    p++;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    const quote = text.charCodeAt(p);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) {
      at(p, 'AttValue: " or \' expected');
      p = scanName(text, p);
      continue;
    }
    const close = text.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", p + 1);
    if (close < 0) return -1;
    const lt = text.indexOf('<', p + 1);
    if (lt >= 0 && lt < close) at(lt, `Unescaped '<' not allowed in attributes values`);
    if (element.attributes.some((a) => a.name === name)) at(nameStart, `Attribute ${name} redefined`);
    checkEntities(text, p + 1, close, at);
    element.attributes.push({
      name,
      value: decodeEntities(text.slice(p + 1, close)),
      start: nameStart,
      valueStart: p + 1,
      valueEnd: close,
      quote: quote === DOUBLE_QUOTE ? '"' : "'",
    });
    p = close + 1;
  }
}

function indexWithin(text: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Report '&' that does not start a predefined or character reference (nothing is declared). */
function checkEntities(text: string, from: number, to: number, at: (offset: number, message: string) => void): void {
  // Scanned within [from, to) only: indexOf would run on to the end of the document for every
  // text and attribute without an '&', which made a large domain quadratic.
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== AMPERSAND) continue;
    const semi = indexWithin(text, SEMICOLON, i + 1, Math.min(to, i + 13));
    const ref = semi < 0 ? '' : text.slice(i + 1, semi);
    if (ref === '') at(i, "xmlParseEntityRef: no name");
    else if (ref[0] === '#') {
      if (characterReference(ref) === undefined) at(i, `xmlParseCharRef: invalid xmlChar value ${ref.slice(1)}`);
    } else if (predefinedEntity(ref) === undefined) at(i, `Entity '${ref}' not defined`);
  }
}

/** Decode the five predefined entities and character references; anything else stays as written. */
function decodeEntities(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,4});/g, (whole, ref: string) => {
    return (ref[0] === '#' ? characterReference(ref) : predefinedEntity(ref)) ?? whole;
  });
}

/** Escape a value for an attribute quoted with `quote`. */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---- navigation -------------------------------------------------------------------------

export function elementChildren(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of element.children) if (c.kind === 'element') out.push(c);
  return out;
}

export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) if (c.kind === 'element' && c.name === name) return c;
  return undefined;
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of element.children) if (c.kind === 'element' && c.name === name) out.push(c);
  return out;
}

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

/** Character data directly inside an element (text and CDATA), entities decoded. */
export function textContent(doc: DomainDocument, element: XmlElement): string {
  let out = '';
  for (const c of element.children) {
    if (c.kind === 'text') out += decodeEntities(doc.text.slice(c.start, c.end));
    else if (c.kind === 'cdata') out += doc.text.slice(c.start + 9, c.end - 3);
  }
  return out;
}

/** Whether an element holds anything but whitespace and elements (comments, text): then it is not empty. */
export function hasNonElementContent(doc: DomainDocument, element: XmlElement): boolean {
  return element.children.some((c) => c.kind !== 'element' && (c.kind !== 'text' || !isBlankRange(doc.text, c.start, c.end)));
}

function findOpen(stack: XmlElement[], name: string): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].name === name) return i;
  return -1;
}

