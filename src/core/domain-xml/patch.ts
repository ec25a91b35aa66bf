/**
 * Edit primitives over a lossless document: change one attribute value, add or drop one
 * attribute, replace an element's text, insert new elements where libvirt puts them, delete an
 * element with its own line. Each makes the smallest TextEdit it can; new elements are
 * formatted like `virsh dumpxml` (single quotes, one indentation step per level), using the
 * document's own indentation unit.
 */
import { attribute, elementChildren, escapeAttribute, escapeText, hasNonElementContent, type DomainDocument, type XmlAttribute, type XmlElement } from './lossless-xml.ts';
import type { TextEdit } from './edits.ts';
import { inUnit } from './scaled.ts';

/** An element to be written: attributes in order, then text or children. */
export interface NewElement {
  name: string;
  attrs?: [string, string | number][];
  text?: string | number;
  children?: NewElement[];
}

/** Orders children: compared lexicographically; undefined for elements with no fixed place. */
export type ChildKey = (name: string, element: XmlElement | NewElement) => number[] | undefined;

export class Patch {
  readonly edits: TextEdit[] = [];
  /** The document's indentation step, e.g. two spaces or a tab. */
  readonly unit: string;

  constructor(readonly doc: DomainDocument) {
    this.unit = detectUnit(doc);
  }

  private edit(from: number, to: number, text: string): void {
    this.edits.push({ from, to, text });
  }

  /** Set an attribute; only its value changes when it exists, else it is added. */
  setAttr(el: XmlElement, name: string, value: string | number, after: readonly string[] = []): void {
    const v = String(value);
    const a = attribute(el, name);
    if (a) {
      this.setValue(a, v);
      return;
    }
    const quote = el.attributes[0]?.quote ?? "'";
    let at = el.start + 1 + el.name.length;
    for (const prev of el.attributes) if (after.includes(prev.name)) at = prev.valueEnd + 1;
    if (after.length === 0 && el.attributes.length > 0) at = el.attributes[el.attributes.length - 1].valueEnd + 1;
    this.edit(at, at, ` ${name}=${quote}${escapeAttribute(v, quote)}${quote}`);
  }

  /** Change an existing attribute's value, in the quotes it already has. */
  setValue(a: XmlAttribute, value: string | number): void {
    const v = String(value);
    if (a.value !== v) this.edit(a.valueStart, a.valueEnd, escapeAttribute(v, a.quote));
  }

  removeAttr(el: XmlElement, name: string): void {
    const a = attribute(el, name);
    if (!a) return;
    let from = a.start;
    while (from > 0 && isBlank(this.doc.text.charCodeAt(from - 1))) from--;
    this.edit(from, a.valueEnd + 1, '');
  }

  /** Replace an element's character content. */
  setText(el: XmlElement, value: string | number): void {
    const text = escapeText(String(value));
    if (el.selfClosing) {
      const slash = this.doc.text.lastIndexOf('/', el.startTagEnd - 1);
      this.edit(slash, el.startTagEnd, `>${text}</${el.name}>`);
    } else if (this.doc.text.slice(el.startTagEnd, el.contentEnd) !== text) {
      this.edit(el.startTagEnd, el.contentEnd, text);
    }
  }

  /**
   * Make a scaled element (libvirt memory: a number in its `unit`) say `kib`: in the unit the
   * document uses when the amount is a whole number of it, else in KiB with the unit saying so.
   */
  setScaled(el: XmlElement, kib: number): void {
    const unit = attribute(el, 'unit');
    const amount = inUnit(kib, unit?.value ?? 'KiB');
    if (amount !== undefined) {
      this.setText(el, String(amount));
      return;
    }
    if (unit) this.setValue(unit, 'KiB');
    this.setText(el, kib);
  }

  /** Delete an element together with the indentation and line break in front of it. */
  remove(el: XmlElement): void {
    this.edit(this.lineStartBefore(el.start), el.end, '');
  }

  /** Replace an element by a new one at the same place and indentation. */
  replace(el: XmlElement, next: NewElement): void {
    this.edit(el.start, el.end, format(next, this.indentOf(el), this.unit));
  }

  /**
   * Insert new children, each after the last existing child that sorts before it (else before
   * the first that sorts after it, else at the end). `skip` lists children being deleted by
   * the same patch, which must not serve as anchors.
   */
  insert(parent: XmlElement, items: NewElement[], key: ChildKey, skip: ReadonlySet<XmlElement> = new Set()): void {
    if (items.length === 0) return;
    const sorted = [...items].sort((a, b) => compareKeys(key(a.name, a), key(b.name, b)));
    const children = elementChildren(parent).filter((c) => !skip.has(c));
    const parentIndent = this.indentOf(parent);
    if (children.length === 0 && !hasNonElementContent(this.doc, parent)) {
      const childIndent = parentIndent + this.unit;
      const body = sorted.map((i) => `\n${childIndent}${format(i, childIndent, this.unit)}`).join('') + `\n${parentIndent}`;
      if (parent.selfClosing) {
        const slash = this.doc.text.lastIndexOf('/', parent.startTagEnd - 1);
        let from = slash;
        while (isBlank(this.doc.text.charCodeAt(from - 1))) from--;
        this.edit(from, parent.startTagEnd, `>${body}</${parent.name}>`);
      } else {
        // The whole content is rewritten: removals of skipped children inside it are superseded.
        this.supersede(parent.startTagEnd, parent.contentEnd);
        this.edit(parent.startTagEnd, parent.contentEnd, body);
      }
      return;
    }
    const childIndent = children.length > 0 ? this.indentOf(children[0]) : parentIndent + this.unit;
    for (const item of sorted) {
      const k = key(item.name, item);
      let after: XmlElement | undefined;
      let before: XmlElement | undefined;
      for (const c of children) {
        const ck = key(c.name, c);
        if (ck === undefined) continue;
        const cmp = compareKeys(ck, k);
        if (cmp <= 0) after = c;
        else if (!before) before = c;
      }
      if (after) this.edit(after.end, after.end, `\n${childIndent}${format(item, childIndent, this.unit)}`);
      else if (before) this.edit(before.start, before.start, `${format(item, childIndent, this.unit)}\n${childIndent}`);
      else {
        // After the last node; the whitespace before the end tag stays the end tag's indentation.
        const last = parent.children[parent.children.length - 1];
        const at = last ? last.end : parent.startTagEnd;
        this.edit(at, at, `\n${childIndent}${format(item, childIndent, this.unit)}`);
      }
    }
  }

  private supersede(from: number, to: number): void {
    for (let i = this.edits.length - 1; i >= 0; i--) {
      const e = this.edits[i];
      if (e.from >= from && e.to <= to) this.edits.splice(i, 1);
    }
  }

  /** Whitespace between the start of an element's line and the element, or a guess by depth. */
  indentOf(el: XmlElement): string {
    const text = this.doc.text;
    const ls = text.lastIndexOf('\n', el.start - 1) + 1;
    const lead = text.slice(ls, el.start);
    return /^[ \t]*$/.test(lead) ? lead : '';
  }

  private lineStartBefore(offset: number): number {
    const text = this.doc.text;
    let from = offset;
    while (from > 0 && (text.charCodeAt(from - 1) === 32 || text.charCodeAt(from - 1) === 9)) from--;
    if (text.charCodeAt(from - 1) === 10) {
      from--;
      if (text.charCodeAt(from - 1) === 13) from--;
      return from;
    }
    return offset;
  }
}

/** An element as `virsh dumpxml` writes it; the first line carries no indentation. */
export function format(el: NewElement, indent: string, unit: string): string {
  const attrs = (el.attrs ?? []).map(([k, v]) => ` ${k}='${escapeAttribute(String(v), "'")}'`).join('');
  if (el.children && el.children.length > 0) {
    const inner = indent + unit;
    return `<${el.name}${attrs}>${el.children.map((c) => `\n${inner}${format(c, inner, unit)}`).join('')}\n${indent}</${el.name}>`;
  }
  if (el.text !== undefined) return `<${el.name}${attrs}>${escapeText(String(el.text))}</${el.name}>`;
  return `<${el.name}${attrs}/>`;
}

/** A key function from a fixed order of element names (libvirt's format order). */
export function orderKey(order: readonly string[]): ChildKey {
  return (name) => {
    const i = order.indexOf(name);
    return i < 0 ? undefined : [i];
  };
}

function compareKeys(a: number[] | undefined, b: number[] | undefined): number {
  if (!a || !b) return 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The indentation step of the root's children (two spaces when the document shows none). */
function detectUnit(doc: DomainDocument): string {
  const root = doc.root;
  if (!root) return '  ';
  const first = elementChildren(root)[0];
  if (!first) return '  ';
  const text = doc.text;
  const ls = text.lastIndexOf('\n', first.start - 1) + 1;
  const lead = text.slice(ls, first.start);
  const rls = text.lastIndexOf('\n', root.start - 1) + 1;
  const rootLead = text.slice(rls, root.start);
  if (ls === 0 || !/^[ \t]+$/.test(lead) || !/^[ \t]*$/.test(rootLead) || !lead.startsWith(rootLead) || lead === rootLead) return '  ';
  return lead.slice(rootLead.length);
}
