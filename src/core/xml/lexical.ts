/**
 * The lexical pieces both XML readers share — xml/tree.ts (host dumps) and
 * domain-xml/lossless-xml.ts (the domain document): character codes, XML whitespace, where a
 * name ends, and the references XML itself defines. Scanned by character code, no regexes:
 * both readers meet megabytes of markup, and these run once per character of it.
 */

export const LT = 0x3c;
export const GT = 0x3e;
export const SLASH = 0x2f;
export const EQUALS = 0x3d;
export const DOUBLE_QUOTE = 0x22;
export const SINGLE_QUOTE = 0x27;
export const AMPERSAND = 0x26;
export const SEMICOLON = 0x3b;

/** XML's white space: space, line feed, tab, carriage return. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

export function isBlankRange(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether `c` may start a name (ASCII letters, '_' and ':'; a digit, '-' or '.' may not). */
export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}

/** End of the name starting at `p`: anything up to whitespace, '/', '>', '<', '=' or a quote. */
export function scanName(text: string, p: number): number {
  const n = text.length;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (isSpace(c) || c === SLASH || c === GT || c === LT || c === EQUALS || c === DOUBLE_QUOTE || c === SINGLE_QUOTE) break;
    p++;
  }
  return p;
}

/**
 * What one of the five entities XML predefines stands for; undefined for any other name, as
 * numascope expands nothing a document declares (a switch, not an object: `&constructor;` is no entity).
 */
export function predefinedEntity(name: string): string | undefined {
  switch (name) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      return undefined;
  }
}

/** The character a reference such as '#x3C' or '#60' (between '&' and ';') stands for; undefined when none. */
export function characterReference(ref: string): string | undefined {
  const code = ref[1] === 'x' ? (/^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : NaN) : /^#\d+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
