/**
 * The writer's tests see what it does as text: writing `change(layout)` into a real document,
 * the edits as [old text, new text] pairs, the diagnostics as "severity: message", the text after.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';

export const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/domain-xml', name), 'utf8');

/** Writes `change(layout)` into `text`, which must read without errors (else the writer refuses it). */
export function edit(text: string, change: (l: GuestLayout) => GuestLayout) {
  const doc = parseDomainDocument(text);
  const read = readLayout(doc);
  expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const w = writeLayout(doc, change(read.layout!));
  return { edits: w.edits.map((e) => [text.slice(e.from, e.to), e.text]), diagnostics: w.diagnostics.map((d) => `${d.severity}: ${d.message}`), text: w.text };
}

/** The first element of that name in a text, whole (no element of the same name inside it). */
export function element(text: string, name: string): string | undefined {
  const start = new RegExp(`<${name}(\\s[^>]*)?>`).exec(text);
  if (!start) return undefined;
  if (start[0].endsWith('/>')) return start[0];
  const end = text.indexOf(`</${name}>`, start.index);
  return text.slice(start.index, end + name.length + 3);
}
