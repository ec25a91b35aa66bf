/** Line helpers shared by the text formats. */

/** Split into lines without the line ends; CRLF and CR pastes (from Windows, mail) work too. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The first `count` non-blank lines, for sniffing without reading a whole 10 MB paste. */
export function headLines(text: string, count = 40): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

/** Canonical PCI address "dddd:bb:ss.f" from "03:00.0", "0000:03:00.0" or "0000:03:00.0" in any case. */
export function canonicalBdf(text: string, domain = '0000'): string | undefined {
  const m = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(text.trim());
  if (!m) return undefined;
  return `${(m[1] ?? domain).toLowerCase().padStart(4, '0')}:${m[2].toLowerCase()}:${m[3].toLowerCase()}.${m[4]}`;
}
